"""The display currency, in the Data page's Settings tab: the currency of snapshots that do
not record their own (loaded before currencies were recorded, or with nothing in the upload
saying which). A snapshot that records its currency is always shown in it: the cockpit
never converts."""

from __future__ import annotations

import streamlit as st

from connectors.ingest import display_currency
from connectors.sheets.currency import CODES
from domain.currency import currency_label
from store import StoreError
from ui.cache import store
from ui.shell.identity import actor_name

SAVED = "_currency_saved"


def render_currency_setting(can_edit: bool = True) -> None:
    current = display_currency(store())
    st.subheader("Display currency")
    if message := st.session_state.pop(SAVED, None):
        st.success(message, icon=":material/check_circle:")
    st.caption(
        f"Now {currency_label(current)}. Amounts of snapshots that do not record their "
        "currency (nothing in their upload said which) are shown in it. A snapshot that "
        "records its currency is always shown in its own: amounts are never converted."
    )
    if not can_edit:
        st.caption("Only editors can change the display currency.")
        return
    options = list(CODES) if current in CODES else [current, *CODES]
    row = st.container(horizontal=True, vertical_alignment="bottom")
    chosen = row.selectbox(
        "Display currency",
        options,
        index=options.index(current),
        format_func=currency_label,
        key="display_currency",
        label_visibility="collapsed",
        width=260,
    )
    if row.button("Save currency", disabled=chosen == current):
        try:
            store().save_display_currency(chosen, actor=actor_name())
        except StoreError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.session_state[SAVED] = (
            f"Saved: amounts without a currency of their own are now in {currency_label(chosen)}."
        )
        st.rerun()
