"""Table columns that show amounts the cockpit's way while they stay numbers, so that
sorting a table by an amount sorts by size, not by its text."""

from __future__ import annotations

import streamlit as st

from domain.currency import currency_symbol


def money_column(label: str) -> st.column_config.NumberColumn:
    """An amount, shown compact: the currency in the header ($, £, ...), 1.2M in the cell."""
    symbol = currency_symbol().strip()
    return st.column_config.NumberColumn(f"{label} ({symbol})", format="compact", width="small")
