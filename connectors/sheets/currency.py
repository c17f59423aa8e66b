"""Which currency an upload's amounts are in: one per snapshot, recorded with it.

The evidence is what the upload says itself: the currency a mapping gives its amount
columns, a sign or code in the amount cells (`£12,343.96`, `1 200 000 EUR`), a code or
sign in an amount column's header (`Budget (GBP)`, `Planned Cost ($ M)`). Amounts in two
currencies would be added up as if they were one, so such an upload is refused; so is one
whose amounts contradict the currency the uploader declared. The cockpit never converts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

from connectors.sheets.mapping import CURRENCY_SYMBOLS, Mapping
from connectors.sheets.parse import Staged
from connectors.sheets.problems import Problem
from connectors.sheets.validate import raw

CODES = (
    "USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "INR",
    "CNY", "ZAR", "BRL", "MXN", "SGD", "HKD",
)  # fmt: skip
_MARK = r"(us\$|" + "|".join(c.lower() for c in CODES) + r"|[$€£¥₹])"
_HEADER_CODE = re.compile(r"(?<![a-z])(" + "|".join(c.lower() for c in CODES) + r")(?![a-z])")


def code_of(mark: str) -> str:
    """`£` -> GBP, `us$` -> USD, `eur` -> EUR."""
    mark = mark.strip()
    if mark.lower() == "us$":
        return "USD"
    return CURRENCY_SYMBOLS.get(mark, mark.upper())


def header_currency(header: str) -> str | None:
    """The currency an amount column's header names (`Budget (GBP)`, `Cost ($ M)`)."""
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in header:
            return code
    found = _HEADER_CODE.search(header.lower())
    return found.group(1).upper() if found else None


def _marks(cell: pl.Expr) -> pl.Expr:
    """The currency sign or code an amount cell starts or ends with (`£12.5`, `1 200 EUR`,
    `(US$5)`), not a code-like word inside a sentence."""
    text = cell.str.strip_chars().str.to_lowercase()
    mark = pl.coalesce(
        text.str.extract(r"^[(\-+−\s]*" + _MARK), text.str.extract(_MARK + r"[)\s.]*$")
    )
    return pl.when(text.str.contains(r"\d")).then(mark)


def evidence(parts: Iterable[tuple[Staged, bool]], mapping: Mapping | None) -> dict[str, list[str]]:
    """Currency code -> where the upload says so (`budget of gmpp.csv (its cells)`), from
    each part (a sheet read as a table, and whether it was read through `mapping`)."""
    found: dict[str, list[str]] = {}

    def add(code: str, column: str, part: Staged, how: str) -> None:
        places = found.setdefault(code, [])
        where = f"{column} of {part.label} ({how})"
        if where not in places:
            places.append(where)

    for part, mapped in parts:
        columns = part.columns_of("money")
        if not columns or part.frame.height == 0:
            continue
        for column in columns:
            rule = mapping.columns.get(column) if mapped and mapping is not None else None
            if rule is not None and rule.currency:
                add(code_of(rule.currency), column, part, "the mapping")
            header = rule.column if rule is not None else part.mapping[column]
            named = header_currency(header or "")
            if named:
                add(named, column, part, "its header")
        marks = part.frame.select(
            _marks(pl.col(raw(c))).drop_nulls().unique().implode().alias(c) for c in columns
        ).row(0)
        for column, column_marks in zip(columns, marks, strict=True):
            for mark in column_marks:
                add(code_of(mark), column, part, "its cells")
    return found


def snapshot_currency(
    found: dict[str, list[str]], declared: str | None
) -> tuple[str | None, list[Problem]]:
    """The currency of the snapshot (declared, else the one the upload shows, else None)
    and the errors when the upload shows two, or another than the declared one."""
    if len(found) > 1:
        listed = "; ".join(f"{code}: {', '.join(places)}" for code, places in found.items())
        return None, [
            Problem(
                "error",
                f"the amounts are in more than one currency ({listed})",
                "One snapshot holds one currency, and the cockpit does not convert: convert "
                "the amounts to one currency before uploading, or correct the mapping's "
                "currency.",
            )
        ]
    shown = next(iter(found), None)
    if declared and shown and shown != declared.upper():
        return None, [
            Problem(
                "error",
                f"the amounts are in {shown} ({', '.join(found[shown])}), but the snapshot is "
                f"to be recorded in {declared.upper()}",
                f"Choose {shown} as the snapshot's currency, or convert the amounts first.",
            )
        ]
    return (declared.upper() if declared else shown), []
