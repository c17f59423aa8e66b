"""Applying a mapping: the file's own columns become contract columns of canonical text.

The result is an ordinary `RawTable` (ISO dates, plain numbers, row numbers as in the
file), so the usual parse and validate steps run unchanged and name the same rows. A cell
a rule cannot read keeps its text, so the validator shows it; under `blank_unreadable`
it becomes empty, under `skip_unreadable` its row is left out, each reported as a warning.
The mapping's row options leave out, in turn, totals rows (Total or Subtotal in any
cell), rows whose required cells are empty, and all but the last row of a repeated id;
each row left out is listed with why.
Numbers that Excel turned into dates are never blanked or skipped: they are wrong, not
missing, and the validator refuses them with the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from connectors.sheets.mapping import CURRENCY_SYMBOLS, NUMERIC, Mapping, Rule
from connectors.sheets.read import ROW, RawTable
from connectors.sheets.traps import TOTALS
from connectors.sheets.values import (
    decimal_evidence,
    excel_date_like,
    numeric_date_like,
    parse_date,
    parse_jira_key,
    parse_number,
    parse_rag,
    parse_status,
    scaled_number,
    slug,
)
from domain.contract import TABLES, Column

CELLS_SCHEMA = pl.Schema({ROW: pl.Int64(), "column": pl.String(), "value": pl.String()})


def _no_cells() -> pl.DataFrame:
    return pl.DataFrame(schema=CELLS_SCHEMA)


@dataclass(frozen=True)
class Mapped:
    """A sheet after its mapping. `table` is None when the sheet lacks columns the mapping
    reads (`missing`). The other frames list cells (row, column, value): left empty or
    whose rows were left out as unreadable (`blanked`, `skipped`); saying Total in a
    totals row (`totals`: left out when the mapping says so, else only found); required
    and empty (`incomplete`); the id of an earlier row of a repeated id (`repeated`)."""

    table: RawTable | None
    missing: tuple[str, ...] = ()
    blanked: pl.DataFrame = field(default_factory=_no_cells)
    skipped: pl.DataFrame = field(default_factory=_no_cells)
    totals: pl.DataFrame = field(default_factory=_no_cells)
    incomplete: pl.DataFrame = field(default_factory=_no_cells)
    repeated: pl.DataFrame = field(default_factory=_no_cells)

    def left_out(self, totals_anywhere: bool) -> dict[str, int]:
        """How many rows the mapping left out, by why (keys of LEFT_OUT)."""
        counts = {
            "totals": self.totals.height if totals_anywhere else 0,
            "unreadable": self.skipped.get_column(ROW).n_unique(),
            "incomplete": self.incomplete.height,
            "repeated": self.repeated.height,
        }
        return {why: n for why, n in counts.items() if n}


# Why a mapping left rows out: (one row, several rows).
LEFT_OUT = {
    "totals": ("totals row", "totals rows"),
    "unreadable": ("row with an unreadable cell", "rows with an unreadable cell"),
    "incomplete": ("row with an empty required cell", "rows with an empty required cell"),
    "repeated": ("earlier row of a repeated id", "earlier rows of a repeated id"),
}


def left_out_text(counts: dict[str, int]) -> str:
    """`26 totals rows, 1 row with an empty required cell`."""
    return ", ".join(f"{n:,} {LEFT_OUT[why][n != 1]}" for why, n in counts.items())


def readable(column: Column, text: pl.Expr) -> pl.Expr:
    """Whether the usual parsers can read a cell as the column's kind (empty counts as
    readable; so do day/month dates, which the file's other dates settle)."""
    if column.kind == "date":
        ok = parse_date(text).is_not_null() | numeric_date_like(text)
    elif column.kind in NUMERIC:
        ok = parse_number(text).is_not_null() | parse_number(text, True).is_not_null()
    elif column.kind == "status":
        ok = parse_status(text).is_not_null()
    elif column.kind == "rag":
        ok = parse_rag(text).is_not_null()
    elif column.name == "jira_key":
        ok = parse_jira_key(text).is_not_null()
    else:
        ok = pl.lit(True)
    return text.is_null() | ok


def _cell(header: str) -> pl.Expr:
    text = pl.col(header).cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _without_currency(text: pl.Expr, currency: str) -> pl.Expr:
    code = next((c for c, s in CURRENCY_SYMBOLS.items() if s == currency.upper()), None)
    marks = [re.escape(currency)] + ([re.escape(code)] if code else [])
    if currency in CURRENCY_SYMBOLS:
        marks.append(CURRENCY_SYMBOLS[currency])
    return text.str.replace_all("(?i)" + "|".join(marks), "").str.strip_chars()


def canonical(column: Column, rule: Rule, decimal_comma: bool) -> tuple[pl.Expr, pl.Expr]:
    """(the cell as in the file, its canonical text) for one mapped column."""
    if rule.constant is not None:
        value = pl.lit(rule.constant, pl.String)
        return value, value
    cell = _cell(str(rule.column))
    if rule.and_column is not None:
        second = _cell(rule.and_column)
        both = pl.concat_str([cell, second], separator=" " if rule.derive else "-")
        return both, slug(both) if rule.derive == "slug" else both
    if rule.derive == "slug":
        return cell, slug(cell)
    if column.kind == "date" and rule.date_format:
        parsed = cell.str.strptime(pl.Date, rule.date_format, strict=False)
        iso = pl.when(parsed.dt.year() >= 1000).then(parsed).dt.to_string("%Y-%m-%d")
        return cell, pl.coalesce(iso, cell)
    if column.kind in NUMERIC:
        number = _without_currency(cell, rule.currency) if rule.currency else cell
        if rule.scale == 1:
            return cell, number
        value = scaled_number(number, rule.scale, decimal_comma)
        value = value.round(2 if column.kind == "money" else 6)
        return cell, pl.coalesce(value.cast(pl.String), cell)
    return cell, cell


def _decimal_commas(frame: pl.DataFrame, mapping: Mapping) -> dict[str, bool]:
    """Scaled columns written with a decimal comma (`1,5` and never `1.5`): read in that
    column's own convention, since the whole file's is only settled later."""
    scaled = {
        name: rule
        for name, rule in mapping.columns.items()
        if rule.column and rule.scale != 1 and TABLES[mapping.table].column(name).kind in NUMERIC
    }
    if not scaled or frame.height == 0:
        return {}
    exprs = []
    for name, rule in scaled.items():
        comma, point = decimal_evidence(_cell(str(rule.column)))
        exprs.append((comma.any() & ~point.any()).fill_null(False).alias(name))
    return frame.select(exprs).row(0, named=True)


def apply_mapping(source: RawTable, mapping: Mapping) -> Mapped:
    """The sheet as contract columns of canonical text, rows numbered as in the file."""
    missing = tuple(c for c in mapping.file_columns() if c not in source.headers)
    if missing:
        return Mapped(None, missing)
    table = TABLES[mapping.table]
    # Empty rows go first: a fixed value would otherwise fill them.
    frame = source.frame.filter(
        pl.any_horizontal([_cell(h).is_not_null() for h in source.headers] or [pl.lit(False)])
    )
    totals = _totals(frame, source.headers)
    if mapping.totals_anywhere and totals.height:
        frame = frame.filter(~pl.col(ROW).is_in(totals.get_column(ROW).implode()))
    commas = _decimal_commas(frame, mapping)
    originals, texts, unread = [], [], []
    for name, rule in mapping.columns.items():
        column = table.column(name)
        cell, text = canonical(column, rule, commas.get(name, False))
        originals.append(cell.alias(f"__cell_{name}"))
        texts.append(text.alias(name))
        if rule.blank_unreadable or rule.skip_unreadable:
            # On the columns made above, not on their expressions: the readers would
            # otherwise repeat each canonical expression many times over.
            bad = ~readable(column, pl.col(name))
            if column.kind in NUMERIC:
                bad = bad & ~excel_date_like(pl.col(f"__cell_{name}")).fill_null(False)
            unread.append(bad.fill_null(False).alias(f"__bad_{name}"))
    staged = frame.select(pl.col(ROW), *originals, *texts)
    if unread:
        staged = staged.with_columns(unread)
    blank = [n for n, r in mapping.columns.items() if r.blank_unreadable]
    skip = [n for n, r in mapping.columns.items() if r.skip_unreadable]
    skipped = _cells(staged, skip)
    blanked = _cells(staged, blank)
    if skip:
        staged = staged.filter(~pl.any_horizontal([pl.col(f"__bad_{n}") for n in skip]))
        blanked = blanked.filter(~pl.col(ROW).is_in(skipped.get_column(ROW).implode()))
    if blank:
        staged = staged.with_columns(
            pl.when(~pl.col(f"__bad_{n}")).then(pl.col(n)).alias(n) for n in blank
        )
    incomplete = _no_cells()
    if mapping.skip_incomplete:
        staged, incomplete = _without_incomplete(staged, mapping)
    repeated = _no_cells()
    if mapping.duplicates == "keep_last":
        staged, repeated = _without_repeats(staged, mapping)
    names = [n for n in table.names if n in mapping.columns]
    out = RawTable(source.file, source.sheet, staged.select(ROW, *names), source.header_row)
    return Mapped(out, (), blanked, skipped, totals, incomplete, repeated)


def _totals(frame: pl.DataFrame, headers: list[str]) -> pl.DataFrame:
    """(row, column, value) of the first cell of each row that says Total, Subtotal, Grand
    total, ... whichever column it is in (an agency's totals row names the agency's
    column, not the project's)."""
    if not headers or frame.height == 0:
        return _no_cells()
    says = [
        pl.when(_cell(h).str.to_lowercase().str.contains(TOTALS)).then(pl.lit(h)) for h in headers
    ]
    found = frame.select(pl.col(ROW), pl.coalesce(says).alias("column")).filter(
        pl.col("column").is_not_null()
    )
    if found.height == 0:
        return _no_cells()
    values = frame.join(found, on=ROW).select(
        pl.col(ROW),
        pl.col("column"),
        pl.coalesce(pl.when(pl.col("column") == h).then(_cell(h)) for h in headers).alias("value"),
    )
    return values.select(CELLS_SCHEMA.names()).cast(dict(CELLS_SCHEMA))


def required_columns(mapping: Mapping) -> list[str]:
    """The mapped columns a row cannot be without (a project's committed end date too,
    unless the project is proposed)."""
    spec = TABLES[mapping.table]
    names = [*spec.required, *(["baseline_end"] if spec.name == "projects" else [])]
    return [n for n in names if n in mapping.columns]


def _without_incomplete(
    staged: pl.DataFrame, mapping: Mapping
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows with an empty required cell left out; (row, first empty column) of each."""
    required = required_columns(mapping)
    if not required:
        return staged, _no_cells()
    proposed = (
        (parse_status(pl.col("status")) == "proposed").fill_null(False)
        if "status" in mapping.columns
        else pl.lit(False)
    )
    empty = [
        pl.when(pl.col(n).is_null() & (~proposed if n == "baseline_end" else pl.lit(True))).then(
            pl.lit(n)
        )
        for n in required
    ]
    marked = staged.with_columns(pl.coalesce(empty).alias("__empty"))
    left_out = marked.filter(pl.col("__empty").is_not_null()).select(
        pl.col(ROW), pl.col("__empty").alias("column"), pl.lit(None, pl.String).alias("value")
    )
    return marked.filter(pl.col("__empty").is_null()).drop("__empty"), left_out


def _without_repeats(staged: pl.DataFrame, mapping: Mapping) -> tuple[pl.DataFrame, pl.DataFrame]:
    """All but the last row of each repeated id left out; (row, key column, id) of each."""
    key = list(TABLES[mapping.table].key)
    if not all(k in mapping.columns for k in key):
        return staged, _no_cells()
    complete = pl.all_horizontal([pl.col(k).is_not_null() for k in key])
    earlier = complete & ~pl.struct(key).is_last_distinct()
    left_out = staged.filter(earlier).select(
        pl.col(ROW), pl.lit(key[0]).alias("column"), pl.col(key[0]).alias("value")
    )
    return staged.filter(~earlier), left_out


def _cells(staged: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """(row, column, value as in the file) of the unreadable cells of these columns."""
    if not names:
        return pl.DataFrame(schema=CELLS_SCHEMA)
    parts = [
        staged.filter(pl.col(f"__bad_{n}")).select(
            pl.col(ROW), pl.lit(n).alias("column"), pl.col(f"__cell_{n}").alias("value")
        )
        for n in names
    ]
    return pl.concat(parts).sort(ROW, maintain_order=True)
