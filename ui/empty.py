"""What a page shows when the store has no data yet: how to get some, never an error."""

from __future__ import annotations

import streamlit as st


def show_empty_store() -> None:
    st.info(
        "**No portfolio data yet.** Load a snapshot to see the gap between delivery and value.",
        icon=":material/upload_file:",
    )
    st.markdown(
        """
- **Try the demo:** `python -m connectors demo`
  (or `make run`, which loads it into an empty store).
- **Load your own spreadsheet:**
  `python -m connectors load projects.csv benefits.csv --as-of 2026-09-30`.
"""
    )
