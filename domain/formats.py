"""Every number and date the cockpit shows, written one way: tiles, tables, chart tooltips,
the narrative, the PDF and the command line all format through this module.

One rounding rule, half away from zero (52.5% is 53%, -2.5 is -3), applied alike in Python
and in Polars. Figures a reader can subtract add up on screen: the gap shown is the
difference of the rates shown (`gap_points`), and a change shown is the difference of the
values shown (`share_change`, `money_change`). Amounts carry their currency sign in one
compact form ($4.0M, $950K, $3.4B); dates read `30 Sep 2026`. A missing value is an em
dash, never "None".
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from domain.currency import currency_symbol

MISSING = "—"
# Float noise is dropped at this many decimals before rounding, so that a share such as
# 29/200 (0.145, stored as 0.14499999999999999) is 14.5% and rounds like it.
NOISE_DECIMALS = 9
DATE_FORMAT = "%-d %b %Y"  # 30 Sep 2026, 1 Oct 2026 (strftime in Polars and on Linux)

# d3-format strings for Vega-Lite axes, whose ticks are round values (tooltips get their
# text from the functions below instead, so they round the same way as everything else).
PCT = ".0%"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def half_away(value: float, digits: int = 0) -> float:
    """`value` rounded to `digits` decimals, ties away from zero: 52.5 -> 53, -2.5 -> -3."""
    exact = Decimal(repr(round(value, NOISE_DECIMALS)))
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)) + 0.0


def half_away_expr(value: pl.Expr, digits: int = 0) -> pl.Expr:
    """The Polars form of `half_away` (the same noise rule, the same ties)."""
    return value.round(NOISE_DECIMALS).round(digits, mode="half_away_from_zero") + 0.0


def whole(value: float) -> int:
    """`value` rounded to a whole number, ties away from zero."""
    return int(half_away(value))


# Shares and percentage points ------------------------------------------------------------


def percent_points(share: float | None) -> int | None:
    """The whole percent a share is shown as: 0.525 -> 53; None when unknown."""
    return None if _missing(share) else whole(share * 100)  # type: ignore[operator]


def pct(share: float | None) -> str:
    """0.452 -> 45%; an em dash when unknown."""
    shown = percent_points(share)
    return MISSING if shown is None else f"{shown}%"


def signed_pct(share: float | None) -> str:
    """0.12 -> +12%, -0.03 -> -3%, and 0% for what rounds to nothing (never "-0%")."""
    shown = percent_points(share)
    if shown is None:
        return MISSING
    return f"{shown:+d}%" if shown else "0%"


def pts(points: float | None) -> str:
    """Percentage points with a sign: +12 pts; a change that rounds to nothing is 0 pts,
    never "-0 pts"."""
    if _missing(points):
        return MISSING
    shown = whole(points)  # type: ignore[arg-type]
    return f"{shown:+d} pts" if shown else "0 pts"


def points_words(points: float) -> str:
    """A size in percentage points, unsigned, in words: '1 point', '25 points'."""
    shown = abs(whole(points))
    return f"{shown} point{'' if shown == 1 else 's'}"


def gap_points(output_rate: float | None, outcome_rate: float | None) -> int | None:
    """The gap as shown: the shown output rate minus the shown outcome rate, so that
    78% and 53% always read as a gap of 25 points."""
    output, outcome = percent_points(output_rate), percent_points(outcome_rate)
    return None if output is None or outcome is None else output - outcome


def share_change(current: float | None, previous: float | None) -> str:
    """The change of a share as the difference of the shown percents: +4 pts."""
    now, before = percent_points(current), percent_points(previous)
    return MISSING if now is None or before is None else pts(now - before)


def points_change(current: float | None, previous: float | None) -> str:
    """The change of a figure in points as the difference of the shown whole points."""
    if _missing(current) or _missing(previous):
        return MISSING
    return pts(whole(current) - whole(previous))  # type: ignore[arg-type]


# Money ----------------------------------------------------------------------------------


def _money_parts(value: float) -> tuple[float, str, int]:
    """(shown size in its unit, unit suffix, decimals): the largest unit in which the rounded
    amount is at least 1, so 999,960 is $1.0M, never $1000K."""
    size = abs(value)
    millions = half_away(size / 1e6, 1)
    if millions >= 1000:
        return half_away(size / 1e9, 1), "B", 1
    if whole(size / 1e3) >= 1000:
        return millions, "M", 1
    if whole(size) >= 1000:
        return float(whole(size / 1e3)), "K", 0
    return float(whole(size)), "", 0


def money(value: float | None) -> str:
    """$4.0M, $74.8M, $950K, $3.4B, $40, -$5K; an em dash when unknown."""
    if _missing(value):
        return MISSING
    assert value is not None
    shown, suffix, decimals = _money_parts(value)
    sign = "-" if value < 0 and shown else ""
    return f"{sign}{currency_symbol()}{shown:.{decimals}f}{suffix}"


def shown_amount(value: float | None) -> float | None:
    """The amount `money` shows, as a number: 74,767,524 -> 74,800,000."""
    if _missing(value):
        return None
    assert value is not None
    shown, suffix, _ = _money_parts(value)
    scale = {"B": 1e9, "M": 1e6, "K": 1e3, "": 1.0}[suffix]
    return math.copysign(half_away(shown * scale, 0), value) + 0.0


def signed_money(value: float | None) -> str:
    """+$1.2M / -$950K: a change in money; an em dash when unknown."""
    if _missing(value):
        return MISSING
    assert value is not None
    text = money(value)
    return text if text.startswith("-") else "+" + text


def money_change(current: float | None, previous: float | None) -> str:
    """The change of an amount as the difference of the shown amounts: $74.8M against
    $69.8M is +$5.0M."""
    now, before = shown_amount(current), shown_amount(previous)
    return MISSING if now is None or before is None else signed_money(now - before)


def money_label_expr() -> str:
    """A Vega expression that labels an axis of amounts: $950K, $1.2M, -$5K (d3's own format
    writes thousands as "k", billions as "G" and knows only the dollar). Axis ticks are
    round values, so they need no decimals."""
    symbol = currency_symbol().replace("\\", "\\\\").replace("'", "\\'")
    return (
        f"(datum.value < 0 ? '-' : '') + '{symbol}' + "
        "replace(replace(format(abs(datum.value), '.2~s'), 'k', 'K'), 'G', 'B')"
    )


# Counts, days and dates ------------------------------------------------------------------


def days(value: float | None) -> str:
    """+12 days, -3 days, 0 days; an em dash when unknown."""
    if _missing(value):
        return MISSING
    n = whole(value)  # type: ignore[arg-type]
    return f"{n:+d} days" if n else "0 days"


def date_text(day: dt.date | None) -> str:
    """30 Sep 2026; an em dash when unknown."""
    return MISSING if day is None else f"{day.day} {day:%b %Y}"


# Polars forms, for table columns and chart data ------------------------------------------


def percent_text(share: pl.Expr) -> pl.Expr:
    """The Polars form of `pct`: 45%, an em dash if null."""
    return (
        pl.when(share.is_null() | share.is_nan())
        .then(pl.lit(MISSING))
        .otherwise(pl.format("{}%", whole_expr(share * 100)))
    )


def signed_percent_text(share: pl.Expr) -> pl.Expr:
    """The Polars form of `signed_pct`: +12%, -3%, 0%, an em dash if null."""
    shown = whole_expr(share * 100)
    return (
        pl.when(share.is_null() | share.is_nan())
        .then(pl.lit(MISSING))
        .when(shown > 0)
        .then(pl.format("+{}%", shown))
        .otherwise(pl.format("{}%", shown))
    )


def whole_expr(value: pl.Expr) -> pl.Expr:
    """The Polars form of `whole`: a whole number, ties away from zero."""
    return half_away_expr(value).cast(pl.Int64, strict=False)  # NaN: null


def money_expr(amount: pl.Expr) -> pl.Expr:
    """The Polars form of `money`: $4.0M, $950K, -$5K, an em dash if null."""
    size = amount.abs()
    symbol = pl.lit(currency_symbol())
    millions = half_away_expr(size / 1e6, 1)
    thousands = whole_expr(size / 1e3)
    units = whole_expr(size)

    def tenths(shown: pl.Expr, suffix: str) -> pl.Expr:
        text = shown.cast(pl.String)  # a value rounded to tenths prints as 4.0, 74.8
        return pl.concat_str([sign, symbol, text, pl.lit(suffix)])

    sign = pl.when((amount < 0) & (units > 0)).then(pl.lit("-")).otherwise(pl.lit(""))
    return (
        pl.when(amount.is_null() | amount.is_nan())
        .then(pl.lit(MISSING))
        .when(millions >= 1000)
        .then(tenths(half_away_expr(size / 1e9, 1), "B"))
        .when(thousands >= 1000)
        .then(tenths(millions, "M"))
        .when(units >= 1000)
        .then(pl.concat_str([sign, symbol, thousands.cast(pl.String), pl.lit("K")]))
        .otherwise(pl.concat_str([sign, symbol, units.cast(pl.String)]))
    )


def date_expr(day: pl.Expr, missing: str = MISSING) -> pl.Expr:
    """The Polars form of `date_text`: 30 Sep 2026, `missing` (an em dash) if null."""
    return day.dt.strftime(DATE_FORMAT).fill_null(missing)
