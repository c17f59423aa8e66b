"""The Data page's Audit log tab: every change (who, when, what), exportable."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui.cache import store, store_key
from ui.widgets.downloads import table_downloads
from ui.widgets.tables import show_table

SHOWN = 2000


# How each detail of an audit entry reads in a sentence ("{}" is its value); a detail not
# named here reads as its name in words and its value.
DETAIL_WORDS: dict[str, str] = {
    "as_of": "as of {}",
    "projects": "{} projects",
    "benefits": "{} benefits",
    "measurements": "{} measurements",
    "issues": "{} Jira issues",
    "status_changes": "{} status changes",
    "requests": "{} requests",
    "source": "from {}",
    "mode": "{} mode",
    "kind": "{} snapshot",
    "currency": "amounts in {}",
    "old": "was {}",
    "new": "now {}",
}


def _as_text(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if isinstance(dtype, pl.List):
        return value.list.eval(pl.element().cast(pl.String)).list.join(", ")
    if isinstance(dtype, pl.Struct):
        return value.struct.json_encode()
    return value.cast(pl.String)


def readable(details: pl.Series) -> pl.Series:
    """Each entry's JSON details as a sentence: `{"as_of": "2026-09-30", "projects": 64}`
    reads `As of 2026-09-30, 64 projects.`; `{"ok": false}` reads `Failed.`"""
    if details.len() == 0:
        return pl.Series(details.name, [], pl.String)
    decoded = details.str.json_decode()
    fields = decoded.dtype.fields if isinstance(decoded.dtype, pl.Struct) else []
    phrases = []
    for field in fields:
        value = pl.col("d").struct.field(field.name)
        if field.name == "ok":
            phrase = (
                pl.when(value.cast(pl.Boolean))
                .then(pl.lit("succeeded"))
                .otherwise(pl.lit("failed"))
            )
        else:
            before, _, after = DETAIL_WORDS.get(
                field.name, field.name.replace("_", " ") + " {}"
            ).partition("{}")
            phrase = pl.concat_str(pl.lit(before), _as_text(value, field.dtype), pl.lit(after))
        phrases.append(pl.when(value.is_not_null()).then(phrase))
    if not phrases:
        return pl.Series(details.name, [None] * details.len(), pl.String)
    joined = pl.concat_str(phrases, separator=", ", ignore_nulls=True)
    sentence = pl.when(joined.str.len_chars() > 0).then(
        pl.concat_str(joined.str.slice(0, 1).str.to_uppercase(), joined.str.slice(1), pl.lit("."))
    )
    return pl.DataFrame({"d": decoded}).select(sentence.alias(details.name)).to_series()


@st.cache_data(show_spinner=False, max_entries=8)
def audit_log(url: str, generation: int) -> pl.DataFrame:
    """The whole log, newest first, with plain column names; cached until the next write."""
    log = store().audit_log()
    return log.select(
        pl.col("changed_at").alias("When (UTC)"),
        pl.col("actor").alias("Who"),
        pl.col("action").str.replace_all("_", " ").str.to_titlecase().alias("Action"),
        pl.col("target").alias("What"),
        readable(log.get_column("detail")).alias("Detail"),
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
