"""Money and percent as executives read them: $1.2M, 45%."""

from __future__ import annotations

import math

# d3-format strings for Vega-Lite axes and tooltips.
PCT = ".0%"
MONEY_AXIS = "$.2~s"


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
            return f"{sign}${text}{suffix}"
    return f"{sign}${amount:,.0f}"


def pct(value: float | None, digits: int = 0) -> str:
    """0.452 -> 45%; an em dash when unknown."""
    if _missing(value):
        return "—"
    assert value is not None
    return f"{value * 100:.{digits}f}%"


def pts(value: float | None) -> str:
    """Percentage points with a sign: +12 pts."""
    if _missing(value):
        return "—"
    assert value is not None
    return f"{value:+.0f} pts"


def days(value: float | None) -> str:
    if _missing(value):
        return "—"
    assert value is not None
    n = round(value)
    return f"{n:+d} days" if n else "on the day"
