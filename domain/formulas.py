"""Text a spreadsheet would run as a formula, made inert in every file the product writes.

A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return) is a formula to
Excel and LibreOffice: `=HYPERLINK(...)` phones home, `=cmd|' /C calc'!A0` runs a program
(CSV injection). Such text gets a leading single quote, which spreadsheets show as text.
The store keeps the text exactly as uploaded; only the files written change it. Numbers
stay numbers (a negative amount is not text).
"""

from __future__ import annotations

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would read as a formula get a leading single quote."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )
