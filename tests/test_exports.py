"""Downloads: formula-like text is neutralised in CSV and XLSX, while the store keeps it;
the template holds every contract column with its note and a worked example."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import fastexcel
import polars as pl

from connectors.ingest import ingest
from connectors.sheets.template import column_notes
from domain.contract import TABLES
from domain.formulas import neutralise
from tests.sheets import PROJECT, rows, snapshot_files
from ui.widgets import exports

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "plain"]


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {"text": DANGEROUS, "amount": [-5.0, 1, 2, 3, 4, 5], "day": [dt.date(2026, 9, 30)] * 6}
    )


def test_csv_neutralises_formulas_but_not_numbers():
    data = exports.csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(data[3:], infer_schema=False)
    assert back["text"].to_list() == [
        '\'=HYPERLINK("http://evil","x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "plain",
    ]
    assert back["amount"].to_list()[0] == "-5.0"  # a number, not text: left alone
    assert back["day"].to_list()[0] == "2026-09-30"


def test_xlsx_neutralises_formulas_and_writes_them_as_text():
    data = exports.xlsx_bytes({"export": _frame()})
    sheet = fastexcel.read_excel(data).load_sheet("export").to_polars()
    assert sheet["text"].to_list()[:4] == [
        '\'=HYPERLINK("http://evil","x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
    ]
    assert sheet["amount"].to_list()[0] == -5.0
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no cell holds a formula


def test_the_store_keeps_the_text_and_exports_change_only_the_copy(store):
    files = snapshot_files(projects=rows(PROJECT, {"name": "=1+1", "owner": "@ana"}))
    assert ingest(store, files, dt.date(2026, 9, 30)).commit is not None
    projects = store.projects(1)
    assert projects["name"].to_list() == ["=1+1"] and projects["owner"].to_list() == ["@ana"]
    exported = pl.read_csv(exports.csv_bytes(projects)[3:], infer_schema=False)
    assert exported["name"].to_list() == ["'=1+1"] and exported["owner"].to_list() == ["'@ana"]
    assert store.projects(1)["name"].to_list() == ["=1+1"]


def test_template_workbook_has_a_sheet_per_table_with_every_column():
    reader = fastexcel.read_excel(exports.template_xlsx())
    assert reader.sheet_names == [
        "README",
        "projects",
        "benefits",
        "measurements",
        "measurement_sources",
    ]
    for name, table in TABLES.items():
        sheet = reader.load_sheet(name).to_polars()
        assert sheet.columns == table.names and sheet.height == 1
    projects = reader.load_sheet("projects").to_polars()
    assert projects["baseline_end"].dtype in (pl.Date, pl.Datetime("ms"), pl.Datetime("us"))
    readme = reader.load_sheet("README", n_rows=column_notes().height).to_polars()
    assert readme.height == sum(len(t.columns) for t in TABLES.values())


def test_template_notes_come_from_the_contract():
    notes = column_notes()
    baseline = notes.filter((pl.col("table") == "projects") & (pl.col("column") == "baseline_end"))
    assert "unless the project is proposed" in baseline["note"][0]
    required = notes.filter(pl.col("required") == "yes")
    assert set(required["column"]) >= {"project_id", "name", "benefit_id", "kpi", "value"}


def test_template_zip_holds_a_csv_per_table_and_a_readme():
    with zipfile.ZipFile(io.BytesIO(exports.template_zip())) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "README.txt",
            "benefits.csv",
            "measurement_sources.csv",
            "measurements.csv",
            "projects.csv",
        ]
        readme = archive.read("README.txt").decode()
    assert "measurement_sources.kind: choice (see note) (required). sql (a read-only" in readme
    assert "projects.baseline_end: date (2026-09-30)." in readme
    assert "benefits.kpi: text (required)." in readme


def test_formula_like_text_is_neutralised_and_numbers_are_not():
    frame = pl.DataFrame(
        {"id": ["=HYPERLINK(1)", "+1", "-x", "@A1", "\tx", "\rx", "ok", None], "n": [-1.0] * 8}
    )
    out = neutralise(frame)
    assert out.get_column("id").to_list() == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-x",
        "'@A1",
        "'\tx",
        "'\rx",
        "ok",
        None,
    ]
    assert out.get_column("n").to_list() == [-1.0] * 8
