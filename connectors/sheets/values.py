"""Parsing text cells into dates, money and numbers, as Polars expressions (no row loops).

Each parser returns an expression that is null where the cell cannot be read; the
validator compares it with the raw cell to report exactly which cells failed.
"""

from __future__ import annotations

import polars as pl

from domain.contract import PROJECT_STATUSES, RAG_VALUES

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"


def blank_to_null(raw: pl.Expr) -> pl.Expr:
    """Trimmed text, with empty cells as null."""
    text = raw.cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def parse_date(raw: pl.Expr, day_first: bool | None = None) -> pl.Expr:
    """ISO dates (also with a midnight time, as Excel cells arrive), `30 Sep 2026`, `Sep 30, 2026`,
    and d/m/y or m/d/y when the file has settled the order (`day_first`)."""
    text = blank_to_null(raw)
    iso = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    named = text.str.replace(r"(?i)^(\d{1,2})[ -]([a-z]{3})[a-z]*[ -](\d{4})$", "$1 $2 $3")
    day_month_name = named.str.to_date("%d %b %Y", strict=False)
    month_name_day = text.str.replace(
        r"(?i)^([a-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})$", "$2 $1 $3"
    ).str.to_date("%d %b %Y", strict=False)
    parsed = pl.coalesce(
        pl.when(text.str.contains(r"^\d{4}-\d{2}-\d{2}")).then(iso),
        pl.when(text.str.contains(rf"(?i)^\d{{1,2}}[ -]({_MONTHS})")).then(day_month_name),
        pl.when(text.str.contains(rf"(?i)^({_MONTHS})")).then(month_name_day),
    )
    if day_first is None:
        return parsed
    numeric = text.str.replace_all(r"[./]", "/")
    fmt = "%d/%m/%Y" if day_first else "%m/%d/%Y"
    return pl.coalesce(
        parsed,
        pl.when(numeric.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")).then(
            numeric.str.to_date(fmt, strict=False)
        ),
    )


def slash_date_order(raw: pl.Series) -> bool | None:
    """Settle day/month order from the cells themselves.

    True (day first) when some first part exceeds 12, False when some second part does,
    None when no cell settles it. Both at once also returns None (the file is mixed).
    """
    text = raw.cast(pl.String).str.strip_chars().str.replace_all(r"[./]", "/")
    parts = text.str.extract_groups(r"^(\d{1,2})/(\d{1,2})/\d{4}$")
    first = parts.struct.field("1").cast(pl.Int32, strict=False)
    second = parts.struct.field("2").cast(pl.Int32, strict=False)
    day_first = bool((first > 12).any())
    month_first = bool((second > 12).any())
    if day_first and not month_first:
        return True
    if month_first and not day_first:
        return False
    return None


def has_slash_dates(raw: pl.Series) -> bool:
    text = raw.cast(pl.String).str.strip_chars().str.replace_all(r"[./]", "/")
    return bool(text.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$").any())


def parse_number(raw: pl.Expr) -> pl.Expr:
    """Numbers and money: `1,200,000`, `$1.2M`, `1 200 000 EUR`, `(5,000)`, `45%` stays 45."""
    text = blank_to_null(raw)
    negative = text.str.contains(r"^\(.*\)$") | text.str.contains(r"^-")
    lowered = text.str.to_lowercase()
    multiplier = (
        pl.when(lowered.str.contains(r"\d\s*(bn|b)\b"))
        .then(1e9)
        .when(lowered.str.contains(r"\d\s*(m|mn|mio|million)\b"))
        .then(1e6)
        .when(lowered.str.contains(r"\d\s*(k|thousand)\b"))
        .then(1e3)
        .otherwise(1.0)
    )
    digits = (
        lowered.str.replace_all(
            r"(bn|mn|mio|million|thousand|usd|eur|gbp|chf|[a-z$€£¥%()\s\u00a0'])", ""
        )
        .str.replace_all(",", "")
        .str.strip_prefix("-")
    )
    value = digits.cast(pl.Float64, strict=False)
    return (
        pl.when(value.is_null())
        .then(None)
        .otherwise(pl.when(negative).then(-value).otherwise(value) * multiplier)
    )


def parse_status(raw: pl.Expr) -> pl.Expr:
    """Project status in any case or spacing (`On hold`, `on-hold`); empty means active."""
    text = blank_to_null(raw).str.to_lowercase().str.replace_all(r"[\s\-]+", "_")
    return (
        pl.when(text.is_null())
        .then(pl.lit("active"))
        .when(text.is_in(PROJECT_STATUSES))
        .then(text)
        .otherwise(None)
    )


def parse_rag(raw: pl.Expr) -> pl.Expr:
    """RAG, three- or five-point: `Amber/Green`, `amber-green`, `A/G`, `G`."""
    text = (
        blank_to_null(raw)
        .str.to_lowercase()
        .str.replace_all(r"\s*[/\-]\s*", "/")
        .str.replace_all(r"\s+", " ")
    )
    short = {"g": "green", "a": "amber", "r": "red", "a/g": "amber/green", "a/r": "amber/red"}
    mapped = text.replace(short)
    return pl.when(mapped.is_in(RAG_VALUES)).then(mapped).otherwise(None)
