"""The Data page's Audit log tab: every change (who, when, what), exportable."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui.data import store, store_key
from ui.widgets.downloads import table_downloads
from ui.widgets.tables import show_table

SHOWN = 2000


def readable(detail: pl.Expr) -> pl.Expr:
    """`{"as_of": "2026-09-30", "projects": 64}` as `as_of 2026-09-30 · projects 64`."""
    return (
        detail.str.replace_all(r'(, )?"[a-z_]+": null', "")
        .str.strip_chars("{}, ")
        .str.replace_all(r'"([a-z_]+)": ', "$1 ")
        .str.replace_all(r'(\d|"|null|true|false|\]|\}), "?', "$1 · ")
        .str.replace_all('"', "")
    )


@st.cache_data(show_spinner=False, max_entries=8)
def audit_log(url: str, generation: int) -> pl.DataFrame:
    """The whole log, newest first, with plain column names; cached until the next write."""
    return (
        store()
        .audit_log()
        .select(
            pl.col("changed_at").alias("When (UTC)"),
            pl.col("actor").alias("Who"),
            pl.col("action").str.replace_all("_", " ").str.to_titlecase().alias("Action"),
            pl.col("target").alias("What"),
            readable(pl.col("detail")).alias("Detail"),
        )
    )


def render() -> None:
    url, generation = store_key()
    log = audit_log(url, generation)
    if log.height == 0:
        st.info(
            "**Nothing has changed yet.** Every upload, restore, delete and settings change "
            "will be recorded here with who made it and when.",
            icon=":material/receipt_long:",
        )
        return
    actions = sorted(log.get_column("Action").unique().to_list())
    picked = st.pills("Show", actions, selection_mode="multi", key="audit_actions")
    shown = log.filter(pl.col("Action").is_in(picked)) if picked else log
    show_table(
        shown.head(SHOWN),
        hide_index=True,
        height=min(38 + 35 * max(min(shown.height, SHOWN), 1), 460),
        column_config={
            "When (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss"),
            "Detail": st.column_config.TextColumn(width="large"),
        },
    )
    more = f"the newest {SHOWN:,} of " if shown.height > SHOWN else ""
    st.caption(f"Showing {more}{shown.height:,} change(s); the downloads hold all of them.")
    table_downloads(shown, "Audit log", "audit-log", "audit log")
