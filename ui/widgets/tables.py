"""Tables the cockpit's way: a missing value is an em dash (never "None"); amounts and
percentages read as everywhere else ($4.0M, +12%: domain.formats writes them) while they stay
numbers, so a click on the header still sorts them by size; dates read like the narrative's
(30 Sep 2026); text has its bidi controls removed, so a cell reads in the order it is stored
(domain.bidi).

The grid's own "Download as CSV" and copy are off for the whole app
(`client.disableDataExport` in .streamlit/config.toml): they would write cells such as
`=HYPERLINK(...)` as they are. Tables worth taking away offer ui.widgets.downloads instead, whose
files are neutralised (domain.formulas).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import polars as pl
import streamlit as st

from domain.bidi import strip_bidi_frame
from domain.formats import MISSING

# moment.js tokens for Streamlit's date columns: the same "30 Sep 2026" as domain.formats.
DATE = "D MMM YYYY"
DATETIME = "D MMM YYYY HH:mm"


def date_column(label: str | None = None, **options: Any) -> st.column_config.DateColumn:
    """A date column in the one date format."""
    return st.column_config.DateColumn(label, format=DATE, **options)


Formats = Mapping[str, Callable[[Any], str]]


def show_table(frame: pl.DataFrame, *, formats: Formats | None = None, **options: Any) -> Any:
    """`st.dataframe` of `frame` with missing values as an em dash, and each column named in
    `formats` written by its domain.formats function (money, signed_pct, ...) while its cells
    keep the number underneath. Every other option goes to `st.dataframe` as it is (a
    `placeholder` of its own too)."""
    frame = strip_bidi_frame(frame)
    data: Any = frame
    if formats:
        # A styled table shows pandas' text for every cell: numbers not formatted here would
        # read 3.000000, so they get their plain form (a column_config format still wins).
        plain = {
            name: _plain
            for name, dtype in frame.schema.items()
            if dtype.is_numeric() and name not in formats
        }
        data = frame.to_pandas().style.format({**plain, **formats}, na_rep=MISSING)
    return st.dataframe(data, **{"placeholder": MISSING, **options})


def _plain(value: float) -> str:
    return f"{value:g}"
