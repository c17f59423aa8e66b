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


# Exports as public bodies publish them (traits of the UK GMPP releases) --------------------

FOI = "Exempt under Section 43 of the Freedom of Information Act 2000 (Commercial Interests)"


def export_2019_like(extra: list[list[str]] = ()) -> SourceFile:
    """Windows-1252, CRLF, quoted multi-line narratives, `30.06.08` dates (one of them in
    1997), amounts `£12,343.96` in £ millions, five-point RAG, an FOI sentence in a date,
    an amount and a RAG cell, and no id column."""
    header = [
        "project_name",
        "department",
        "colour_rating",
        "description_aims",
        "start_date",
        "end_date",
        "yearly_budget",
        "yearly_forecast",
        "report_category",
    ]
    body = [
        [
            "Geological Disposal Facility (GDF)",
            "BEIS",
            "Amber",
            "Site and build\na store",
            "30.06.08",
            "31.12.40",
            "£40.27",
            "£37.40",
            "Infrastructure and Construction",
        ],
        [
            "Heat Networks Investment",
            "BEIS",
            "Amber/Red",
            'Helps "heat"\r\nnetworks',
            "25.11.97",
            "31.03.21",
            "£1,210.40",
            "£1,307.89",
            "Infrastructure and Construction",
        ],
        ["Local Land Charges", "HMLR", FOI, "A register", "01.03.14", FOI, FOI, FOI, "ICT"],
        [
            "Crossrail 2",
            "DFT",
            "Green",
            "Rail",
            FOI,
            "31.12.33",
            "£12,343.96",
            "£12,000.00",
            "Infrastructure and Construction",
        ],
        *extra,
    ]
    text = csv_text([dict(zip(header, r, strict=True)) for r in body], line_end="\r\n")
    return SourceFile("gmpp_2019.csv", text.encode("cp1252"))


def export_2023_like(rows_: list[list[str]] | None = None) -> SourceFile:
    """Semicolon separated, Windows-1252, `colour_rating` twice (the IPA's, then the
    SRO's), `20.05.2020` dates, FOI sentences in date cells, plain £m amounts, with a
    header row repeated inside the data and a totals row."""
    header = (
        "year;project_number;project_name;department;colour_rating;colour_rating;"
        "start_date;end_date;total_baseline;forecast_incl_NGC;benefits_comment"
    )
    body = rows_ or [
        '2023;CO_0024;Pensions Remedy;CO;;Amber;20.05.2020;30.09.2024;7.9;4.2;"None\nyet"',
        "2023;CO_0020;Commercial Capability;CO;Amber;;01.04.2017;31.03.2023;3.7;3.1;",
        header,  # the header again, as when two exports are pasted together
        f"2023;MOD_0001;Skynet 6;MOD;{FOI};{FOI};{FOI};{FOI};{FOI};{FOI};",
        "2023;DFT_0001;HS2 Phase 1;DFT;;Red;01.04.2012;31.12.2033;5 600.5;5 900;",
        "2023;;Total;;;;;;17212.1;13007.3;",
    ]
    text = header + "\n" + "\n".join(body) + "\n"
    return SourceFile("gmpp_2023.csv", text.encode("cp1252"))


def export_itdashboard_like() -> SourceFile:
    """The US IT Dashboard's traps: a preamble above the quoted header, an agency's
    "Total" row whose Total sits in the investment column (not the project's), an empty
    committed end date, and project names repeated across investments ("Operations")."""
    header = [
        "Unique Investment Identifier",
        "Agency Name",
        "Project ID",
        "Project Name",
        "Start Date",
        "Completion Date (B1)",
        "Planned Cost ($ M)",
    ]
    body = [
        ["005-000001723", "Department of Agriculture", "656", "Operations", "01/10/2011",
         "30/09/2012", "15.297"],
        ["005-000001723", "Department of Agriculture", "657", "Virtualization", "01/10/2011",
         "31/03/2012", "0.179"],
        ["005-000001822", "Department of Agriculture", "661", "Operations", "20/04/2011",
         "30/09/2011", "1.8205"],
        ["005-000001822", "Department of Agriculture", "662", "ePermits O&M", "01/04/2012",
         "", "1.713"],
        ["Total", "", "", "", "", "", "19.0095"],
        ["006-000310600", "Department of Commerce", "776", "NWSTG Re-architecture",
         "01/10/2012", "31/12/2015", "49.89"],
    ]  # fmt: skip
    preamble = "This is the US Government Projects dataset.\n\n"
    text = preamble + csv_text([dict(zip(header, r, strict=True)) for r in body], quote_all=True)
    return SourceFile("Projects_CW1.csv", text.encode("ascii"))
