"""A mapping as the rows of a spreadsheet-like editor, and back. No Streamlit here, so the
conversions are tested on their own; ui/manage/mapping.py lays the editor out.

One row per contract column, the required ones first and marked *: where its values come from (a
column of the file, a fixed value, or a project id made from a column), then the settings
that apply to its type. Settings that do not fit a row's type are ignored; choices that
cannot work (no column chosen, "leave empty" on a required column) are listed as notes
and left out, so the check below the editor still runs.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from connectors.sheets.mapping import NUMERIC, Mapping, MappingError, Rule, check_rule
from domain.contract import TABLES, Table

NOT_USED, FILE_COLUMN, FIXED, SLUG = "—", "Column", "Fixed value", "Id from"
FROM_OPTIONS = (FILE_COLUMN, SLUG, FIXED, NOT_USED)
REFUSE, BLANK, SKIP = "Refuse", "Leave empty", "Skip the row"
UNREADABLE_OPTIONS = (REFUSE, BLANK, SKIP)
CURRENCIES = ("GBP", "USD", "EUR", "CHF", "JPY", "CAD", "AUD", "NZD", "INR", "SEK", "NOK", "DKK")
EXAMPLE_DATE = dt.date(2026, 9, 30)

REQUIRED_MARK = " *"

EDITOR_SCHEMA = pl.Schema(
    {
        "Column": pl.String(),
        "From": pl.String(),
        "File column": pl.String(),
        "Fixed value": pl.String(),
        "Date format": pl.String(),
        "Unit": pl.String(),
        "Currency": pl.String(),
        "If unreadable": pl.String(),
    }
)


def required_here(table: Table) -> list[str]:
    """Columns a row must have: the contract's required ones, and a project's committed
    end date (required unless the project is proposed)."""
    return [*table.required, *(["baseline_end"] if table.name == "projects" else [])]


def ordered(table: Table) -> list[str]:
    """Required columns first, then the others, each in contract order."""
    required = required_here(table)
    return [*required, *[n for n in table.names if n not in required]]


def date_example(fmt: str) -> str:
    """How 30 Sep 2026 looks in a format, to pick formats by sight."""
    return EXAMPLE_DATE.strftime(fmt)


def editor_frame(mapping: Mapping | None, table: str) -> pl.DataFrame:
    """The editor's rows for a table, filled from a mapping (or empty)."""
    spec = TABLES[table]
    rules = mapping.columns if mapping is not None and mapping.table == table else {}
    required = set(required_here(spec))
    records = []
    for name in ordered(spec):
        column, rule = spec.column(name), rules.get(name)
        source = (
            NOT_USED
            if rule is None
            else FIXED
            if rule.constant is not None
            else SLUG
            if rule.derive
            else FILE_COLUMN
        )
        records.append(
            {
                "Column": name + (REQUIRED_MARK if name in required else ""),
                "From": source,
                "File column": rule.column if rule else None,
                "Fixed value": rule.constant if rule else None,
                "Date format": rule.date_format if rule else None,
                "Unit": rule.unit if rule and column.kind in NUMERIC else None,
                "Currency": rule.currency if rule else None,
                "If unreadable": _unreadable(rule)
                if rule and can_be_unreadable(name, table)
                else None,
            }
        )
    return pl.DataFrame(records, schema=EDITOR_SCHEMA)


def can_be_unreadable(name: str, table: str) -> bool:
    """Text cells are always readable, except issue keys."""
    return TABLES[table].column(name).kind != "text" or name == "jira_key"


def _unreadable(rule: Rule) -> str:
    return BLANK if rule.blank_unreadable else SKIP if rule.skip_unreadable else REFUSE


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def mapping_from_editor(frame: pl.DataFrame, table: str) -> tuple[Mapping, list[str]]:
    """The mapping the editor's rows describe, and notes on rows that were left out."""
    spec = TABLES[table]
    rules: dict[str, Rule] = {}
    notes: list[str] = []
    for row in frame.iter_rows(named=True):
        name = str(row["Column"]).removesuffix(REQUIRED_MARK)
        if name not in spec.names:
            continue
        column = spec.column(name)
        source = row["From"] or NOT_USED
        header, constant = _text(row["File column"]), _text(row["Fixed value"])
        if source == NOT_USED:
            continue
        if source in (FILE_COLUMN, SLUG) and header is None:
            notes.append(f"{name}: choose the file column to read (not mapped for now).")
            continue
        if source == FIXED and constant is None:
            notes.append(f"{name}: type the fixed value (not mapped for now).")
            continue
        if source == SLUG and column.kind != "text":
            notes.append(f"{name}: only id columns can be made from another column.")
            continue
        unreadable = row["If unreadable"] or REFUSE
        if unreadable == BLANK and name in required_here(spec):
            notes.append(
                f"{name} is required, so its unreadable cells cannot be left empty: choose "
                "“Leave the row out” or “Refuse the upload”."
            )
            unreadable = REFUSE
        reading = source != FIXED
        rule = Rule(
            column=header if reading else None,
            constant=None if reading else constant,
            derive="slug" if source == SLUG else None,
            date_format=_text(row["Date format"]) if column.kind == "date" and reading else None,
            unit=(_text(row["Unit"]) or "units") if column.kind in NUMERIC and reading else "units",
            currency=_text(row["Currency"]) if column.kind == "money" and reading else None,
            blank_unreadable=reading and unreadable == BLANK,
            skip_unreadable=reading and unreadable == SKIP,
        )
        try:
            check_rule(name, column, rule)
        except MappingError as exc:
            notes.append(f"{exc} (not mapped for now)")
            continue
        rules[name] = rule
    return Mapping(table, {n: rules[n] for n in spec.names if n in rules}), notes


def unit_label(unit: str) -> str:
    """How the editor shows a unit: `units` reads as "as is"."""
    return {"units": "as is"}.get(unit, unit)
