"""The watermelons and RAG mismatches by name: each a link to its Project page, with its
sponsor, budget and, in one line, what is wrong."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts.theme import QUADRANT_COLORS
from domain.formats import money_expr
from ui.shell.links import PROJECT_PAGE, open_project, project_params, row_pick
from ui.widgets.swatch import swatch
from ui.widgets.tables import show_table
from ui.widgets.text import html_text, md

# Links beyond this many stop helping an executive and cost the landing page two elements
# each to send and draw; the rest are one table, sent once its box is opened.
MAX_LINKS = 8


def render_attention_list(attention: pl.DataFrame, height: int) -> None:
    """A scrollable list, worst first, that opens a project in one click."""
    if attention.height == 0:
        st.success("Nothing hides bad news in this view.", icon=":material/check_circle:")
        return
    everything = attention.with_columns(money_expr(pl.col("budget")).alias("budget_text")).select(
        "project_id", "name", "sponsor", "budget_text", "quadrant", "why"
    )
    rows = everything.head(MAX_LINKS)
    fits = rows.height <= 6  # a short list needs no scrolling box of a fixed height
    with st.container(height="content" if fits else height, border=True, gap=None, key="attention"):
        for row in rows.iter_rows(named=True):
            st.page_link(  # a link, not a chevron an expander would have; a long name
                PROJECT_PAGE,  # ends in an ellipsis (ui/style.py) and shows whole on hover
                label=md(row["name"]),
                query_params=project_params(row["project_id"]),
                help=md(row["name"]),
            )
            color = QUADRANT_COLORS.get(row["quadrant"], "#8A919A")
            sponsor = html_text(row["sponsor"] or "No sponsor")
            st.html(
                f'<div class="attention-why">{swatch(color)} {sponsor} · '
                f"{html_text(row['budget_text'])} · {html_text(row['why'])}</div>"
            )
    if everything.height > MAX_LINKS:
        _all_of_them(everything)


def _all_of_them(rows: pl.DataFrame) -> None:
    """Every project of the list, as one selectable table (a selection opens it)."""
    box = st.expander(
        f"All {rows.height:,} projects that need attention", key="attention_more", on_change="rerun"
    )
    if not box.open:  # thousands of rows at enterprise scale: sent only when asked for
        return
    with box:
        table = rows.select(
            "project_id",
            pl.col("name").alias("Project"),
            pl.col("sponsor").alias("Sponsor"),
            pl.col("budget_text").alias("Budget"),
            pl.col("why").alias("Why"),
        )
        event = show_table(
            table,
            hide_index=True,
            column_order=["Project", "Sponsor", "Budget", "Why"],
            on_select="rerun",
            selection_mode="single-row",
            key="attention_all",
        )
        if picked := row_pick(event, table):
            open_project(picked)
