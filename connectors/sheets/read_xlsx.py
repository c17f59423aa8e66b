"""XLSX workbooks through fastexcel (calamine): every visible sheet, cells as text.

Sheets are read without assuming where the table starts: the header is the first row
that names a contract table, so a title above it is fine and row numbers stay those
Excel shows. Date cells arrive as `2026-09-30 00:00:00`, which the date parser reads.
"""

from __future__ import annotations

import fastexcel
import polars as pl

from connectors.sheets.headers import HEADER_SEARCH_ROWS, NOTES_SHEETS, find_header, normalise
from connectors.sheets.read import RawTable, SourceFile, UnreadableFile, with_headers


def read_workbook(source: SourceFile) -> list[RawTable]:
    """One RawTable per visible, non-empty sheet (README-like sheets are skipped)."""
    try:
        reader = fastexcel.read_excel(source.data)
        tables = []
        for name in reader.sheet_names:
            if normalise(name) in NOTES_SHEETS:
                continue
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            if sheet.visible != "visible":
                continue
            frame = pl.DataFrame(sheet.to_polars())
            table = _table(source.name, name, frame)
            if table is not None:
                tables.append(table)
        return tables
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises several types for damaged workbooks
        raise UnreadableFile(
            f"{source.name} looks like an Excel workbook but cannot be read "
            f"({type(exc).__name__}). Open it in Excel, save it again as .xlsx, and upload that."
        ) from None


def _table(file: str, sheet: str, frame: pl.DataFrame) -> RawTable | None:
    if frame.width == 0 or frame.height == 0:
        return None
    records = [list(r) for r in frame.head(HEADER_SEARCH_ROWS).iter_rows()]
    header_index = find_header(records)
    if header_index is None:
        return None
    # Rows are read from row 1 of the sheet, so index i is Excel row i + 1.
    return RawTable(file, sheet, with_headers(frame, header_index, 1), header_index + 1)
