"""The briefing PDF of the review page: drawn when asked, then offered for download; when it
cannot be drawn, a message that says why.

A download button that draws its file on click can only fail with Streamlit's generic
"Failed to generate file" (the reason goes to the server log), so the drawing happens in
the page's own run: "Briefing (PDF)" draws it (a few seconds: the charts render offline),
and the same place then holds "Download briefing (PDF)" for as long as the view stays.
"""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from briefing.pdf import BriefingError
from domain.quarters import quarter_of
from ui.cache import Filters, briefing
from ui.widgets.text import md

READY = "briefing_ready"  # session key: the view whose briefing has been drawn
_log = logging.getLogger(__name__)

BriefingKey = tuple[str, int, dt.date | None, Filters]


def briefing_control(key: BriefingKey, notice: DeltaGenerator) -> None:
    """In the current container, the button that draws the briefing of `key` (store URL,
    generation, the view's as-of date, filters), or the download once drawn; problems go to
    `notice`."""
    quarter = quarter_of(key[2]) if key[2] else ""
    slot = st.empty()
    if st.session_state.get(READY) == key:
        _offer(slot, briefing(*key), quarter)  # drawn before: cached
        return
    clicked = slot.button(
        "Briefing (PDF)",
        icon=":material/picture_as_pdf:",
        help="The headline, the narrative, the quadrant, what moved and the decisions, as a "
        "PDF: drawn when you click (allow a few seconds), then ready to download.",
    )
    if not clicked:
        return
    try:
        with notice, st.spinner("Drawing the briefing…"):
            pdf = briefing(*key)
    except BriefingError as exc:
        _log.warning("Briefing not drawn for %s: %s", quarter, exc, exc_info=exc.__cause__)
        notice.error(md(exc), icon=":material/error:")  # it can quote the data
        return
    if not pdf:
        notice.info(f"No snapshot falls in {quarter}: there is nothing to brief.")
        return
    st.session_state[READY] = key
    _offer(slot, pdf, quarter)


def _offer(slot: DeltaGenerator, pdf: bytes, quarter: str) -> None:
    slot.download_button(
        "Download briefing (PDF)",
        pdf,
        file_name=f"quarterly-briefing-{quarter}.pdf",
        mime="application/pdf",
        icon=":material/download:",
        type="primary",
        on_click="ignore",
    )
