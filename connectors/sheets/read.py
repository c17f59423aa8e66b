"""Turning uploaded bytes into tables of text cells, whatever the file format.

Every failure to read becomes `UnreadableFile` with a message a PMO lead can act on;
nothing else escapes from here.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import polars as pl

from connectors.sheets.headers import NOTES_SHEETS, normalise
from connectors.sheets.limits import DEFAULT_LIMITS, MB

ROW = "__row"  # the row number as the user sees it in the file (or in Excel)

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
OTHER_BINARIES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"SQLite format 3": "a SQLite database",
}
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


@dataclass(frozen=True)
class SourceFile:
    """An uploaded file: its name as the user knows it and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class RawTable:
    """One sheet or CSV: text cells under the file's own (de-duplicated) headers, plus the
    row number of each row as the user sees it. `header_row` is the header's row number."""

    file: str
    sheet: str | None
    frame: pl.DataFrame
    header_row: int = 1

    @property
    def label(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file

    @property
    def headers(self) -> list[str]:
        return [c for c in self.frame.columns if c != ROW]


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why and what to do."""


def read_tables(
    source: SourceFile, max_bytes: int = DEFAULT_LIMITS.max_file_bytes
) -> list[RawTable]:
    """Every table in the file, cells as text, rows numbered as the user sees them."""
    data = source.data
    check_size(source.name, len(data), max_bytes)
    if not data or data.removeprefix(b"\xef\xbb\xbf").isspace() or data == b"\xef\xbb\xbf":
        raise UnreadableFile(f"{source.name} is empty. Fill in the template and upload it again.")
    if data.startswith(XLSX_MAGIC):
        if _is_workbook(data):
            from connectors.sheets.read_xlsx import read_workbook

            return read_workbook(source)
        return _read_zip(source, max_bytes)
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            f"{source.name} is an old-style Excel (.xls) file. "
            "Save it as .xlsx or CSV and upload again."
        )
    for magic, what in OTHER_BINARIES.items():
        if data.startswith(magic):
            raise UnreadableFile(
                f"{source.name} is {what}, not a table. Upload a CSV or an .xlsx workbook."
            )
    from connectors.sheets.read_csv import read_csv

    return [read_csv(source)]


def check_size(name: str, size: int, max_bytes: int) -> None:
    """Refuse a file over the limit before anything reads it."""
    if size > max_bytes:
        raise UnreadableFile(
            f"{name} is {_size(size)}, more than the {_size(max_bytes, 0)} an upload may hold. "
            "Split it (for example one file per table, or measurements by year) and upload "
            "the parts."
        )


def _size(n: int, decimals: int = 1) -> str:
    if n >= MB:
        return f"{n / MB:,.{decimals}f} MB"
    return f"{n / 1024:,.{decimals}f} KB"


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(n.lower() == "xl/workbook.xml" for n in archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        # A damaged zip that starts like a workbook: let the workbook reader say so.
        return True


def _read_zip(source: SourceFile, max_bytes: int) -> list[RawTable]:
    """A zip of CSV/XLSX files (such as the CSV template): each member is read in turn."""
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            members = [
                m
                for m in archive.infolist()
                if not m.is_dir()
                and m.filename.lower().endswith(TABLE_SUFFIXES)
                and not m.filename.startswith("__MACOSX/")
                and not _basename(m.filename).startswith(".")
                and normalise(_basename(m.filename).rsplit(".", 1)[0]) not in NOTES_SHEETS
            ]
            if not members:
                raise UnreadableFile(
                    f"{source.name} is a zip archive with no CSV or .xlsx file in it."
                )
            total = sum(m.file_size for m in members)
            check_size(f"The contents of {source.name}", total, max_bytes)
            tables: list[RawTable] = []
            for member in members:
                inner = SourceFile(f"{source.name}/{member.filename}", archive.read(member))
                if inner.data.startswith(XLSX_MAGIC) and not _is_workbook(inner.data):
                    continue  # no zips inside zips
                tables.extend(read_tables(inner, max_bytes))
            return tables
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError):
        raise UnreadableFile(
            f"{source.name} is a damaged or unsupported zip archive. "
            "Upload the CSV or .xlsx files themselves."
        ) from None


def _basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def unique_headers(cells: list[object]) -> list[str]:
    """Header texts as column names: blanks get a placeholder, repeats a suffix."""
    names: list[str] = []
    seen: set[str] = set()
    for position, cell in enumerate(cells, start=1):
        text = " ".join(str(cell).split()) if cell is not None else ""
        base = text or f"(unnamed column {position})"
        name, n = base, 1
        while name in seen or name == ROW:
            n += 1
            name = f"{base} ({n})"
        seen.add(name)
        names.append(name)
    return names


def with_headers(frame: pl.DataFrame, header_index: int, first_row_number: int) -> pl.DataFrame:
    """Take row `header_index` of an all-text frame as its header; number the rows below.

    `first_row_number` is the row number (as the user sees it) of the frame's first row.
    """
    header = list(frame.row(header_index)) if frame.height > header_index else []
    body = frame.slice(header_index + 1)
    body = body.rename(dict(zip(body.columns, unique_headers(header), strict=True)))
    return body.with_columns(
        pl.int_range(pl.len(), dtype=pl.Int64).add(first_row_number + header_index + 1).alias(ROW)
    )
