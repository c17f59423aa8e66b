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
from connectors.sheets.limits import DEFAULT_LIMITS, Limits, size_text
from connectors.sheets.xlsx_guard import Unpacked, WorkbookRefused, check_workbook, inflate

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
    """The file cannot be read as a table. The message says why (and, unless `fix` is
    given, what to do); `file`, `row` and `column` say where when that is more precise
    than the file uploaded (a sheet, a zip member, a line, a cell)."""

    def __init__(
        self,
        message: str,
        row: int | None = None,
        column: str | None = None,
        fix: str = "",
        file: str | None = None,
    ):
        super().__init__(message)
        self.row = row
        self.column = column
        self.fix = fix
        self.file = file


def read_tables(source: SourceFile, limits: Limits = DEFAULT_LIMITS) -> list[RawTable]:
    """Every table in the file, cells as text, rows numbered as the user sees them.

    Every table read keeps within the limits (columns, rows, characters in a cell), and a
    workbook is measured before it is parsed (connectors/sheets/xlsx_guard.py)."""
    tables = _read(source, limits)
    for table in tables:
        check_table(table, limits)
    return tables


def readable_tables(files: list[SourceFile], limits: Limits = DEFAULT_LIMITS) -> list[RawTable]:
    """The tables of every file that can be read; the others are left out."""
    tables: list[RawTable] = []
    for source in files:
        try:
            tables += read_tables(source, limits)
        except UnreadableFile:
            continue
    return tables


def _read(source: SourceFile, limits: Limits) -> list[RawTable]:
    data = source.data
    check_size(source.name, len(data), limits.max_file_bytes)
    if not data or data.removeprefix(b"\xef\xbb\xbf").isspace() or data == b"\xef\xbb\xbf":
        raise UnreadableFile(f"{source.name} is empty. Fill in the template and upload it again.")
    if data.startswith(XLSX_MAGIC):
        if _is_workbook(data):
            from connectors.sheets.read_xlsx import read_workbook

            try:
                check_workbook(data, limits)
            except WorkbookRefused as exc:
                raise UnreadableFile(str(exc), fix=exc.fix, file=source.name) from None
            return read_workbook(source)
        return _read_zip(source, limits)
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

    return [read_csv(source, limits)]


def check_size(name: str, size: int, max_bytes: int) -> None:
    """Refuse a file over the limit before anything reads it."""
    if size > max_bytes:
        raise UnreadableFile(
            f"{name} is {size_text(size)}, more than the {size_text(max_bytes, 0)} an upload "
            "may hold. Split it (for example one file per table, or measurements by year) "
            "and upload the parts."
        )


def check_table(table: RawTable, limits: Limits) -> None:
    """Refuse a table wider, longer or with a longer cell than a table may have, whatever
    the file format: a page, the PDF and the store are only safe within these."""
    headers = table.headers
    if len(headers) > limits.max_columns:
        raise UnreadableFile(
            f"has {len(headers):,} columns, more than the {limits.max_columns:,} a table may have",
            row=table.header_row,
            fix="Keep the columns of the template (and any you need) and upload again.",
            file=table.label,
        )
    if table.frame.height > limits.max_rows:
        raise UnreadableFile(
            f"has {table.frame.height:,} rows, more than the {limits.max_rows:,} a table may have",
            fix="Split it (for example measurements by year) and upload the parts.",
            file=table.label,
        )
    if not headers or table.frame.height == 0:
        return
    widest = table.frame.select(pl.col(headers).str.len_bytes().max()).row(0)
    for header, size in zip(headers, widest, strict=True):
        if size is None or size <= limits.max_cell_chars:
            continue
        lengths = pl.col(header).str.len_chars()
        long = table.frame.filter(lengths > limits.max_cell_chars)
        if long.height:
            row, length = long.select(ROW, lengths.alias("n")).row(0)
            raise UnreadableFile(
                f"holds a text of {length:,} characters, more than the "
                f"{limits.max_cell_chars:,} a cell may hold (Excel's own limit)",
                row=row,
                column=header,
                fix="Shorten it and upload again.",
                file=table.label,
            )


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(n.lower() == "xl/workbook.xml" for n in archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        # A damaged zip that starts like a workbook: let the workbook reader say so.
        return True


def _read_zip(source: SourceFile, limits: Limits) -> list[RawTable]:
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
            check_size(f"The contents of {source.name}", total, limits.max_file_bytes)
            tables: list[RawTable] = []
            budget = limits.max_file_bytes
            for member in members:
                try:  # as much as the member really inflates to, not what it claims
                    data = b"".join(inflate(archive, member, budget))
                except Unpacked:
                    raise UnreadableFile(
                        f"The contents of {source.name} unpack to more than the "
                        f"{size_text(limits.max_file_bytes, 0)} an upload may hold. Split it "
                        "and upload the parts."
                    ) from None
                budget -= len(data)
                inner = SourceFile(f"{source.name}/{member.filename}", data)
                if inner.data.startswith(XLSX_MAGIC) and not _is_workbook(inner.data):
                    continue  # no zips inside zips
                tables.extend(_read(inner, limits))
            return tables
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        ValueError,
        RuntimeError,
        EOFError,
    ):
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
