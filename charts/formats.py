"""Money and percent as executives read them: $1.2M, 45% (the currency: domain.currency)."""

from __future__ import annotations

import math

import polars as pl

from domain.currency import currency_symbol

# d3-format strings for Vega-Lite axes and tooltips.
PCT = ".0%"


def money_label_expr() -> str:
    """A Vega expression that labels an axis of amounts like `money`: $950K, $1.2M, -$5K
    (d3's own format writes thousands as "k", billions as "G" and knows only the dollar)."""
    symbol = currency_symbol().replace("\\", "\\\\").replace("'", "\\'")
    return (
        f"(datum.value < 0 ? '-' : '') + '{symbol}' + "
        "replace(replace(format(abs(datum.value), '.2~s'), 'k', 'K'), 'G', 'B')"
    )


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, digits: int = 1) -> str:
    """$1.2M, $950K, $3.4B, -$5K; an em dash when unknown."""
    if _missing(value):
        return "—"
    assert value is not None
    sign = "-" if value < 0 else ""
    amount = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if amount >= threshold:
            text = f"{amount / threshold:.{digits}f}".rstrip("0").rstrip(".")
            return f"{sign}{currency_symbol()}{text}{suffix}"
    return f"{sign}{currency_symbol()}{amount:,.0f}"


def pct(value: float | None, digits: int = 0) -> str:
    """0.452 -> 45%; an em dash when unknown."""
    if _missing(value):
        return "—"
    assert value is not None
    return f"{value * 100:.{digits}f}%"


def pts(value: float | None) -> str:
    """Percentage points with a sign: +12 pts; a change that rounds to nothing is 0 pts,
    never "-0 pts"."""
    if _missing(value):
        return "—"
    assert value is not None
    rounded = round(value)
    return f"{rounded:+d} pts" if rounded else "0 pts"


def days(value: float | None) -> str:
    """+12 days, -3 days, 0 days; an em dash when unknown."""
    if _missing(value):
        return "—"
    assert value is not None
    n = round(value)
    return f"{n:+d} days" if n else "0 days"


def signed_pct(value: float | None, digits: int = 0) -> str:
    """0.12 -> +12%, -0.03 -> -3%; an em dash when unknown."""
    if _missing(value):
        return "—"
    assert value is not None
    return f"{value * 100:+.{digits}f}%"


def money_expr(amount: pl.Expr) -> pl.Expr:
    """The Polars form of `money` for table columns: $1.2M, $950K, -$5K, an em dash if null."""
    size = amount.abs()
    symbol = pl.lit(currency_symbol())

    def scaled(divisor: float, suffix: str) -> pl.Expr:
        text = (size / divisor).round(1).cast(pl.String).str.replace(r"\.0$", "")
        return pl.concat_str([sign, symbol, text, pl.lit(suffix)])

    sign = pl.when(amount < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return (
        pl.when(amount.is_null() | amount.is_nan())
        .then(pl.lit("—"))
        .when(size >= 1e9)
        .then(scaled(1e9, "B"))
        .when(size >= 1e6)
        .then(scaled(1e6, "M"))
        .when(size >= 1e3)
        .then(scaled(1e3, "K"))
        .otherwise(pl.concat_str([sign, symbol, size.round(0).cast(pl.Int64).cast(pl.String)]))
    )


def signed_money(value: float | None) -> str:
    """+$1.2M / -$950K: a change in money; an em dash when unknown."""
    if _missing(value):
        return "—"
    assert value is not None
    return money(value) if value < 0 else "+" + money(value)


def share_pts(value: float | None) -> str:
    """A change of a share in percentage points: 0.04 -> +4 pts."""
    if _missing(value):
        return "—"
    assert value is not None
    return pts(value * 100)


def percent_text(share: pl.Expr) -> pl.Expr:
    """The Polars form of `pct` for table columns: 45%, an em dash if null."""
    return (
        pl.when(share.is_null() | share.is_nan())
        .then(pl.lit("—"))
        .otherwise(pl.format("{}%", (share * 100).round(0).cast(pl.Int64)))
    )
