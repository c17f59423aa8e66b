"""Every page opens the same way: a title that asks the page's question and a line that
says which snapshot and which slice of the portfolio it shows."""

from __future__ import annotations

import streamlit as st

from domain.formats import date_text
from ui.shell.filters import FILTER_COLUMNS, View
from ui.widgets.text import md


def view_caption(view: View, extra: str = "") -> str:
    """'As of 30 Sep 2026 · Objective: Grow revenue · <extra>': plain text (the filter
    values are data), escaped where it is shown."""
    parts = [f"As of {date_text(view.as_of)}"] if view.as_of else []
    for column, values in view.filters:
        if values:
            parts.append(f"{FILTER_COLUMNS[column]}: {', '.join(values)}")
    if not any(values for _, values in view.filters):
        parts.append("Whole portfolio")
    if extra:
        parts.append(extra)
    return " · ".join(parts)


def page_header(title: str, view: View, extra: str = "") -> None:
    st.title(title)
    if not view.empty:
        st.caption(md(view_caption(view, extra)))
