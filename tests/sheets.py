"""Builders for the files PMO leads really send: CSV in any encoding and delimiter, XLSX
with date cells and title rows. Tests describe rows as dicts of header -> cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import duckdb
import xlsxwriter

from connectors.sheets.read import SourceFile
from store import Store

AS_OF = dt.date(2026, 9, 30)

PROJECT = {
    "project_id": "P1",
    "name": "Payments",
    "status": "active",
    "baseline_end": "2026-12-31",
    "budget": "1000000",
}
BENEFIT = {
    "benefit_id": "B1",
    "project_id": "P1",
    "kpi": "Conversion",
    "baseline": "2",
    "target": "3",
    "target_date": "2027-06-30",
}
MEASUREMENT = {"benefit_id": "B1", "measured_at": "2026-08-31", "value": "2.4"}


def rows(base: dict[str, Any], *changes: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per change dict, each the base row with those cells replaced."""
    return [{**base, **change} for change in (changes or ({},))]


def csv_text(
    records: list[dict[str, Any]],
    delimiter: str = ",",
    line_end: str = "\n",
    quote_all: bool = False,
    header: list[str] | None = None,
) -> str:
    columns = header or list(dict.fromkeys(k for r in records for k in r))
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=delimiter,
        lineterminator=line_end,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(columns)
    for record in records:
        writer.writerow(["" if record.get(c) is None else record.get(c) for c in columns])
    return out.getvalue()


def csv_file(
    name: str,
    records: list[dict[str, Any]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    **options: Any,
) -> SourceFile:
    data = csv_text(records, **options).encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    return SourceFile(name, data)


def snapshot_files(
    projects: list[dict[str, Any]] | None = None,
    benefits: list[dict[str, Any]] | None = None,
    measurements: list[dict[str, Any]] | None = None,
) -> list[SourceFile]:
    """A valid three-file upload, with any table replaced."""
    return [
        csv_file("projects.csv", projects if projects is not None else rows(PROJECT)),
        csv_file("benefits.csv", benefits if benefits is not None else rows(BENEFIT)),
        csv_file(
            "measurements.csv", measurements if measurements is not None else rows(MEASUREMENT)
        ),
    ]


def xlsx_file(
    name: str,
    sheets: dict[str, list[list[Any]]],
    *,
    hidden: tuple[str, ...] = (),
) -> SourceFile:
    """A workbook from sheet name -> rows of cells. `datetime.date` cells become Excel
    date cells, numbers number cells, `None` empty cells."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for sheet_name, sheet_rows in sheets.items():
        sheet = book.add_worksheet(sheet_name)
        for i, row in enumerate(sheet_rows):
            for j, cell in enumerate(row):
                if isinstance(cell, dt.date):
                    sheet.write_datetime(i, j, dt.datetime.combine(cell, dt.time()), date_format)
                elif cell is not None:
                    sheet.write(i, j, cell)
        if sheet_name in hidden:
            sheet.hide()
    book.close()
    return SourceFile(name, buffer.getvalue())


def table_rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    """Header row then value rows, for xlsx_file."""
    columns = list(dict.fromkeys(k for r in records for k in r))
    return [columns, *[[r.get(c) for c in columns] for r in records]]


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table in the store, to compare before and after."""
    cur = store.db.cursor()
    names = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    ]
    return {n: sorted(map(repr, cur.execute(f'SELECT * FROM "{n}"').fetchall())) for n in names}


def dump_file(path: Any) -> dict[str, list[tuple]]:
    """The same from a closed store file, read with a fresh connection."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        ]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"').fetchall())) for n in names}
    finally:
        con.close()
