"""The currency amounts are shown in. Amounts are stored as plain numbers; each snapshot
records the currency they are in (store, migration 4). What is shown is, in turn: the
currency of the snapshot in view, set for the current run with `use_currency`; else the
display currency editors chose in Settings; else the deployment's COCKPIT_CURRENCY; else
USD. The cockpit never converts: a sum across snapshots in different currencies is said
to mix them (ui/shell/currency_note.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT = "USD"
SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "AUD": "A$",
    "CAD": "C$",
    "NZD": "NZ$",
    "HKD": "HK$",
    "SGD": "S$",
    "BRL": "R$",
    "MXN": "MX$",
}
# The currency of what is being shown in this thread (a Streamlit run, a CLI command).
_ACTIVE: ContextVar[str | None] = ContextVar("cockpit_currency", default=None)


def deployment_currency() -> str:
    """COCKPIT_CURRENCY as a code (`£` reads as GBP), else USD."""
    raw = os.environ.get("COCKPIT_CURRENCY", "").strip()
    if not raw:
        return DEFAULT
    by_symbol = {symbol: code for code, symbol in reversed(SYMBOLS.items())}
    return by_symbol.get(raw, raw.upper())


def set_currency(code: str | None) -> None:
    """Show amounts in `code` from now on in this thread (None: the deployment's)."""
    _ACTIVE.set(code)


@contextmanager
def use_currency(code: str | None) -> Iterator[None]:
    """Show amounts in `code` inside the block (a report, a briefing)."""
    token = _ACTIVE.set(code)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active_currency() -> str:
    """The code amounts are shown in right now."""
    return _ACTIVE.get() or deployment_currency()


def currency_symbol(setting: str | None = None) -> str:
    """The prefix of an amount: $, €, £ for their codes; another ISO code as `CHF `; a
    symbol given directly as it is. `setting` defaults to the active currency."""
    raw = (setting if setting is not None else _ACTIVE.get() or _deployment_raw()).strip()
    code = raw.upper() or DEFAULT
    if code in SYMBOLS:
        return SYMBOLS[code]
    if len(code) == 3 and code.isalpha():
        return f"{code} "
    return raw


def _deployment_raw() -> str:
    return os.environ.get("COCKPIT_CURRENCY", "")


def currency_label(code: str) -> str:
    """`£ (GBP)`, `CHF`: how a setting or a note names a currency."""
    symbol = currency_symbol(code).strip()
    return code if symbol == code else f"{symbol} ({code})"
