"""Tables the cockpit's way: a missing value is an em dash (never "None"); amounts and
percentages read as everywhere else ($4.0M, +12%: domain.formats writes them) while they stay
numbers, so a click on the header still sorts them by size; dates read like the narrative's
(30 Sep 2026); text has its bidi controls removed, so a cell reads in the order it is stored
(domain.bidi).

The grid's own "Download as CSV" and copy are off for the whole app
(`client.disableDataExport` in .streamlit/config.toml): they would write cells such as
`=HYPERLINK(...)` as they are. Tables worth taking away offer ui.widgets.downloads instead, whose
files are neutralised (domain.formulas).

With `fit=True` a table reads whole on the narrowest screen the pages are made for (1280 px
wide, the sidebar open): every header on one line, and the columns as wide as their text
needs, wrapping long text over as few lines as lets the table fit (`fit_columns`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from domain.bidi import strip_bidi_frame
from domain.formats import MISSING, date_text

# moment.js tokens for Streamlit's date columns: the same "30 Sep 2026" as domain.formats.
DATE = "D MMM YYYY"
DATETIME = "D MMM YYYY HH:mm"


def date_column(label: str | None = None, **options: Any) -> st.column_config.DateColumn:
    """A date column in the one date format."""
    return st.column_config.DateColumn(label, format=DATE, **options)


Formats = Mapping[str, Callable[[Any], str]]


# Measured in Chromium: at 1280 px with the sidebar open a table is 884 px wide, 850 px in
# an expander; a cell has 8 px of padding each side, the checkbox of a table whose rows can
# be picked takes 34 px.
FIT_WIDTH = 884
FIT_WIDTH_IN_EXPANDER = 850
CELL_PAD_PX = 18
SELECT_PX = 34
# The width of each printable ASCII character in the grid's type (Source Sans, 14 px), as
# Chromium's canvas measures it; any other character counts as OTHER_PX. MARGIN leaves room
# for the headers' weight and for rounding.
_ASCII = "".join(chr(i) for i in range(32, 127))
_ASCII_PX = (
    2.8, 4.0, 6.0, 7.0, 7.0, 11.5, 8.5, 3.5, 4.2, 4.2, 5.9, 7.0, 3.5, 4.4, 3.5, 4.9, 7.0, 7.0,
    7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 3.5, 3.5, 7.0, 7.0, 7.0, 5.9, 11.9, 7.6, 8.2, 8.0,
    8.6, 7.4, 6.9, 8.6, 9.1, 3.7, 6.7, 8.1, 6.8, 10.2, 9.1, 9.3, 7.9, 9.3, 8.0, 7.5, 7.5, 9.0,
    7.2, 11.0, 7.2, 6.7, 7.5, 4.2, 4.9, 4.2, 7.0, 7.0, 7.6, 7.1, 7.7, 6.4, 7.8, 6.9, 4.1, 7.1,
    7.6, 3.4, 3.5, 6.9, 3.6, 11.6, 7.7, 7.6, 7.8, 7.8, 4.9, 5.9, 4.7, 7.6, 6.5, 10.1, 6.2, 6.5,
    5.9, 4.2, 3.4, 4.2, 7.0,
)  # fmt: skip
GLYPH_PX = dict(zip(_ASCII, _ASCII_PX, strict=True))
OTHER_PX = 10.0
MARGIN = 1.05
# Streamlit wraps a cell's text only in rows taller than 4rem (64 px); a wrapped line of
# the grid's type takes 20 px. More than MAX_LINES lines a row would be a page, not a row.
WRAP_ROW_PX = 65
LINE_PX = 20
MAX_LINES = 4
# A table's header row and borders, and the rows shown before it scrolls.
HEADER_PX = 37
FIT_ROWS = 10


def text_px(text: str) -> float:
    """How wide `text` is in the grid's type, with the margin."""
    return sum(GLYPH_PX.get(c, OTHER_PX) for c in text) * MARGIN


def wrapped_lines(text: str, room: float) -> int | None:
    """The lines `text` takes wrapped at its spaces in `room` px, as the grid wraps it; None
    when a word alone is wider than `room` (the grid would cut it)."""
    words = text.split(" ")
    space = text_px(" ")
    lines, line = 1, 0.0
    for word in words:
        wide = text_px(word)
        if wide > room:
            return None
        if line and line + space + wide > room:
            lines, line = lines + 1, wide
        else:
            line = line + space + wide if line else wide
    return lines


@dataclass(frozen=True)
class Fit:
    """Column widths (px, by header) and the lines a row needs for its longest text."""

    widths: dict[str, int]
    lines: int

    @property
    def row_height(self) -> int | None:
        """Tall enough for `lines` wrapped lines; None (the grid's own) for one line."""
        return max(WRAP_ROW_PX, self.lines * LINE_PX + 14) if self.lines > 1 else None


def fit_columns(
    cells: Mapping[str, Sequence[str]],
    width: int,
    unwrapped: Collection[str] = (),
) -> Fit:
    """Widths for the columns (header -> the texts shown in it) that fit `width` px with the
    fewest lines per row: each column at least as wide as its header on one line and its
    longest word; its cells wrapped over at most that many lines (the `unwrapped` ones, such
    as numbers and dates, never wrap). When even MAX_LINES lines do not fit (the headers alone
    may not), every text on one line: the table scrolls sideways rather than cut a word."""
    for lines in range(1, MAX_LINES + 1):
        widths = _widths(cells, lines, unwrapped)
        if sum(widths.values()) <= width:
            return Fit(_widened(widths, cells, width, lines, unwrapped), lines)
    return Fit(_widths(cells, 1, unwrapped), 1)


def _widths(
    cells: Mapping[str, Sequence[str]], lines: int, unwrapped: Collection[str]
) -> dict[str, int]:
    return {
        header: _column_px(header, texts, 1 if header in unwrapped else lines)
        for header, texts in cells.items()
    }


def _widened(
    widths: dict[str, int],
    cells: Mapping[str, Sequence[str]],
    width: int,
    lines: int,
    unwrapped: Collection[str],
) -> dict[str, int]:
    """`widths` with the room left given to the columns it lets wrap less, those that need
    the least of it first: a short name on one line rather than a long text one line less."""
    widths = dict(widths)
    for fewer in range(1, lines):
        wanted = {
            header: _column_px(header, texts, fewer) - widths[header]
            for header, texts in cells.items()
            if header not in unwrapped
        }
        for header, more in sorted(wanted.items(), key=lambda item: item[1]):
            if 0 < more <= width - sum(widths.values()):
                widths[header] += more
    return widths


def one_line_px(texts: Sequence[str]) -> int:
    """The width of a column whose every text (header included) shows on one line."""
    return math.ceil(max((text_px(t) for t in texts), default=0) + CELL_PAD_PX)


def _column_px(header: str, texts: Sequence[str], lines: int) -> int:
    """The narrowest column that holds its header on one line and every text (the widest
    decide) in `lines` lines or fewer, no word broken."""
    widest = sorted({t for t in texts if t}, key=text_px, reverse=True)[:20]
    room = max([text_px(header), *(_room(t, lines) for t in widest)])
    return math.ceil(room + CELL_PAD_PX)


def _room(text: str, lines: int) -> float:
    """The fewest pixels a line needs for `text` to wrap into `lines` lines or fewer."""
    whole = text_px(text)
    if lines == 1:
        return whole
    low, high = max(text_px(w) for w in text.split(" ")), whole
    while high - low > 1:
        middle = (low + high) / 2
        fits = wrapped_lines(text, middle)
        if fits is not None and fits <= lines:
            high = middle
        else:
            low = middle
    return high


def show_table(
    frame: pl.DataFrame,
    *,
    formats: Formats | None = None,
    fit: bool | int = False,
    **options: Any,
) -> Any:
    """`st.dataframe` of `frame` with missing values as an em dash, and each column named in
    `formats` written by its domain.formats function (money, signed_pct, ...) while its cells
    keep the number underneath. With `fit`, the columns sized and the rows made tall enough
    for the table to read whole at 1280 px (`fit_columns`), and up to FIT_ROWS rows on
    screen: `fit=True` for a table across the page, `fit=FIT_WIDTH_IN_EXPANDER` (or the
    pixels it has) for one in an expander. Every other option goes to `st.dataframe` as it
    is (a `placeholder` of its own too)."""
    frame = strip_bidi_frame(frame)
    if fit:
        options = _fitted(frame, formats or {}, FIT_WIDTH if fit is True else int(fit), options)
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


def _fitted(
    frame: pl.DataFrame, formats: Formats, width: int, options: dict[str, Any]
) -> dict[str, Any]:
    """`options` with the widths, row height and height of `fit_columns` for the columns
    shown (a width or height given stays)."""
    config = dict(options.get("column_config") or {})
    shown = [
        name
        for name in options.get("column_order") or frame.columns
        if name in frame.columns and _shown(config.get(name, ""))
    ]
    labels = {name: _label(config.get(name)) or name for name in shown}
    cells = {labels[name]: _texts(frame.get_column(name), formats.get(name)) for name in shown}
    unwrapped = {labels[n] for n in shown if frame.schema[n] != pl.String}
    picks = options.get("on_select", "ignore") != "ignore"
    fit = fit_columns(cells, width - (SELECT_PX if picks else 0), unwrapped)
    for name in shown:
        column = config.get(name)
        column = {"label": column} if isinstance(column, str) else dict(column or {})
        if column.get("width") is None:
            column["width"] = fit.widths[labels[name]]
        config[name] = column
    row_height = options.get("row_height") or fit.row_height
    height = min(frame.height, FIT_ROWS) * (row_height or 35) + HEADER_PX
    return {
        **options,
        "column_config": config,
        "row_height": row_height,
        "height": options.get("height", height),
    }


def _shown(column: Any) -> bool:
    return column is not None and not (isinstance(column, dict) and column.get("hidden"))


def _label(column: Any) -> str | None:
    return column if isinstance(column, str) else (column or {}).get("label")


def _texts(values: pl.Series, write: Callable[[Any], str] | None) -> list[str]:
    """A column's cells as the table shows them, near enough to measure."""
    return [_text(v, write) for v in values.to_list()]


def _text(value: Any, write: Callable[[Any], str] | None) -> str:
    if value is None:
        return MISSING
    if write is not None:
        return write(value)
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, float):
        return _plain(value)
    return str(value)
