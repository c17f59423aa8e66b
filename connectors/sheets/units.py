"""The scale an export writes its amounts in, from its headers and from its cells.

Public portfolio exports write money in millions (the UK GMPP in £m, the US IT Dashboard
in $ M), and not every header says so. Read as they are, `221.2` stores a £221.2M
programme as £221: nothing fails, and every figure is wrong. So a money column's unit is
the one its header names (`(£m)`, `($ M)`, `£million`, `in millions`, `(k)`, `thousands`),
else the one its cells betray: amounts whose median is below `SMALL` are millions, since
no portfolio is made of projects that cost less than a laptop.
"""

from __future__ import annotations

import re

import polars as pl

from connectors.sheets.values import parse_number

SMALL = 1_000.0  # a typical project amount below this is not written in units

UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "thousands": ("k", "000s", "thousand", "thousands", "000", "tsd"),
    "millions": ("m", "mn", "mio", "mil", "million", "millions"),
    "billions": ("bn", "billion", "billions"),
}
_SYMBOLS = "£$€¥₹"
_CODES = {"gbp", "usd", "eur", "chf", "jpy", "cad", "aud", "nzd", "inr", "sek", "nok", "dkk"}
# Words that make a header an amount of money, whatever its cells look like.
MONEY_WORDS = {
    "cost",
    "costs",
    "budget",
    "budgets",
    "spend",
    "spent",
    "price",
    "outturn",
    "capex",
    "opex",
    "expenditure",
    "funding",
    "wlc",
    "bac",
    "eac",
}


def _words(header: str) -> set[str]:
    lowered = header.lower()
    for symbol in _SYMBOLS:
        lowered = lowered.replace(symbol, " ")
    return set(re.split(r"[^0-9a-z]+", lowered)) - {""}


def header_unit(header: str) -> str | None:
    """The unit a header names (`Budget (£m)`, `cost_k`, `WLC (£ million)`), or None."""
    words = _words(header)
    for unit, names in UNIT_WORDS.items():
        if words & set(names):
            return unit
    # `£m`, `$M`, `£bn` glued to their sign
    glued = re.search(rf"[{_SYMBOLS}]\s*(k|m|mn|bn)\b", header.lower())
    if glued:
        return {"k": "thousands", "bn": "billions"}.get(glued.group(1), "millions")
    return None


def money_header(header: str) -> bool:
    """A header that names money: a currency sign or code, or a cost or budget word."""
    if any(symbol in header for symbol in _SYMBOLS):
        return True
    words = _words(header)
    return bool(words & (MONEY_WORDS | _CODES))


def typical_amount(cells: pl.Expr) -> pl.Expr:
    """The median of a column's non-zero amounts, as written (signs and codes read)."""
    value = parse_number(cells).abs()
    return value.filter(value > 0).median()


def values_unit(typical: float | None) -> str | None:
    """`millions` when the typical amount is too small to be written in units."""
    if typical is None or typical <= 0:
        return None
    return "millions" if typical < SMALL else None


def money_unit(header: str, typical: float | None) -> tuple[str, str | None]:
    """(unit, why) for a money column: the header's unit, else the cells', else units."""
    named = header_unit(header)
    if named:
        return named, f"its header says {named}"
    guessed = values_unit(typical)
    if guessed and typical is not None:
        return guessed, (
            f"its amounts are small (typically {typical:,.2f}), too small for a project "
            f"budget in units"
        )
    return "units", None
