"""Parsing text cells into dates, money and numbers, as Polars expressions (no row loops).

Every parser comes in two speeds. The fast one reads the canonical form (`2026-09-30`,
`1200000.5`) and costs one cast; the full one reads every accepted spelling and is only
applied to the columns where the fast one left cells unread. Parsers return null where
a cell cannot be read; the validator compares that with the raw text to report the cell.

Day/month order and the decimal separator are conventions of a whole file: the `*_evidence`
expressions say which cells settle them, and `Conventions` carries what was settled.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from domain.contract import PROJECT_STATUSES, RAG_VALUES

MONTHS = {
    name: str(i)
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


@dataclass(frozen=True)
class Conventions:
    """How one file writes ambiguous dates and numbers.

    day_first: True for 30/09/2026, False for 09/30/2026, None when unsettled (then only
    day/month forms whose two parts are equal can be read).
    decimal_comma: True when the file writes 1.234,5 rather than 1,234.5.
    """

    day_first: bool | None = None
    decimal_comma: bool = False


# Dates ---------------------------------------------------------------------------------

_TIME = r"(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?)?"
_ISO = rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$"
_DAY_MONTH_NAME = (
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?\.?[ -]([a-z]{{3}})[a-z]*\.?,?[ -](\d{{4}}|\d{{2}}){_TIME}$"
)
_MONTH_NAME_DAY = rf"^([a-z]{{3}})[a-z]*\.?[ -](\d{{1,2}})(?:st|nd|rd|th)?,?[ -](\d{{4}}){_TIME}$"
_NUMERIC = rf"^(\d{{1,2}})([/.-])(\d{{1,2}})[/.-](\d{{4}}|\d{{2}}){_TIME}$"


def fast_date(text: pl.Expr) -> pl.Expr:
    """ISO `2026-09-30` only: one cast, enough for most files and every export we make."""
    return text.str.to_date("%Y-%m-%d", strict=False)


# Two-digit years pivot as strptime's %y does: 69-99 are 1969-1999, 00-68 are 2000-2068
# (so the start of a project begun in 1997 is not read as 2097).
PIVOT = 69


def _year(part: pl.Expr) -> pl.Expr:
    short = part.str.len_chars() == 2
    century = (
        pl.when(part.cast(pl.Int32, strict=False) >= PIVOT)
        .then(pl.lit("19"))
        .otherwise(pl.lit("20"))
    )
    return pl.when(short).then(century + part).otherwise(part)


def _numeric_parts(text: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """(first, separator, second, year) of a day/month form such as 03/04/2026."""
    parts = text.str.to_lowercase().str.extract_groups(_NUMERIC)
    return (
        parts.struct.field("1").cast(pl.Int32, strict=False),
        parts.struct.field("2"),
        parts.struct.field("3").cast(pl.Int32, strict=False),
        parts.struct.field("4"),
    )


def full_date(text: pl.Expr, day_first: bool | None) -> pl.Expr:
    """Every accepted spelling: ISO (also with a time, as Excel cells arrive), `30 Sep 2026`,
    `30-Sep-26`, `Sep 30, 2026`, `30.09.2026` (always day first), and `30/09/2026` or
    `09/30/2026` in the order the file has settled (`day_first`)."""
    lowered = text.str.to_lowercase()
    iso = lowered.str.extract_groups(_ISO)
    dmn = lowered.str.extract_groups(_DAY_MONTH_NAME)
    mnd = lowered.str.extract_groups(_MONTH_NAME_DAY)
    first, sep, second, num_year = _numeric_parts(text)
    same = first == second
    if day_first is None:
        num_day = pl.when((sep == ".") | same).then(first)
        num_month = pl.when((sep == ".") | same).then(second)
    else:
        dot_or = (sep == ".") | pl.lit(day_first)
        num_day = pl.when(dot_or).then(first).otherwise(second)
        num_month = pl.when(dot_or).then(second).otherwise(first)
    year = pl.coalesce(
        iso.struct.field("1"),
        _year(dmn.struct.field("3")),
        mnd.struct.field("3"),
        pl.when(num_day.is_not_null()).then(_year(num_year)),
    )
    month = pl.coalesce(
        iso.struct.field("2"),
        dmn.struct.field("2").replace_strict(MONTHS, default=None, return_dtype=pl.String),
        mnd.struct.field("1").replace_strict(MONTHS, default=None, return_dtype=pl.String),
        num_month.cast(pl.String),
    )
    day = pl.coalesce(
        iso.struct.field("3"),
        dmn.struct.field("1"),
        mnd.struct.field("2"),
        num_day.cast(pl.String),
    )
    return pl.concat_str([year, month, day], separator="-").str.to_date("%Y-%m-%d", strict=False)


def parse_date(text: pl.Expr, day_first: bool | None = None) -> pl.Expr:
    """Fast where it can, full where it must (for callers that parse small frames)."""
    return pl.coalesce(fast_date(text), full_date(text, day_first))


def day_order_evidence(text: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Per cell: settles day-first (30/09), settles month-first (09/30), is ambiguous (03/04).

    Dotted dates (30.09.2026) are always day first and settle nothing for the others.
    """
    first, sep, second, _ = _numeric_parts(text)
    slash = sep != "."
    return (
        slash & (first > 12) & (second <= 12),
        slash & (second > 12) & (first <= 12),
        slash & (first <= 12) & (second <= 12) & (first != second),
    )


# Numbers and money ----------------------------------------------------------------------

_CURRENCY = (
    r"(?:us\$|usd|eur|gbp|chf|jpy|cad|aud|nzd|sek|nok|dkk|pln|inr|cny|zar|brl|mxn|sgd|hkd"
    r"|[$€£¥₹])"
)
_MULTIPLIER = r"(thousands|thousand|millions|million|billions|billion|mio|mn|mm|bn|k|m|b)"
_NUMBER = rf"^(\()?([-+−])?{_CURRENCY}?([-+−])?(\d[\d.,]*){_MULTIPLIER}?\.?{_CURRENCY}?(%)?(\))?$"
_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
_POINT_CORE = r"^(?:\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?)$"
_COMMA_CORE = r"^(?:\d+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?)$"
_COMMA_EVIDENCE = r"^(?:\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,})$"
_POINT_EVIDENCE = r"^(?:\d+\.\d{1,2}|\d+\.\d{4,}|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,})$"


def fast_number(text: pl.Expr) -> pl.Expr:
    """Plain numbers (`1200000`, `-3.5`, `1.2E+06`): one cast; never NaN or infinite."""
    value = text.cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)


def _number_parts(text: pl.Expr) -> pl.Expr:
    compact = text.str.to_lowercase().str.replace_all(r"[\s\u00a0\u202f']", "")
    return compact.str.extract_groups(_NUMBER)


def full_number(text: pl.Expr, decimal_comma: bool = False) -> pl.Expr:
    """Money and numbers as people write them: `1,200,000`, `$1.2M`, `1 200 000 EUR`,
    `(5,000)` for a negative, `45%` (stays 45), and `1.234,5` in decimal-comma files."""
    parts = _number_parts(text)
    core = parts.struct.field("4")
    if decimal_comma:
        digits = pl.when(core.str.contains(_COMMA_CORE)).then(
            core.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
        )
    else:
        digits = pl.when(core.str.contains(_POINT_CORE)).then(
            core.str.replace_all(",", "", literal=True)
        )
    opened = parts.struct.field("1").is_not_null()
    closed = parts.struct.field("7").is_not_null()
    signs = pl.concat_str(
        [parts.struct.field("2").fill_null(""), parts.struct.field("3").fill_null("")]
    )
    negative = opened | signs.str.contains("[-−]")
    scale = parts.struct.field("5").replace_strict(_SCALE, default=1.0, return_dtype=pl.Float64)
    magnitude = digits.cast(pl.Float64, strict=False) * scale
    value = pl.when(negative).then(-magnitude).otherwise(magnitude)
    well_formed = (opened == closed) & (signs.str.len_chars() <= 1)
    return pl.when(well_formed & value.is_finite()).then(value)


def parse_number(text: pl.Expr, decimal_comma: bool = False) -> pl.Expr:
    """Fast where it can, full where it must (for callers that parse small frames)."""
    if decimal_comma:
        return full_number(text, True)
    return pl.coalesce(fast_number(text), full_number(text, False))


def decimal_evidence(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Per cell: written with a decimal comma (`2,5`, `1.200,50`), with a decimal point
    (`2.5`, `1,200.50`). `1,200` and `1.200` settle nothing."""
    core = _number_parts(text).struct.field("4")
    return core.str.contains(_COMMA_EVIDENCE), core.str.contains(_POINT_EVIDENCE)


# Categories -------------------------------------------------------------------------------

_STATUS_ALIASES = {
    "in_progress": "active",
    "in_flight": "active",
    "ongoing": "active",
    "open": "active",
    "paused": "on_hold",
    "onhold": "on_hold",
    "hold": "on_hold",
    "suspended": "on_hold",
    "completed": "delivered",
    "complete": "delivered",
    "done": "delivered",
    "canceled": "cancelled",
    "stopped": "cancelled",
    "terminated": "cancelled",
    "pipeline": "proposed",
    "idea": "proposed",
}


def parse_status(text: pl.Expr) -> pl.Expr:
    """Project status in any case or spacing (`On hold`, `on-hold`, `Completed`); empty is
    active."""
    key = text.str.to_lowercase().str.replace_all(r"[\s\-]+", "_")
    mapped = key.replace(_STATUS_ALIASES)
    return (
        pl.when(text.is_null())
        .then(pl.lit("active"))
        .when(mapped.is_in(PROJECT_STATUSES))
        .then(mapped)
        .otherwise(None)
    )


def parse_choice(text: pl.Expr, choices: tuple[str, ...], default: str | None) -> pl.Expr:
    """One of `choices` in any case (`SQL`, ` Weekly `); empty is `default`; anything else
    null (reported with the choices)."""
    key = text.str.to_lowercase().str.strip_chars()
    return (
        pl.when(text.is_null())
        .then(pl.lit(default, pl.String))
        .when(key.is_in(choices))
        .then(key)
        .otherwise(None)
    )


_RAG_ALIASES = {
    "g": "green",
    "a": "amber",
    "r": "red",
    "a/g": "amber/green",
    "g/a": "amber/green",
    "green/amber": "amber/green",
    "a/r": "amber/red",
    "r/a": "amber/red",
    "red/amber": "amber/red",
}


def parse_rag(text: pl.Expr) -> pl.Expr:
    """RAG, three- or five-point: `Amber/Green`, `amber-green`, `A/G`, `G`."""
    key = (
        text.str.to_lowercase()
        .str.replace_all(r"\s*[/\-]\s*", "/")
        .str.replace_all(r"\s+", " ")
        .replace(_RAG_ALIASES)
    )
    return pl.when(key.is_in(RAG_VALUES)).then(key)


_JIRA_KEY = r"^[A-Z][A-Z0-9_]+-[1-9]\d*$"


def parse_jira_key(text: pl.Expr) -> pl.Expr:
    """An issue key such as PAY-123 (any case in, upper case out); null when malformed."""
    key = text.str.to_uppercase()
    return pl.when(key.str.contains(_JIRA_KEY)).then(key)


# Mapped columns -----------------------------------------------------------------------------

_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EXCEL_DATE = (
    rf"^(?:\d{{1,2}}\s*[.\-/ ]\s*{_MONTH_WORD}(?:\s*[.\-/ ]\s*\d{{2,4}})?"
    rf"|{_MONTH_WORD}\s*[.\-/ ]\s*\d{{1,4}}"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}"
    r"|\d{4}-\d{2}-\d{2}(?:[ t]00:00:00)?)$"
)


def excel_date_like(text: pl.Expr) -> pl.Expr:
    """Cells of a number column that Excel has turned into dates: `07. Sep`, `Sep-07`,
    `7-Sep`, `07.09.2024`, or a date cell (`2024-09-07 00:00:00`)."""
    return text.str.strip_chars().str.to_lowercase().str.contains(_EXCEL_DATE)


def numeric_date_like(text: pl.Expr) -> pl.Expr:
    """Day/month forms such as 03/04/2026, which only the whole file's order settles."""
    return text.str.to_lowercase().str.contains(_NUMERIC)


def slug(text: pl.Expr) -> pl.Expr:
    """A stable id from a name: lower case, every run of other characters than letters and
    digits a single `-`, none at either end (`Heat Networks (HNIP)` -> `heat-networks-hnip`).
    Empty names give null, so the validator names the row."""
    value = text.str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", "-").str.strip_chars("-")
    return pl.when(value.str.len_bytes() > 0).then(value)


def scaled_number(text: pl.Expr, scale: float, decimal_comma: bool = False) -> pl.Expr:
    """An amount written in thousands, millions, ... as a plain number. A cell that carries
    its own multiplier (`1.2bn`) keeps it rather than being scaled twice."""
    value = parse_number(text, decimal_comma)
    own = _number_parts(text).struct.field("5").is_not_null()
    return pl.when(own).then(value).otherwise(value * scale)
