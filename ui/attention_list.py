"""The watermelons and RAG mismatches by name: each a link to its Project page, with its
sponsor, budget and, in one line, what is wrong."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts.formats import money_expr
from charts.theme import QUADRANT_COLORS
from ui.links import PROJECT_PAGE, project_params
from ui.swatch import swatch
from ui.text import safe


def render_attention_list(attention: pl.DataFrame, height: int) -> None:
    """A scrollable list, worst first, that opens a project in one click."""
    if attention.height == 0:
        st.success("Nothing hides bad news in this view.", icon=":material/check_circle:")
        return
    rows = attention.with_columns(money_expr(pl.col("budget")).alias("budget_text")).select(
        "project_id", "name", "sponsor", "budget_text", "quadrant", "why"
    )
    fits = rows.height <= 6  # a short list needs no scrolling box of a fixed height
    with st.container(height="content" if fits else height, border=True, gap=None, key="attention"):
        for row in rows.iter_rows(named=True):
            st.page_link(
                PROJECT_PAGE,
                label=row["name"],
                query_params=project_params(row["project_id"]),
                icon=":material/chevron_right:",
            )
            color = QUADRANT_COLORS.get(row["quadrant"], "#8A919A")
            sponsor = safe(row["sponsor"] or "No sponsor")
            st.markdown(
                f'<div class="attention-why">{swatch(color)} {sponsor} · {row["budget_text"]}'
                f" · {safe(row['why'])}</div>",
                unsafe_allow_html=True,
            )
