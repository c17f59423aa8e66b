"""The mapping editor's columns and the summary of the file's own columns: how the step
looks, apart from what it does (ui/manage/mapping.py)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from connectors.sheets.mapping import UNITS, Mapping
from connectors.sheets.read import RawTable
from connectors.sheets.suggest import DATE_FORMATS
from ui.manage.mapping_editor import (
    CURRENCIES,
    FROM_OPTIONS,
    UNREADABLE_OPTIONS,
    date_example,
    unit_label,
)
from ui.widgets.tables import show_table
from ui.widgets.text import md

# Pixel widths that fit the editor beside the sidebar at 1280 px (the browser test uses them).
WIDTHS = {
    "Column": 122,
    "From": 84,
    "File column": 156,
    "Fixed value": 64,
    "Date format": 92,
    "Unit": 80,
    "Currency": 84,
    "If unreadable": 100,
}
SAMPLE_CHARS = 24


def _cells(target: RawTable, rows: int) -> pl.DataFrame:
    """The first rows' cells, trimmed, empty as null, one column per header (by position)."""
    return target.frame.head(rows).select(
        pl.col(h).cast(pl.String).str.strip_chars().replace("", None).alias(str(i))
        for i, h in enumerate(target.headers)
    )


def _samples_of(target: RawTable) -> dict[str, str]:
    """A first value of each column, to recognise it by."""
    cells = _cells(target, 200)
    first = cells.select(pl.all().drop_nulls().first()).row(0) if cells.width else ()
    return {h: short(v) for h, v in zip(target.headers, first, strict=True)}


def short(value: object) -> str:
    """A cell or name cut to a glance: one line, at most SAMPLE_CHARS characters."""
    text = " ".join(str(value or "").split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def column_config(target: RawTable, base: Mapping) -> dict[str, object]:
    samples = _samples_of(target)
    headers = [*target.headers, *[h for h in base.file_columns() if h not in target.headers]]
    formats = [
        *DATE_FORMATS,
        *[
            r.date_format
            for r in base.columns.values()
            if r.date_format and r.date_format not in DATE_FORMATS
        ],
    ]
    currencies = [
        *CURRENCIES,
        *[r.currency for r in base.columns.values() if r.currency and r.currency not in CURRENCIES],
    ]
    return {
        "Column": st.column_config.TextColumn(
            "Cockpit column", width=WIDTHS["Column"], pinned=True, help="* required"
        ),
        "From": st.column_config.SelectboxColumn(
            width=WIDTHS["From"],
            options=FROM_OPTIONS,
            required=True,
            help="A column of the file, an id made from a column, or a fixed value.",
        ),
        "File column": st.column_config.SelectboxColumn(
            width=WIDTHS["File column"],
            options=headers,
            format_func=lambda h: f"{h} · {samples[h]}" if samples.get(h) else str(h),
            help="The column of your file to read (or to make the id from), with its first value.",
        ),
        "Fixed value": st.column_config.TextColumn(
            "Fixed",
            width=WIDTHS["Fixed value"],
            help="The same value for every row, e.g. active for status.",
        ),
        "Date format": st.column_config.SelectboxColumn(
            "Dates like",
            width=WIDTHS["Date format"],
            options=formats,
            format_func=date_example,
            help="How the file writes 30 Sep 2026. Empty: ISO dates, Excel date cells and "
            "30 Sep 2026 are read anyway.",
        ),
        "Unit": st.column_config.SelectboxColumn(
            width=WIDTHS["Unit"],
            options=list(UNITS),
            format_func=unit_label,
            help="Amounts in thousands, millions or billions are multiplied out.",
        ),
        "Currency": st.column_config.SelectboxColumn(
            width=WIDTHS["Currency"],
            options=currencies,
            help="The currency sign or code the cells carry.",
        ),
        "If unreadable": st.column_config.SelectboxColumn(
            width=WIDTHS["If unreadable"],
            options=UNREADABLE_OPTIONS,
            help="Refuse the upload and name the cell; leave the cell empty (optional "
            "columns); or skip the row (leave it out of the snapshot).",
        ),
    }


def file_columns(target: RawTable) -> None:
    """An expander listing the file's columns, how many rows fill each, and first values."""
    with st.expander(f"What is in {md(target.label)} ({len(target.headers)} columns)"):
        cells = _cells(target, 500)
        filled = cells.select(pl.all().count()).row(0) if cells.width else ()
        firsts = cells.select(pl.all().drop_nulls().head(3).implode()).row(0) if cells.width else ()
        summary = pl.DataFrame(
            {
                "File column": target.headers,
                "Filled": list(filled),
                "First values": [" | ".join(short(v) for v in values) for values in firsts],
            },
            schema={"File column": pl.String, "Filled": pl.Int64, "First values": pl.String},
        )
        show_table(
            summary,
            hide_index=True,
            column_config={"First values": st.column_config.TextColumn(width="large")},
        )
        more = f" of the first {cells.height:,}" if target.frame.height > cells.height else ""
        st.caption(f"Filled: how many rows{more} have a value.")
