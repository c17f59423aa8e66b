"""'Link to this view': an address pinned to the snapshot on screen.

The address bar of a default view carries no date, so it follows the newest snapshot: after
the next load the same address shows newer figures. The pinned link names the as-of date
(and, on the Quarterly review, the quarter), so it reopens exactly what its sender saw.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from domain.formats import date_text
from domain.quarters import quarter_of
from ui.shell.filters import QUARTER_PARAM, VIEW_PARAMS, View

REVIEW_PAGE = "review"
# Parameters a page keeps in the address besides the view's (its own picks).
PAGE_PARAMS = ("project", "benefit", "present", "slide", "tab")


def pinned_params(view: View, page: str | None) -> dict[str, str | list[str]]:
    """The view's parameters with the as-of date always named, as an ISO date (`2026-09-30`:
    what a reader can type and read; the picker's label, `30 Sep 2026 · 2026-Q3`, of links
    shared before, is still understood), the quarter on the review, and the page's own
    parameters as the address has them now."""
    params = view.query_params()
    if view.as_of:
        params["as_of"] = view.as_of.isoformat()
    if page == REVIEW_PAGE and view.as_of:
        params[QUARTER_PARAM] = quarter_of(view.as_of)
    for name in PAGE_PARAMS:
        values = st.query_params.get_all(name)
        if values and name not in VIEW_PARAMS:
            params[name] = values if len(values) > 1 else values[0]
    return params


def pinned_url(view: View, page: str | None) -> str:
    """The address that reopens this view; relative when the browser's is unknown (tests)."""
    base = st.context.url or f"/{page or ''}"
    return f"{base}?{urlencode(pinned_params(view, page), doseq=True)}"


def render_view_link(view: View, page: str | None) -> None:
    """A 'Link to this view' popover with the pinned address, ready to copy."""
    if view.as_of is None:
        return
    with st.popover("Link to this view", icon=":material/link:", width="stretch"):
        st.caption(
            f"Reopens the snapshot of {date_text(view.as_of)} and this slice, even after newer "
            "data is loaded. Copy it with the button in its corner."
        )
        st.code(pinned_url(view, page), language=None, wrap_lines=True)
