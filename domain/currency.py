"""The currency amounts are shown in. Amounts are stored as plain numbers; which currency
they are in is a fact about the deployment (a UK portfolio office reports in pounds), so it
is set once for the app and the command line alike: COCKPIT_CURRENCY."""

from __future__ import annotations

import os

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


def currency_symbol(setting: str | None = None) -> str:
    """The prefix of an amount: $, €, £ for their codes; another ISO code as `CHF `; a
    symbol given directly as it is. `setting` defaults to COCKPIT_CURRENCY (else USD)."""
    raw = (os.environ.get("COCKPIT_CURRENCY", "") if setting is None else setting).strip()
    code = raw.upper() or DEFAULT
    if code in SYMBOLS:
        return SYMBOLS[code]
    if len(code) == 3 and code.isalpha():
        return f"{code} "
    return raw
