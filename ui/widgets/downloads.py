"""A table offered for download as CSV and as Excel, side by side (files: ui.widgets.exports)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui.widgets import exports


def table_downloads(frame: pl.DataFrame, label: str, name: str, sheet: str) -> None:
    """Buttons "<label> (CSV)" and "<label> (Excel)"; files named <name>-<date>.csv/.xlsx,
    the workbook's sheet named `sheet`."""
    downloads = st.container(horizontal=True)
    downloads.download_button(
        f"{label} (CSV)",
        exports.csv_bytes(frame),
        file_name=exports.stamped(name, "csv"),
        mime=exports.CSV_MIME,
        icon=":material/download:",
        on_click="ignore",
    )
    downloads.download_button(
        f"{label} (Excel)",
        exports.xlsx_bytes({sheet: frame}),
        file_name=exports.stamped(name, "xlsx"),
        mime=exports.XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
    )
