"""What a page shows when the store has no data yet: how to get some, never an error."""

from __future__ import annotations

import streamlit as st


def show_empty_store() -> None:
    st.info(
        "**No portfolio data yet.** Load a snapshot to see the gap between delivery and value.",
        icon=":material/upload_file:",
    )
    st.page_link(
        "pages/data.py",
        label="Upload a spreadsheet (or load the demo) on the Data page",
        icon=":material/database:",
    )
    st.markdown(
        """
- **From the command line:**
  `python -m connectors load projects.csv benefits.csv --as-of 2026-09-30`,
  or `python -m connectors demo` for the demo portfolio.
"""
    )
