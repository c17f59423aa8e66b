"""What a link asks for that this snapshot does not have is said, never silently replaced.

A widget bound to the URL drops a value it does not know (Streamlit clears it from the
address), so a stale link (`?sponsor=Nobody`, `?project=NOPE-1`, the date of a deleted
snapshot) would quietly show something else. The checks here read the address before the
widgets do; the page then says what was asked for and what it shows instead, and keeps the
rest of the view. A notice stays until the view changes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import streamlit as st

from ui.widgets.text import md

NOTICES = "_link_notices"
_PENDING = "_link_notices_pending"


def asked_for(param: str) -> list[str]:
    """The values the address gives for `param` (read before a bound widget clears them)."""
    return [v for v in st.query_params.get_all(param) if v != ""]


def unknown(param: str, known: Sequence[str]) -> list[str]:
    """The values the address gives for `param` that are not in `known`."""
    return [v for v in asked_for(param) if v not in known]


def quoted(values: Sequence[str]) -> str:
    """'“Nobody”' or '“Nobody” and “Somebody”', escaped for Markdown."""
    texts = [f"“{md(v)}”" for v in values]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def note(text: str) -> None:
    """Record a notice (Markdown, its data already escaped) for `show_notices`."""
    st.session_state.setdefault(_PENDING, []).append(text)


def show_notices(view_key: Hashable) -> None:
    """Show this run's notices, or the last ones while the view (`view_key`) is unchanged."""
    pending = st.session_state.pop(_PENDING, [])
    if pending:
        st.session_state[NOTICES] = (view_key, pending)
    stored = st.session_state.get(NOTICES)
    if not stored:
        return
    key, texts = stored
    if key != view_key:
        del st.session_state[NOTICES]
        return
    for text in texts:
        st.warning(text, icon=":material/link_off:")
