"""Data: load snapshots, review their history, see every change. Layout only: the tabs'
bodies live in ui/manage/ (see ui/manage/tabs.py to add one)."""

from __future__ import annotations

import streamlit as st

from ui.manage.history import store_summary
from ui.manage.tabs import data_tabs
from ui.shell.access import current_access, show_read_only_reason
from ui.widgets.date_enter import close_dates_on_enter

st.title("Data")
st.caption(
    "Load portfolio snapshots from spreadsheets, see what each one changed, and restore "
    "or undo. Every change is recorded in the audit log."
)
access = current_access()
if not access.can_edit:
    show_read_only_reason(access)
summary = store_summary()
if summary:
    st.markdown(f":material/inventory_2: {summary}")

tabs = data_tabs()
containers = st.tabs([t.label for t in tabs], key="tab", bind="query-params")
for tab, container in zip(tabs, containers, strict=True):
    if container.open is False:  # only the open tab runs
        continue
    with container:
        tab.render()
close_dates_on_enter()  # the as-of boxes: Enter takes a typed date and closes the calendar
