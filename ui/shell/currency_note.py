"""What a view says about currencies: which one its amounts are in, and when the figures
it compares (changes since the previous snapshot, trends over quarters) come from
snapshots in another currency. The cockpit never converts, so it says so instead."""

from __future__ import annotations

import datetime as dt

from domain.currency import currency_label
from domain.formats import date_text


def currency_note(currencies: dict[dt.date, str], as_of: dt.date | None, shown: str) -> str:
    """`Amounts in £ (GBP).`, and a sentence when other snapshots are in another currency."""
    text = f"Amounts in {currency_label(shown)}."
    if as_of is None:
        return text
    earlier = sorted(d for d in currencies if d < as_of)
    others = sorted({currencies[d] for d in currencies} - {shown})
    if earlier and currencies[earlier[-1]] != shown:
        before = earlier[-1]
        return text + (
            f" The snapshot before, {date_text(before)}, is in "
            f"{currency_label(currencies[before])}: changes since then compare two "
            "currencies, which the cockpit does not convert."
        )
    if others:
        return text + (
            f" Other snapshots are in {', '.join(currency_label(c) for c in others)}: trends "
            "across them mix currencies, which the cockpit does not convert."
        )
    return text
