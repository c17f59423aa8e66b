"""Table columns that show amounts the cockpit's way while they stay numbers, so that
sorting a table by an amount sorts by size, not by its text."""

from __future__ import annotations

import streamlit as st


def money_column(label: str) -> st.column_config.NumberColumn:
    """An amount in dollars, shown compact ($ in the header, 1.2M in the cell)."""
    return st.column_config.NumberColumn(f"{label} ($)", format="compact", width="small")
