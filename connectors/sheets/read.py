"""Turning uploaded bytes into tables of text cells, whatever the file format."""

from __future__ import annotations

import io
from dataclasses import dataclass

import fastexcel
import polars as pl

ROW = "__row"  # the row number as the user sees it in the file (header = 1)

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class SourceFile:
    """An uploaded file: its name as the user knows it and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class RawTable:
    """One sheet or CSV: text cells under the file's own headers, plus the row number."""

    file: str
    sheet: str | None
    frame: pl.DataFrame

    @property
    def label(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why and what to do."""


def read_tables(source: SourceFile) -> list[RawTable]:
    """Every table in the file, cells as text, rows numbered as the user sees them."""
    data = source.data
    if not data.strip():
        raise UnreadableFile(f"{source.name} is empty. Fill in the template and upload it again.")
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(source)
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            f"{source.name} is an old-style Excel (.xls) file. "
            "Save it as .xlsx or CSV and upload again."
        )
    return [_read_csv(source)]


def _number_rows(frame: pl.DataFrame, header_row: int = 1) -> pl.DataFrame:
    return frame.with_row_index(ROW, offset=header_row + 1).with_columns(pl.col(ROW).cast(pl.Int64))


def _read_xlsx(source: SourceFile) -> list[RawTable]:
    try:
        reader = fastexcel.read_excel(source.data)
        tables = []
        for sheet in reader.sheet_names:
            frame = reader.load_sheet(sheet, dtypes="string").to_polars()
            if frame.width == 0:
                continue
            tables.append(RawTable(source.name, sheet, _number_rows(frame)))
        return tables
    except Exception as exc:  # the reader raises several types for damaged workbooks
        raise UnreadableFile(
            f"{source.name} looks like an Excel workbook but cannot be read "
            f"({type(exc).__name__}). Open it in Excel, save it again as .xlsx, and upload that."
        ) from None


def decode_text(source: SourceFile) -> str:
    """UTF-8 (with or without BOM), falling back to Windows-1252."""
    if b"\x00" in source.data[:4096]:
        raise UnreadableFile(
            f"{source.name} is not a text file (it contains binary data). "
            "Upload a CSV or an .xlsx workbook."
        )
    try:
        return source.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return source.data.decode("cp1252", errors="replace")


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the header line into the most columns."""
    header = text.lstrip("\ufeff").splitlines()[0] if text else ""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_csv(source: SourceFile) -> RawTable:
    text = decode_text(source)
    separator = detect_delimiter(text)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=separator,
            infer_schema=False,
            has_header=True,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as exc:
        raise UnreadableFile(
            f"{source.name} cannot be read as CSV ({str(exc).splitlines()[0][:200]}). "
            "Check that it is comma, semicolon or tab separated text."
        ) from None
    return RawTable(source.name, None, _number_rows(frame))
