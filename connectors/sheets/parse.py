"""From a sheet of text cells to a table with the contract's columns, parsed by kind.

Parsing happens in two steps so that a clean million-row file costs one cast per
column: `stage` trims every cell and applies the fast parsers; `finish` applies the
full parsers only to columns the fast ones could not read entirely, with the day/month
order and decimal separator that `settle` found for the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from connectors.sheets.headers import match_columns
from connectors.sheets.problems import Problem
from connectors.sheets.read import ROW, RawTable
from connectors.sheets.validate import FILE, raw
from connectors.sheets.values import (
    Conventions,
    day_order_evidence,
    decimal_evidence,
    fast_date,
    fast_number,
    full_date,
    full_number,
    parse_choice,
    parse_jira_key,
    parse_rag,
    parse_status,
)
from domain.bidi import BIDI_PATTERN
from domain.contract import Table

NUMERIC_KINDS = ("money", "number")


@dataclass(frozen=True)
class Staged:
    """One sheet read as one contract table, trimmed and fast-parsed.

    It keeps the sheet's label and headers but not its cells, so the text frame can be
    freed. `unread` lists the date and number columns where the fast parser left cells
    unread.
    """

    label: str
    headers: tuple[str, ...]
    header_row: int
    table: Table
    mapping: dict[str, str]
    frame: pl.DataFrame
    unread: tuple[str, ...]

    def columns_of(self, *kinds: str) -> list[str]:
        return [c.name for c in self.table.columns if c.kind in kinds and c.name in self.mapping]


def _parsers(table: Table, with_bidi: frozenset[str] = frozenset()) -> list[pl.Expr]:
    """The fast parser of each column; text columns in `with_bidi` lose their direction
    controls (invisible characters that can make a name display as another)."""
    parsed = []
    for column in table.columns:
        cell = pl.col(raw(column.name))
        if column.name in with_bidi:
            stripped = cell.str.replace_all(BIDI_PATTERN, "")
            cell = pl.when(stripped.str.len_bytes() > 0).then(stripped)
        if column.kind == "date":
            parsed.append(fast_date(cell).alias(column.name))
        elif column.kind in NUMERIC_KINDS:
            parsed.append(fast_number(cell).alias(column.name))
        elif column.kind == "status":
            parsed.append(parse_status(cell).alias(column.name))
        elif column.kind == "rag":
            parsed.append(parse_rag(cell).alias(column.name))
        elif column.kind == "choice":
            parsed.append(parse_choice(cell, column.choices, column.default).alias(column.name))
        elif column.name == "jira_key":
            parsed.append(parse_jira_key(cell).alias(column.name))
        else:
            parsed.append(cell.alias(column.name))
    return parsed


def stage(source: RawTable, table: Table) -> Staged:
    """Rename the sheet's headers to contract columns, drop empty rows, fast-parse.

    Cells are trimmed; cells left empty become null and rows left empty are dropped, each
    only where there are such cells (most files have none, and each costs a copy).
    """
    mapping = match_columns(table.name, source.headers)
    mapped = [raw(c) for c in table.names if c in mapping]
    trimmed = source.frame.select(
        pl.col(ROW),
        pl.lit(source.label, pl.Categorical).alias(FILE),
        *[
            (
                pl.col(mapping[c]).str.strip_chars() if c in mapping else pl.lit(None, pl.String)
            ).alias(raw(c))
            for c in table.names
        ],
    )
    texts = [raw(c.name) for c in table.columns if c.kind == "text" and c.name in mapping]
    checks = trimmed.select(
        *[(pl.col(c).str.len_bytes() == 0).any().alias(c) for c in mapped],
        *[pl.col(c).str.contains(BIDI_PATTERN).any().alias(f"bidi {c}") for c in texts],
        pl.any_horizontal([pl.col(c).is_not_null() for c in mapped] or [pl.lit(False)])
        .all()
        .alias("__all_filled"),
    ).row(0, named=True)
    blanks = [c for c in mapped if checks[c]]
    if blanks:
        trimmed = trimmed.with_columns(
            pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in blanks
        )
    if not checks["__all_filled"]:
        trimmed = trimmed.filter(pl.any_horizontal([pl.col(c).is_not_null() for c in mapped]))
    with_bidi = frozenset(c.removeprefix(raw("")) for c in texts if checks[f"bidi {c}"])
    frame = trimmed.with_columns(_parsers(table, with_bidi))
    candidates = [
        c.name for c in table.columns if c.kind in ("date", *NUMERIC_KINDS) and c.name in mapping
    ]
    unread: tuple[str, ...] = ()
    if candidates and frame.height:
        flags = frame.select(
            [
                (pl.col(c).is_null() & pl.col(raw(c)).is_not_null()).any().alias(c)
                for c in candidates
            ]
        ).row(0)
        unread = tuple(c for c, flag in zip(candidates, flags, strict=True) if flag)
    return Staged(
        source.label,
        tuple(source.headers),
        source.header_row,
        table,
        mapping,
        frame,
        unread,
    )


@dataclass(frozen=True)
class _Cell:
    column: str
    row: int
    value: str
    label: str


def _first(staged: Staged, column: str, condition: pl.Expr) -> tuple[int, _Cell | None]:
    """How many cells of a column meet the condition, and the first of them."""
    hits = staged.frame.filter(condition.fill_null(False))
    if hits.height == 0:
        return 0, None
    row = hits.row(0, named=True)
    return hits.height, _Cell(column, row[ROW], row[raw(column)], staged.label)


def settle(file: str, staged: list[Staged]) -> tuple[Conventions, list[Problem]]:
    """The day/month order and decimal separator of one file, from all of its sheets.

    A file that writes 03/04/2026 and nothing that settles the order, or that mixes
    30/09 with 09/30, is refused: guessing would silently move dates by months.
    """
    problems: list[Problem] = []
    day_first_cells: list[_Cell] = []
    month_first_cells: list[_Cell] = []
    ambiguous: list[tuple[int, _Cell]] = []
    comma_cells: list[_Cell] = []
    point_seen = False
    for part in staged:
        for column in part.columns_of("date"):
            if column not in part.unread:
                continue
            unread = pl.col(column).is_null() & pl.col(raw(column)).is_not_null()
            day_first, month_first, either = day_order_evidence(pl.col(raw(column)))
            for bucket, condition in (
                (day_first_cells, day_first),
                (month_first_cells, month_first),
            ):
                _, cell = _first(part, column, unread & condition)
                if cell:
                    bucket.append(cell)
            count, cell = _first(part, column, unread & either)
            if cell:
                ambiguous.append((count, cell))
        numeric = part.columns_of(*NUMERIC_KINDS)
        for column in numeric:
            if column in part.unread:
                comma, _ = decimal_evidence(pl.col(raw(column)))
                _, cell = _first(part, column, pl.col(column).is_null() & comma)
                if cell:
                    comma_cells.append(cell)
    if comma_cells:
        for part in staged:
            columns = part.columns_of(*NUMERIC_KINDS)
            if (
                columns
                and part.frame.select(
                    pl.any_horizontal([decimal_evidence(pl.col(raw(c)))[1].any() for c in columns])
                ).item()
            ):
                point_seen = True
    day_first = None
    if day_first_cells and month_first_cells:
        first, other = day_first_cells[0], month_first_cells[0]
        problems.append(
            Problem(
                "error",
                f"mixes day/month dates ({first.value} in {first.column}, row {first.row}) with "
                "month/day dates like this one",
                "Write every date the same way, preferably as ISO 2026-09-30.",
                file=other.label,
                row=other.row,
                column=other.column,
                value=other.value,
            )
        )
    elif day_first_cells or month_first_cells:
        day_first = bool(day_first_cells)
    elif ambiguous:
        for count, cell in ambiguous:
            more = f" (and {count - 1:,} more dates in this column)" if count > 1 else ""
            problems.append(
                Problem(
                    "error",
                    f"is ambiguous: day/month or month/day{more}, and no date in {file} "
                    "settles the order",
                    "Write dates as ISO 2026-04-03, or as 3 Apr 2026.",
                    file=cell.label,
                    row=cell.row,
                    column=cell.column,
                    value=cell.value,
                )
            )
    return Conventions(day_first, bool(comma_cells) and not point_seen), problems


def finish(staged: Staged, conventions: Conventions) -> pl.DataFrame:
    """Apply the full parsers where the fast ones left cells unread (or, in a decimal-comma
    file, to every number, since `1.234` then means 1234)."""
    exprs = []
    for column in staged.table.columns:
        name, cell = column.name, pl.col(raw(column.name))
        if column.kind == "date" and name in staged.unread:
            todo = pl.when(pl.col(name).is_null()).then(cell)
            exprs.append(
                pl.coalesce(pl.col(name), full_date(todo, conventions.day_first)).alias(name)
            )
        elif column.kind in NUMERIC_KINDS and conventions.decimal_comma and name in staged.mapping:
            exprs.append(full_number(cell, decimal_comma=True).alias(name))
        elif column.kind in NUMERIC_KINDS and name in staged.unread:
            todo = pl.when(pl.col(name).is_null()).then(cell)
            exprs.append(pl.coalesce(pl.col(name), full_number(todo)).alias(name))
    return staged.frame.with_columns(exprs) if exprs else staged.frame
