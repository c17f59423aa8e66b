"""A column mapping: how one organisation's export becomes a contract table.

A `Mapping` says which contract table a file holds and, per contract column, a rule:
read a column of the file, a fixed value, or a project id made from another column (or
two); with a date format, a money unit and currency, and what to do with cells it cannot
read. Three options say what to do with rows an export carries that are not one clean
row per item: rows whose required cells are empty, totals rows whatever column says
"Total", and ids repeated by several rows (keep the last). It is
written as TOML so a PMO lead can keep it next to the export, edit it, and use it from the
CLI; the store keeps one per source so the next upload of that source is mapped the same.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields, replace

import polars as pl
import tomli_w

from connectors.sheets.validate import UNREADABLE_FIX
from domain.contract import TABLES, Column

HEADER = "# Cockpit column mapping, version 1\n"
UNITS: dict[str, float] = {"units": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
DERIVATIONS = ("slug",)
CURRENCY_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR", "¥": "JPY", "₹": "INR"}
NUMERIC = ("money", "number")
DUPLICATES = ("refuse", "keep_last")
OPTION_KEYS = ("skip_incomplete_rows", "totals_in_any_column", "duplicate_ids")
RULE_KEYS = (
    "column",
    "and_column",
    "constant",
    "derive",
    "date_format",
    "unit",
    "currency",
    "blank_unreadable",
    "skip_unreadable",
)


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the key and what is allowed."""


@dataclass(frozen=True)
class Rule:
    """How one contract column is filled. Exactly one of `column` or `constant` is set;
    `derive = "slug"` makes an id from `column`; `and_column` makes an id from `column`
    and a second column (`005-000001723` and `656` -> `005-000001723-656`)."""

    column: str | None = None
    and_column: str | None = None
    constant: str | None = None
    derive: str | None = None
    date_format: str | None = None
    unit: str = "units"
    currency: str | None = None
    blank_unreadable: bool = False
    skip_unreadable: bool = False

    @property
    def scale(self) -> float:
        return UNITS[self.unit]

    def as_dict(self) -> dict[str, object]:
        """The rule's TOML table: only what differs from the defaults."""
        defaults = Rule()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(defaults, f.name)
        }

    def describe(self) -> str:
        """One line for people: `slug of project_name`, `end_date (%d.%m.%y)`, ..."""
        if self.constant is not None:
            return f"always {self.constant!r}"
        read = f"{self.column} and {self.and_column}" if self.and_column else str(self.column)
        text = f"id made from {read}" if self.derive or self.and_column else read
        extras = [
            e
            for e in (
                self.date_format,
                self.unit if self.unit != "units" else None,
                self.currency,
                "unreadable left empty" if self.blank_unreadable else None,
                "rows with unreadable cells left out" if self.skip_unreadable else None,
            )
            if e
        ]
        return text + (f" ({', '.join(extras)})" if extras else "")


@dataclass(frozen=True)
class Mapping:
    """Which contract table a file holds, and a rule per contract column it fills."""

    table: str
    columns: dict[str, Rule] = field(default_factory=dict)
    skip_incomplete: bool = False  # leave out rows whose required cells are empty
    totals_anywhere: bool = False  # leave out rows with Total/Subtotal in any cell
    duplicates: str = "refuse"  # or keep_last: the last row of each repeated id

    def file_columns(self) -> list[str]:
        """The headers of the file this mapping reads, in contract order, once each."""
        read = [h for r in self.columns.values() for h in (r.column, r.and_column) if h]
        return list(dict.fromkeys(read))

    def options(self) -> dict[str, object]:
        """The row options that differ from the defaults, as TOML keys."""
        return {
            key: value
            for key, value, default in (
                ("skip_incomplete_rows", self.skip_incomplete, False),
                ("totals_in_any_column", self.totals_anywhere, False),
                ("duplicate_ids", self.duplicates, "refuse"),
            )
            if value != default
        }

    def to_toml(self) -> str:
        """The mapping as a TOML document (columns in contract order)."""
        order = TABLES[self.table].names
        columns = {name: self.columns[name].as_dict() for name in order if name in self.columns}
        document = {"table": self.table, **self.options(), "columns": columns}
        return HEADER + tomli_w.dumps(document)

    def summary(self) -> dict[str, object]:
        """What the mapping fills, for the audit log."""
        return {"table": self.table, "columns": ", ".join(self.columns), **self.options()}

    def with_rule(self, column: str, rule: Rule | None) -> Mapping:
        """A copy with one column's rule replaced (None: the column is not mapped)."""
        columns = {k: v for k, v in self.columns.items() if k != column}
        if rule is not None:
            columns[column] = rule
        return replace(self, columns=columns)


def parse_mapping(text: str, origin: str = "The mapping") -> Mapping:
    """Read a mapping from TOML text; `MappingError` says what is wrong and what is allowed."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{origin} is not valid TOML ({exc}).") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise MappingError(
            f"{origin} nests arrays or tables too deeply to be a mapping: a mapping holds "
            "plain values, under table, its options and one [columns.<name>] per column."
        ) from None
    unknown = sorted(set(document) - {"table", "columns", "version", *OPTION_KEYS})
    if unknown:
        raise MappingError(
            f"{origin} has the unknown key {unknown[0]!r}; the allowed keys are table, "
            + ", ".join(OPTION_KEYS)
            + " and [columns.<name>] tables."
        )
    table = document.get("table")
    if table not in TABLES:
        raise MappingError(
            f"{origin}: table = {table!r} is not a contract table; use "
            + ", ".join(repr(t) for t in TABLES)
            + "."
        )
    columns = document.get("columns", {})
    if not isinstance(columns, dict):
        raise MappingError(f"{origin}: columns must be tables such as [columns.project_id].")
    rules = {}
    for name, body in columns.items():
        if name not in TABLES[table].names:
            raise MappingError(
                f"{origin}: columns.{name} is not a column of {table}; its columns are "
                + ", ".join(TABLES[table].names)
                + "."
            )
        rules[name] = _rule(origin, TABLES[table].column(name), body)
    for key in ("skip_incomplete_rows", "totals_in_any_column"):
        if not isinstance(document.get(key, False), bool):
            raise MappingError(f"{origin}: {key} must be true or false.")
    duplicates = document.get("duplicate_ids", "refuse")
    if duplicates not in DUPLICATES:
        raise MappingError(
            f"{origin}: duplicate_ids = {duplicates!r} is not allowed; use "
            + " or ".join(repr(d) for d in DUPLICATES)
            + "."
        )
    return Mapping(
        table,
        rules,
        skip_incomplete=document.get("skip_incomplete_rows", False),
        totals_anywhere=document.get("totals_in_any_column", False),
        duplicates=duplicates,
    )


def _rule(origin: str, column: Column, body: object) -> Rule:
    where = f"{origin}: columns.{column.name}"
    if not isinstance(body, dict):
        raise MappingError(f'{where} must be a table with keys such as column = "...".')
    unknown = sorted(set(body) - set(RULE_KEYS))
    if unknown:
        raise MappingError(
            f"{where} has the unknown key {unknown[0]!r}; allowed: " + ", ".join(RULE_KEYS) + "."
        )
    for key in ("column", "and_column", "derive", "date_format", "unit", "currency"):
        if key in body and not isinstance(body[key], str):
            raise MappingError(f"{where}.{key} must be text in quotes.")
    for key in ("blank_unreadable", "skip_unreadable"):
        if key in body and not isinstance(body[key], bool):
            raise MappingError(f"{where}.{key} must be true or false.")
    constant = body.get("constant")
    if isinstance(constant, bool) or (
        constant is not None and not isinstance(constant, str | int | float | dt.date)
    ):
        raise MappingError(f"{where}.constant must be text, a number or a date.")
    rule = Rule(
        column=body.get("column"),
        and_column=body.get("and_column"),
        constant=None if constant is None else str(constant),
        derive=body.get("derive"),
        date_format=body.get("date_format"),
        unit=body.get("unit", "units"),
        currency=body.get("currency"),
        blank_unreadable=body.get("blank_unreadable", False),
        skip_unreadable=body.get("skip_unreadable", False),
    )
    check_rule(where, column, rule)
    return rule


def check_rule(where: str, column: Column, rule: Rule) -> None:
    """Raise `MappingError` when the rule does not fit the column (see `parse_mapping`)."""
    if (rule.column is None) == (rule.constant is None):
        raise MappingError(
            f'{where} needs exactly one of column = "<a header of the file>" or '
            'constant = "<a value for every row>".'
        )
    if rule.derive is not None and (rule.derive not in DERIVATIONS or rule.column is None):
        raise MappingError(
            f'{where}.derive = {rule.derive!r} is not allowed; use derive = "slug" together '
            'with column = "<the column to make the id from>".'
        )
    if rule.derive and column.kind != "text":
        raise MappingError(f'{where}: derive = "slug" only makes ids (text columns).')
    if rule.and_column is not None and (rule.column is None or column.kind != "text"):
        raise MappingError(
            f'{where}.and_column makes an id from two columns: it needs column = "..." too, '
            "and applies to id and text columns only."
        )
    if rule.date_format is not None:
        if column.kind != "date":
            raise MappingError(f"{where}.date_format only applies to date columns.")
        _check_date_format(where, rule.date_format)
    if rule.unit not in UNITS:
        raise MappingError(
            f"{where}.unit = {rule.unit!r} is not allowed; use " + ", ".join(UNITS) + "."
        )
    if rule.unit != "units" and column.kind not in NUMERIC:
        raise MappingError(f"{where}.unit only applies to money and number columns.")
    if rule.currency is not None:
        if column.kind != "money":
            raise MappingError(f"{where}.currency only applies to money columns.")
        if not (
            rule.currency in CURRENCY_SYMBOLS
            or (len(rule.currency) == 3 and rule.currency.isalpha())
        ):
            raise MappingError(
                f"{where}.currency = {rule.currency!r} is not allowed; use a three-letter code "
                "such as GBP, USD or EUR."
            )
    if rule.blank_unreadable and rule.skip_unreadable:
        raise MappingError(f"{where}: choose blank_unreadable or skip_unreadable, not both.")
    if rule.blank_unreadable and column.required:
        raise MappingError(
            f"{where}.blank_unreadable is only allowed for optional columns ({column.name} is "
            "required); use skip_unreadable = true to leave such rows out instead."
        )
    if rule.constant is not None:
        _check_constant(where, column, rule.constant)


def _check_date_format(where: str, text: str) -> None:
    sample = dt.date(2026, 9, 30)
    try:
        ok = "%" in text and dt.datetime.strptime(sample.strftime(text), text).date() == sample
    except ValueError:
        ok = False
    if not ok:
        raise MappingError(
            f"{where}.date_format = {text!r} is not a date format; write one such as "
            '"%d.%m.%y" (30.06.08), "%d.%m.%Y" (30.06.2008) or "%m/%d/%Y" (06/30/2008).'
        )


def _check_constant(where: str, column: Column, value: str) -> None:
    """A fixed value must be readable as its column's kind, or every row would be refused."""
    from connectors.sheets.mapped import readable

    if column.kind == "text" and column.name != "jira_key":
        return
    if not pl.select(readable(column, pl.lit(value, pl.String))).item():
        raise MappingError(
            f"{where}.constant = {value!r} cannot be read as {column.kind}; "
            + (UNREADABLE_FIX[column.kind] or "write a value of that kind.")
        )
