"""Fuzzing the loader: random bytes and random cells never raise past it, and an upload it
refuses never changes the store."""

from __future__ import annotations

import datetime as dt
import io
import os

import hypothesis.strategies as st
import xlsxwriter
from hypothesis import HealthCheck, given, settings

from connectors.ingest import ingest
from connectors.sheets import load_files
from connectors.sheets.read import SourceFile
from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS
from tests.sheets import AS_OF, csv_text, dump, snapshot_files

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")),  # more: FUZZ_EXAMPLES=2000
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SPECIAL = [
    "",
    " ",
    "=1+1",
    "+1",
    "-5",
    "@x",
    "(5,000)",
    "$1.2M",
    "1 200 000 EUR",
    "1.234,5",
    "03/04/2026",
    "25/12/2026",
    "12/25/2026",
    "2026-09-30",
    "2026-02-30",
    "30 Sep 2026",
    "30-Sep-26",
    "nan",
    "inf",
    "1e308",
    "1e999",
    '"',
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "P1",
    "B1",
    "active",
    "delivered",
    "proposed",
    "green",
    "amber/red",
    "PAY-1",
]
cells = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=12))
header_cells = st.one_of(
    st.sampled_from(PROJECTS.names + BENEFITS.names + MEASUREMENTS.names + ["", "BAC", "KPI"]),
    st.text(max_size=10),
)


@st.composite
def tables(draw, columns: list[str]) -> list[dict[str, str]]:
    n = draw(st.integers(min_value=0, max_value=6))
    return [{c: draw(cells) for c in columns} for _ in range(n)]


def _refused_or_consistent(store, files) -> None:
    """The one property: no exception; a refused upload leaves the store as it was."""
    before = dump(store)
    outcome = ingest(store, files, AS_OF, actor="fuzz")
    if outcome.commit is None:
        assert outcome.result.errors
        assert dump(store) == before
    else:
        assert outcome.result.frames is not None


@FUZZ
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_random_bytes(store, data, name):
    _refused_or_consistent(store, [SourceFile(name, data)])


@FUZZ
@given(
    data=st.binary(max_size=2000),
    magic=st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0"]),
)
def test_random_bytes_behind_a_known_signature(store, data, magic):
    _refused_or_consistent(store, [SourceFile("a.bin", magic + data)])


@FUZZ
@given(
    projects=tables(PROJECTS.names),
    benefits=tables(BENEFITS.names),
    measurements=tables(MEASUREMENTS.names),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_cells_in_csv(store, projects, benefits, measurements, delimiter, encoding):
    files = []
    for name, records, table in (
        ("p.csv", projects, PROJECTS),
        ("b.csv", benefits, BENEFITS),
        ("m.csv", measurements, MEASUREMENTS),
    ):
        text = csv_text(records, delimiter=delimiter, header=table.names)
        files.append(SourceFile(name, text.encode(encoding, errors="replace")))
    _refused_or_consistent(store, files)


@FUZZ
@given(headers=st.lists(header_cells, min_size=1, max_size=8), body=st.lists(cells, max_size=40))
def test_random_headers(store, headers, body):
    width = len(headers)
    records = [
        dict(zip(headers, body[i : i + width], strict=False)) for i in range(0, len(body), width)
    ]
    text = csv_text(records, header=list(dict.fromkeys(headers)))
    _refused_or_consistent(store, [SourceFile("x.csv", text.encode())])


xlsx_cells = st.one_of(
    cells,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.booleans(),
    st.none(),
)


@FUZZ
@given(
    grid=st.lists(st.lists(xlsx_cells, max_size=6), max_size=6),
    sheet=st.sampled_from(["projects", "benefits", "measurements", "Sheet1"]),
    offset=st.integers(min_value=0, max_value=3),
)
def test_random_cells_in_a_workbook(store, grid, sheet, offset):
    table = {"projects": PROJECTS, "benefits": BENEFITS, "measurements": MEASUREMENTS}.get(
        sheet, PROJECTS
    )
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    worksheet = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    worksheet.write_row(offset, 0, table.names)
    for i, row in enumerate(grid, start=offset + 1):
        for j, cell in enumerate(row):
            if isinstance(cell, dt.date):
                worksheet.write_datetime(i, j, dt.datetime.combine(cell, dt.time()), date_format)
            elif cell is not None:
                worksheet.write(i, j, cell)
    book.close()
    _refused_or_consistent(store, [SourceFile("w.xlsx", buffer.getvalue())])


@FUZZ
@given(cell=cells, column=st.sampled_from(PROJECTS.names))
def test_one_random_cell_in_a_valid_upload(cell, column):
    files = snapshot_files(
        projects=[
            {
                "project_id": "P1",
                "name": "Payments",
                "baseline_end": "2026-12-31",
                "status": "active",
                column: cell,
            }
        ]
    )
    result = load_files(files, AS_OF)
    if not result.ok:
        assert all(p.file for p in result.errors)
