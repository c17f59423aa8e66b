"""What the loader accepts (docs/data-contract.md): messy CSV and XLSX as PMO leads send them."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import polars as pl
import pytest

from connectors.sheets import load_files
from connectors.sheets.read import SourceFile
from tests.sheets import (
    AS_OF,
    BENEFIT,
    MEASUREMENT,
    PROJECT,
    csv_file,
    csv_text,
    rows,
    snapshot_files,
    table_rows,
    xlsx_file,
)
from ui.widgets.exports import template_xlsx, template_zip

D = dt.date


def loaded(files: list[SourceFile], as_of: dt.date = AS_OF):
    result = load_files(files, as_of)
    assert result.ok, [p.line() for p in result.errors]
    return result.frames


def test_a_plain_upload_loads_with_contract_types():
    frames = loaded(snapshot_files())
    assert frames.counts == {"projects": 1, "benefits": 1, "measurements": 1}
    project = frames.projects.row(0, named=True)
    assert project["baseline_end"] == D(2026, 12, 31) and project["budget"] == 1_000_000.0
    assert frames.measurements["value"].to_list() == [2.4]


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [("utf-8", True, "Zoë Müller"), ("cp1252", False, "Zoë Müller £"), ("utf-16", False, "Zoë")],
)
def test_encodings(encoding, bom, name):
    files = snapshot_files(projects=rows(PROJECT, {"name": name}))
    files[0] = SourceFile("projects.csv", files[0].data.decode().encode(encoding))
    if bom:
        files[0] = SourceFile("projects.csv", b"\xef\xbb\xbf" + files[0].data)
    assert loaded(files).projects["name"].to_list() == [name]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_delimiters_and_line_ends(delimiter, line_end):
    files = [
        csv_file("p.csv", rows(PROJECT), delimiter=delimiter, line_end=line_end),
        csv_file("b.csv", rows(BENEFIT), delimiter=delimiter, line_end=line_end),
        csv_file("m.csv", rows(MEASUREMENT), delimiter=delimiter, line_end=line_end),
    ]
    assert loaded(files).counts == {"projects": 1, "benefits": 1, "measurements": 1}


def test_quoted_delimiters_do_not_fool_the_delimiter_choice():
    # Semicolon-separated, but quoted headers and cells hold more commas than there are
    # semicolons on any line.
    text = (
        'project_id;name;"notes, free text, ignored, really";Budget (USD);baseline_end\n'
        'P1;"Payments, phase 2";"a, b, c, d, e";"1,200,000";2026-12-31\n'
    )
    result = load_files([SourceFile("p.csv", text.encode()), *snapshot_files()[1:]], AS_OF)
    assert result.ok, [p.line() for p in result.errors]
    project = result.frames.projects.row(0, named=True)
    assert project["name"] == "Payments, phase 2" and project["budget"] == 1_200_000
    assert any("notes, free text, ignored, really" in p.problem for p in result.warnings)


def test_title_lines_above_the_header_and_blank_rows_keep_row_numbers():
    body = csv_text(rows(PROJECT, {"project_id": "P1"}, {"project_id": "P2", "budget": "-5"}))
    lines = body.splitlines()
    text = "Portfolio report Q3\nExported 2026-10-01\n\n" + lines[0] + "\n" + lines[1] + "\n\n"
    text += lines[2] + "\n,,,,\n\n"
    result = load_files([SourceFile("p.csv", text.encode())], AS_OF)
    negative = [p for p in result.errors if p.column == "budget"]
    # Header on line 4, P1 on 5, a blank line 6, P2 on line 7.
    assert [(p.row, p.value) for p in negative] == [(7, "-5")]


def test_multiline_quoted_cells_count_as_one_row():
    text = csv_text(rows(PROJECT, {"name": "Two\nlines"}, {"project_id": "P2", "budget": "x"}))
    result = load_files([SourceFile("p.csv", text.encode())], AS_OF)
    assert [(p.row, p.column) for p in result.errors] == [(3, "budget")]


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Project ID", "project_id"),
        ("project-id", "project_id"),
        ("PROJECT_ID", "project_id"),
        (" Project  Id ", "project_id"),
    ],
)
def test_header_spellings(header, column):
    records = [{header: "P9", "Name": "X", "Planned finish": "2026-12-31"}]
    assert loaded([csv_file("p.csv", records)]).projects[column].to_list() == ["P9"]


def test_header_aliases():
    projects = [
        {
            "Project ID": "P1",
            "Project name": "Payments",
            "Budget (USD)": "$1.2M",
            "Planned finish": "2026-06-30",
            "Actual finish": "2026-06-15",
            "Status": "Completed",
            "RAG status": "Amber/Green",
            "EAC": "1,250,000",
        }
    ]
    benefits = [
        {
            "Benefit": "B1",
            "Project": "P1",
            "KPI": "Conversion",
            "Baseline value": "2",
            "Target value": "3",
            "Due date": "2027-06-30",
            "Benefit owner": "Ana",
        }
    ]
    measurements = [{"Benefit": "B1", "Date": "2026-08-31", "Actual": "2.2"}]
    frames = loaded(
        [
            csv_file("a.csv", projects),
            csv_file("b.csv", benefits),
            csv_file("c.csv", measurements),
        ]
    )
    project = frames.projects.row(0, named=True)
    assert project["budget"] == 1_200_000 and project["forecast_cost"] == 1_250_000
    assert project["baseline_end"] == D(2026, 6, 30) and project["actual_end"] == D(2026, 6, 15)
    assert project["status"] == "delivered" and project["rag"] == "amber/green"
    assert frames.benefits["owner"].to_list() == ["Ana"]
    assert frames.measurements["value"].to_list() == [2.2]


def test_a_bac_column_is_the_budget():
    records = [{"project_id": "P1", "name": "X", "BAC": "250k", "baseline_end": "2026-12-31"}]
    assert loaded([csv_file("p.csv", records)]).projects["budget"].to_list() == [250_000]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,200,000", 1_200_000),
        ("$1.2M", 1_200_000),
        ("1 200 000 EUR", 1_200_000),
        ("1\u00a0200\u00a0000 €", 1_200_000),
        ("USD 950k", 950_000),
        ("£2.5bn", 2_500_000_000),
        ("1200000", 1_200_000),
        ("1.2E+06", 1_200_000),
        ("", None),
        ("   ", None),
    ],
)
def test_money_forms(cell, expected):
    frames = loaded([csv_file("p.csv", rows(PROJECT, {"budget": cell}))])
    assert frames.projects["budget"].to_list() == [expected]


def test_parentheses_are_a_negative_number():
    # Negative money is refused for budgets, but (5,000) is read as -5000 (e.g. a KPI value).
    files = snapshot_files(measurements=rows(MEASUREMENT, {"value": "(5,000)"}))
    assert loaded(files).measurements["value"].to_list() == [-5000]


def test_decimal_comma_files():
    projects = rows(PROJECT, {"budget": "1.200.000,50"})
    measurements = rows(MEASUREMENT, {"value": "2,5"})
    files = [
        csv_file("p.csv", projects, delimiter=";"),
        csv_file("b.csv", rows(BENEFIT), delimiter=";"),
        csv_file("m.csv", measurements, delimiter=";"),
    ]
    frames = loaded(files)
    assert frames.projects["budget"].to_list() == [1_200_000.5]
    assert frames.measurements["value"].to_list() == [2.5]


@pytest.mark.parametrize(
    "cells",
    [
        ["2026-12-31", "2026-06-30"],
        ["31 Dec 2026", "30 June 2026"],
        ["31-Dec-26", "30-Jun-26"],
        ["Dec 31, 2026", "June 30 2026"],
        ["31.12.2026", "30.06.2026"],
        ["31/12/2026", "06/05/2026"],  # 31 settles day first, so 06/05 is 6 May
        ["12/31/2026", "05/06/2026"],  # 31 settles month first, so 05/06 is May 6
        ["2026-12-31 00:00:00", "2026-06-30T00:00:00"],
    ],
)
def test_date_forms(cells):
    projects = rows(
        PROJECT,
        {"project_id": "P1", "baseline_end": cells[0]},
        {"project_id": "P2", "baseline_end": cells[1]},
    )
    ends = loaded([csv_file("p.csv", projects)]).projects["baseline_end"].to_list()
    assert ends[0] == D(2026, 12, 31)
    assert ends[1] in (D(2026, 6, 30), D(2026, 5, 6))


def test_two_digit_years_pivot_like_strptime():
    """`25.11.97` is 1997 and `31.12.40` is 2040 (69 and later: 1900s), as %y reads them."""
    projects = rows(
        PROJECT,
        {"project_id": "P1", "start_date": "25.11.97", "baseline_end": "31.12.40"},
        {"project_id": "P2", "start_date": "30-Jun-08", "baseline_end": "31-Mar-21"},
    )
    loaded_projects = loaded([csv_file("p.csv", projects)]).projects
    assert loaded_projects["start_date"].to_list() == [D(1997, 11, 25), D(2008, 6, 30)]
    assert loaded_projects["baseline_end"].to_list() == [D(2040, 12, 31), D(2021, 3, 31)]


def test_day_month_order_is_settled_across_the_columns_of_a_file():
    projects = rows(PROJECT, {"start_date": "25/01/2026", "baseline_end": "03/04/2026"})
    project = loaded([csv_file("p.csv", projects)]).projects.row(0, named=True)
    assert project["start_date"] == D(2026, 1, 25) and project["baseline_end"] == D(2026, 4, 3)


def test_empty_cells_are_null_and_blank_trailing_rows_are_ignored():
    text = csv_text(rows(PROJECT, {"budget": "", "name": "  Payments  "})) + ",,,,\n,,,,\n\n"
    frames = loaded([SourceFile("p.csv", text.encode())])
    assert frames.projects.height == 1
    assert frames.projects["budget"].to_list() == [None]
    assert frames.projects["name"].to_list() == ["Payments"]


def test_flat_benefits_with_measurements():
    flat = [
        {**BENEFIT, "measured_at": "2026-07-31", "actual": "2.1"},
        {**BENEFIT, "measured_at": "2026-08-31", "actual": "2.3"},
        {**BENEFIT, "benefit_id": "B2", "kpi": "NPS", "measured_at": "", "actual": ""},
    ]
    frames = loaded([csv_file("p.csv", rows(PROJECT)), csv_file("flat.csv", flat)])
    assert sorted(frames.benefits["benefit_id"].to_list()) == ["B1", "B2"]
    assert frames.measurements.select("measured_at", "value").rows() == [
        (D(2026, 7, 31), 2.1),
        (D(2026, 8, 31), 2.3),
    ]


def test_workbook_with_a_sheet_per_table_date_cells_and_a_title_row():
    projects = table_rows(
        rows(PROJECT, {"baseline_end": D(2026, 12, 31), "budget": 1_200_000, "project_id": 656})
    )
    benefits = table_rows(rows(BENEFIT, {"project_id": 656, "baseline": 2, "target": 3.5}))
    benefits[1][benefits[0].index("target_date")] = D(2027, 6, 30)
    measurements = table_rows(rows(MEASUREMENT, {"measured_at": D(2026, 8, 31), "value": 2.4}))
    workbook = xlsx_file(
        "portfolio.xlsx",
        {
            "README": [["Notes about this workbook"]],
            "Projects": [["Portfolio snapshot, Q3"], [], *projects],
            "benefits": benefits,
            "MEASUREMENTS": measurements,
            "lists": [["active", "delivered"]],
        },
        hidden=("lists",),
    )
    result = load_files([workbook], AS_OF)
    assert result.ok, [p.line() for p in result.errors]
    frames = result.frames
    assert frames.projects.row(0, named=True)["project_id"] == "656"
    assert frames.projects["baseline_end"].to_list() == [D(2026, 12, 31)]
    assert frames.benefits["target"].to_list() == [3.5]
    assert frames.measurements["measured_at"].to_list() == [D(2026, 8, 31)]
    # Row numbers are Excel's: the header is on row 3, the project on row 4.
    assert result.preview("projects")["row"].to_list() == [4]


def test_workbook_row_numbers_in_problems_are_excel_rows():
    projects = table_rows(rows(PROJECT, {"budget": 5}, {"project_id": "P2", "budget": -5}))
    workbook = xlsx_file("p.xlsx", {"Sheet1": [["Title"], *projects]})
    result = load_files([workbook], AS_OF)
    problem = next(p for p in result.errors if p.column == "budget")
    assert (problem.file, problem.row, problem.value) == ("p.xlsx [Sheet1]", 4, "-5")


def test_one_table_per_xlsx_file_told_by_its_headers():
    files = [
        xlsx_file("a.xlsx", {"Sheet1": table_rows(rows(PROJECT))}),
        xlsx_file("b.xlsx", {"Sheet1": table_rows(rows(BENEFIT))}),
        csv_file("c.csv", rows(MEASUREMENT)),
    ]
    assert loaded(files).counts == {"projects": 1, "benefits": 1, "measurements": 1}


def test_a_zip_of_csv_files():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for source in snapshot_files():
            archive.writestr(f"export/{source.name}", source.data)
        archive.writestr("__MACOSX/._projects.csv", b"\x00\x05junk")
    frames = loaded([SourceFile("export.zip", buffer.getvalue())])
    assert frames.counts == {"projects": 1, "benefits": 1, "measurements": 1}


@pytest.mark.parametrize("make", [template_xlsx, template_zip])
def test_the_template_as_downloaded_loads(make):
    frames = loaded([SourceFile("template", make())])
    assert frames.counts == {
        "projects": 1,
        "benefits": 1,
        "measurements": 1,
        "measurement_sources": 1,
    }
    assert frames.projects["project_id"].to_list() == ["PAY-01"]
    source = frames.sources.row(0, named=True)
    assert (source["benefit_id"], source["kind"], source["schedule"]) == (
        "PAY-01-B1",
        "sql",
        "weekly",
    )


def test_formula_like_text_is_stored_as_text():
    projects = rows(PROJECT, {"name": '=HYPERLINK("http://x")', "owner": "@ana", "sponsor": "-"})
    project = loaded([csv_file("p.csv", projects)]).projects.row(0, named=True)
    assert project["name"] == '=HYPERLINK("http://x")'
    assert (project["owner"], project["sponsor"]) == ("@ana", "-")


def test_unknown_and_repeated_columns_are_warnings():
    projects = [{**PROJECT, "Comments": "x", "Budget (USD)": "5"}]
    result = load_files([csv_file("p.csv", projects)], AS_OF)
    assert result.ok
    messages = [p.problem for p in result.warnings]
    assert any("Comments" in m and "ignored" in m for m in messages)
    assert any("budget" in m and "only the first" in m for m in messages)
    assert result.frames.projects["budget"].to_list() == [1_000_000]


def test_gaps_are_warnings_that_do_not_block():
    result = load_files(
        snapshot_files(
            projects=rows(PROJECT, {}, {"project_id": "P2"}),
            benefits=rows(BENEFIT, {}, {"benefit_id": "B2"}),
        ),
        AS_OF,
    )
    assert result.ok
    found = {(p.table, p.row, p.column, p.value) for p in result.warnings}
    assert ("projects", 3, "project_id", "P2") in found  # no benefit
    assert ("benefits", 3, "benefit_id", "B2") in found  # no measurement yet


def test_measurements_may_refer_to_benefits_of_earlier_snapshots():
    result = load_files(
        [csv_file("m.csv", rows(MEASUREMENT))],
        AS_OF,
        known_benefit_ids=pl.Series(["B1"]),
    )
    assert result.ok and result.frames.kind == "measurements"
