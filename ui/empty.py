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


def show_no_match() -> None:
    """The filters leave nothing to show: say so, and how to widen the view."""
    st.info(
        "**No active project matches these filters.** Remove a filter in the sidebar "
        "or pick another snapshot.",
        icon=":material/filter_alt_off:",
    )
