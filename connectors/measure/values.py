"""One number from what a source returned, or a failure that says why: never a 0 made
up for an empty answer, a text, a NaN or a null."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

RAW_CHARS = 200  # characters of a raw result kept with the value (or quoted in an error)


class SourceFailed(Exception):
    """The source gave no usable number; the message says what it gave instead."""


def shown(value: Any) -> str:
    """A raw result as text, cut short."""
    text = "null" if value is None else str(value)
    return text if len(text) <= RAW_CHARS else text[: RAW_CHARS - 1] + "…"


def one_number(value: Any) -> float:
    """`value` as a float, when it is a finite number."""
    if value is None:
        raise SourceFailed("returned null (no value), not a number")
    if isinstance(value, bool):
        raise SourceFailed(f"returned {str(value).lower()}, not a number")
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if math.isnan(number):
            raise SourceFailed("returned NaN, not a number")
        if math.isinf(number):
            raise SourceFailed("returned an infinite value, not a number")
        return number
    if isinstance(value, str):
        raise SourceFailed(f"returned the text {shown(value)!r}, not a number")
    if isinstance(value, dt.date | dt.datetime):
        raise SourceFailed(f"returned the date {value.isoformat()}, not a number")
    kind = "a list" if isinstance(value, list | tuple) else "an object"
    kind = kind if isinstance(value, list | tuple | dict) else type(value).__name__
    raise SourceFailed(f"returned {kind} ({shown(value)}), not a number")
