"""Rows real exports carry that are not data: the header repeated inside the table (two
exports pasted together, or a printed report's page headers) and totals rows. Both are
left out with a warning naming the row, for every upload, mapped or not."""

from __future__ import annotations

import re
from dataclasses import replace

import polars as pl

from connectors.sheets.parse import Staged
from connectors.sheets.problems import Problem
from connectors.sheets.read import ROW, RawTable
from connectors.sheets.validate import Findings, raw
from domain.contract import Table

TOTALS = r"^(?:(?:grand|sub)[\s\-]*)?totals?(?:\s*[:(\-–].*)?$|^sum$"
_DEDUPED = re.compile(r" \(\d+\)$")
_UNNAMED = re.compile(r"^\(unnamed column \d+\)$")

# The text columns a totals row writes "Total" into, by table.
LABEL_COLUMNS = {
    "projects": ("project_id", "name"),
    "benefits": ("benefit_id", "kpi"),
    "measurements": ("benefit_id",),
    "measurement_sources": ("benefit_id",),
}


def _plain(text: pl.Expr) -> pl.Expr:
    return text.cast(pl.String).str.strip_chars().str.replace_all(r"\s+", " ").str.to_lowercase()


def repeated_header_rows(table: RawTable) -> tuple[RawTable, list[int]]:
    """The table without rows that repeat its header, and those rows' numbers.

    A row repeats the header when at least half of the named columns (and two or more)
    hold their own header text.
    """
    named = {h: _DEDUPED.sub("", h).lower() for h in table.headers if not _UNNAMED.match(h)}
    if len(named) < 2 or table.frame.height == 0:
        return table, []
    needed = max(2, (len(named) + 1) // 2)
    matches = pl.sum_horizontal(
        [(_plain(pl.col(h)) == text).fill_null(False).cast(pl.Int32) for h, text in named.items()]
    )
    repeats = matches >= needed
    rows = table.frame.filter(repeats).get_column(ROW).to_list()
    if not rows:
        return table, []
    kept = table.frame.filter(~repeats)
    return RawTable(table.file, table.sheet, kept, table.header_row), rows


def totals_rows(frame: pl.DataFrame, table: Table) -> pl.Expr | None:
    """An expression true on the rows whose id or name says Total, Grand total, Subtotal,
    Sum, ...; None when the table has no such column in this frame."""
    columns = [raw(c) for c in LABEL_COLUMNS[table.name] if raw(c) in frame.columns]
    if not columns:
        return None
    return pl.any_horizontal(
        [_plain(pl.col(c)).str.contains(TOTALS).fill_null(False) for c in columns]
    )


def without_repeated_headers(table: RawTable, findings: Findings) -> RawTable:
    kept, rows = repeated_header_rows(table)
    for row in rows:
        findings.add(
            Problem(
                "warning",
                "repeats the header row, so it was left out",
                "Nothing to do; delete the row from the file to silence this warning.",
                file=table.label,
                row=row,
            )
        )
    return kept


def without_totals(part: Staged, findings: Findings) -> Staged:
    """Leave out totals rows (their id or name says Total), each with a warning."""
    condition = totals_rows(part.frame, part.table)
    if condition is None:
        return part
    totals = part.frame.filter(condition)
    if totals.height == 0:
        return part
    column = next(c for c in (part.table.key[0], "name", "kpi") if raw(c) in totals.columns)
    for row, value in totals.select(ROW, raw(column)).iter_rows():
        findings.add(
            Problem(
                "warning",
                "looks like a totals row, so it was left out (the cockpit adds up itself)",
                "Nothing to do; delete the row from the file to silence this warning.",
                part.table.name,
                part.label,
                row,
                column,
                value,
            )
        )
    return replace(part, frame=part.frame.filter(~condition))
