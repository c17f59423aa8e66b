"""The scale an export writes its amounts in, from its headers and from its cells.

Public portfolio exports write money in millions (the UK GMPP in £m, the US IT Dashboard
in $ M), and not every header says so. Read as they are, `221.2` stores a £221.2M
programme as £221: nothing fails, and every figure is wrong. So a money column's unit is
the one its header names (`(£m)`, `($ M)`, `£million`, `in millions`, `(k)`, `thousands`),
else the one its cells betray: amounts whose median is below `SMALL` are millions, since
no portfolio is made of projects that cost less than a laptop. And before a commit, the
projects' amounts are held against the portfolio's own (the snapshot nearest in date), or
for a first snapshot against what a project can cost: a unit set wrong is a warning the
page asks to confirm, never a silent figure.
"""

from __future__ import annotations

import math
import re

import polars as pl

from connectors.sheets.mapping import Mapping
from connectors.sheets.problems import Problem
from connectors.sheets.read import RawTable
from connectors.sheets.values import parse_number
from domain.contract import TABLES
from domain.snapshot import MONEY_COLUMNS, TypicalAmounts

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


LARGE = 5e10  # a typical project above 50 billion: amounts multiplied out twice
DRIFT = 100.0  # a typical amount this many times off the portfolio's own: another unit
_SCALES = {3: "thousands", 6: "millions", 9: "billions"}


def doubtful_amounts(
    projects: pl.DataFrame, reference: TypicalAmounts | None, mapped: bool
) -> list[Problem]:
    """Warnings for amount columns that look like another unit: than the same column in
    the portfolio's snapshot nearest in date, or (without one) than what a project can
    cost; and than the upload's own budget (a forecast in units beside a budget in
    millions makes every project look on budget)."""
    present = [c for c in MONEY_COLUMNS if c in projects.columns]
    if not present or projects.height == 0:
        return []
    medians = projects.select(
        pl.col(c).filter(pl.col(c) > 0).median().alias(c) for c in present
    ).row(0, named=True)
    typical = {c: float(m) for c, m in medians.items() if m is not None}
    if not typical:
        return []
    first = next(iter(typical))  # the budget, when there is one
    doubts = []
    for column, value in typical.items():
        if column != first:  # in the unit of the budget beside it, or not
            problem = _against(value, typical[first], f"the {first} of the same projects")
        elif reference is not None and reference.medians.get(column):
            known = reference.medians[column]
            problem = _against(value, known, f"in the snapshot of {reference.as_of:%d %b %Y}")
        elif value < SMALL:
            problem = (
                f"is typically {value:,.2f}, too little for a project: are these amounts in "
                "millions (or thousands)?"
            )
        elif value > LARGE:
            problem = (
                f"is typically {value:,.0f}, more than 50 billion a project: were the "
                "amounts multiplied out twice?"
            )
        else:
            problem = None
        if problem is not None:
            doubts.append(_doubt(column, value, problem, mapped))
    return doubts


def _against(value: float, known: float, where: str) -> str | None:
    """`is typically 38.00, about 1,000,000 times less than <where> (38,200,000): ...`,
    or None when the two are within DRIFT of each other."""
    ratio = value / known
    if 1 / DRIFT < ratio < DRIFT:
        return None
    power = round(math.log10(ratio))
    times = f"about {10 ** abs(power):,} times {'less' if ratio < 1 else 'more'}"
    guess = _SCALES.get(-power)
    return f"is typically {value:,.2f}, {times} than {where} ({known:,.0f})" + (
        f": are these amounts in {guess}?" if guess else ": is the unit right?"
    )


def _doubt(column: str, value: float, problem: str, mapped: bool) -> Problem:
    fix = (
        f"If the amounts are in thousands or millions, set the unit of {column} in the mapping"
        if mapped
        else "If the amounts are in thousands or millions, write them in full (1200000) or "
        "with their multiplier (1.2M)"
    ) + "; if they are right as they are, confirm and commit anyway."
    return Problem("warning", problem, fix, "projects", column=column, value=f"{value:,.2f}")


NOTE_ROWS = 2000  # cells read per column for the notes (as the suggestion profiles)


def unit_notes(table: RawTable, mapping: Mapping) -> list[str]:
    """What each mapped amount column's header and cells say of its unit, where a person
    should look: a unit taken from small amounts, or amounts read as they are that look
    like millions."""
    spec = TABLES[mapping.table]
    money = {
        name: rule.column
        for name, rule in mapping.columns.items()
        if rule.column in table.headers and spec.column(name).kind == "money"
    }
    if not money:
        return []
    sample = table.frame.head(NOTE_ROWS)
    typical = sample.select(
        typical_amount(pl.col(h).cast(pl.String).str.strip_chars()).alias(name)
        for name, h in money.items()
    ).row(0, named=True)
    notes = []
    for name, header in money.items():
        unit, why = money_unit(header, typical[name])
        chosen = mapping.columns[name].unit
        if chosen == "units" and unit != "units":
            notes.append(f"{name} is read as it is, but {why}: {unit}?")
        elif chosen == unit != "units" and header_unit(header) is None:
            notes.append(f"{name} is read in {unit} because {why}: check it.")
    return notes
