"""What the downloadable template holds, derived from the contract so the two never drift:
one worked example row per table and a note for every column."""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.contract import TABLES, Column

KIND_LABELS = {
    "text": "text",
    "date": "date (2026-09-30)",
    "money": "money >= 0",
    "number": "number",
    "status": "choice (see note)",
    "rag": "choice (see note)",
    "choice": "choice (see note)",
}


def _example(column: Column) -> object:
    text = column.example
    if not text:
        return None
    if column.kind == "date":
        return dt.date.fromisoformat(text)
    if column.kind in ("money", "number"):
        return float(text)
    return text


def example_frames() -> dict[str, pl.DataFrame]:
    """One worked example row per table, typed as the contract says (they load together)."""
    return {
        name: pl.DataFrame([{c.name: _example(c) for c in table.columns}], schema=table.schema)
        for name, table in TABLES.items()
    }


def column_notes() -> pl.DataFrame:
    """Every column of every table: its type, whether it is required, what it means."""
    return pl.DataFrame(
        [
            {
                "table": table.name,
                "column": column.name,
                "type": KIND_LABELS[column.kind],
                "required": "yes" if column.required else "",
                "note": column.note,
                "example": column.example,
            }
            for table in TABLES.values()
            for column in table.columns
        ],
        schema={n: pl.String for n in ("table", "column", "type", "required", "note", "example")},
    )


HOW_TO = (
    "Fill in one row per project, one per benefit and one per benefit per measurement date. "
    "Keep the column names; columns may be in any order and unknown columns are ignored. "
    "Replace the example rows with your own. Upload this workbook (or one CSV per table) "
    "with the date the snapshot describes (its as-of date)."
)
