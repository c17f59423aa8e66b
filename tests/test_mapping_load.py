"""Mapped uploads through the loader and into the store; the traps of real exports (repeated
header rows, totals rows, amounts Excel turned into dates) for every upload."""

from __future__ import annotations

import datetime as dt

from connectors.ingest import ingest, layout_mapping, saved_mapping, validate
from connectors.sheets import load_files
from connectors.sheets.mapping import Mapping, Rule, parse_mapping
from connectors.sheets.read import SourceFile, read_tables
from store import open_store
from tests.sheets import (
    AS_OF,
    BENEFIT,
    FOI,
    PROJECT,
    csv_file,
    dump,
    export_2019_like,
    export_2023_like,
    rows,
    table_rows,
    xlsx_file,
)

GMPP_2019 = parse_mapping(
    """
table = "projects"
[columns.project_id]
derive = "slug"
column = "project_name"
[columns.name]
column = "project_name"
[columns.portfolio]
column = "department"
[columns.objective]
column = "report_category"
[columns.status]
constant = "active"
[columns.rag]
column = "colour_rating"
blank_unreadable = true
[columns.start_date]
column = "start_date"
date_format = "%d.%m.%y"
blank_unreadable = true
[columns.baseline_end]
column = "end_date"
date_format = "%d.%m.%y"
skip_unreadable = true
[columns.budget]
column = "yearly_budget"
unit = "millions"
currency = "GBP"
blank_unreadable = true
[columns.forecast_cost]
column = "yearly_forecast"
unit = "millions"
currency = "GBP"
blank_unreadable = true
"""
)

GMPP_2023 = Mapping(
    "projects",
    {
        "project_id": Rule(column="project_number"),
        "name": Rule(column="project_name"),
        "rag": Rule(column="colour_rating (2)", blank_unreadable=True),
        "baseline_end": Rule(column="end_date", date_format="%d.%m.%Y"),
        "budget": Rule(column="total_baseline", unit="millions", blank_unreadable=True),
    },
)


def test_a_mapped_2019_like_export_loads():
    result = load_files([export_2019_like()], AS_OF, mapping=GMPP_2019)
    assert result.ok, [p.line() for p in result.errors]
    assert result.mapped == ["gmpp_2019.csv"]
    projects = result.frames.projects
    assert projects["project_id"].to_list() == [
        "geological-disposal-facility-gdf",
        "heat-networks-investment",
        "crossrail-2",
    ]
    first = projects.row(0, named=True)
    assert first["status"] == "active" and first["objective"].startswith("Infrastructure")
    assert first["start_date"] == dt.date(2008, 6, 30)
    assert first["baseline_end"] == dt.date(2040, 12, 31)
    assert first["budget"] == 40_270_000 and first["forecast_cost"] == 37_400_000
    assert projects["rag"].to_list() == ["amber", "amber/red", "green"]
    assert projects["start_date"].to_list()[2] is None  # the FOI sentence, left empty
    warned = {(p.row, p.column) for p in result.warnings}
    assert (4, "baseline_end") in warned  # its row left out, said so
    assert (5, "start_date") in warned
    assert any(
        "description_aims" in p.problem and "not mapped" in p.problem for p in result.warnings
    )
    # one line for a projects-only upload, not one per project
    summary = next(p for p in result.warnings if "has a benefit" in p.problem)
    assert summary.problem.startswith("none of the 3 projects")


def test_a_mapped_2023_like_export_drops_the_repeated_header_and_the_totals_row():
    result = load_files([export_2023_like()], AS_OF, mapping=GMPP_2023)
    # the FOI sentence in the end date is refused, naming row, column and value
    assert [(p.row, p.column, p.value) for p in result.errors] == [(5, "baseline_end", FOI)]
    warnings = {p.row: p.problem for p in result.warnings if p.row}
    assert "repeats the header row" in warnings[4]
    assert "totals row" in warnings[7]
    assert result.parsed["projects"]["__row"].to_list() == [2, 3, 5, 6]
    fixed = Mapping(
        "projects",
        {**GMPP_2023.columns, "baseline_end": Rule(column="end_date", skip_unreadable=True)},
    )
    result = load_files([export_2023_like()], AS_OF, mapping=fixed)
    assert result.ok, [p.line() for p in result.errors]
    projects = result.frames.projects
    assert projects["project_id"].to_list() == ["CO_0024", "CO_0020", "DFT_0001"]
    assert projects["rag"].to_list() == ["amber", None, "red"]  # the SRO's rating
    assert projects["budget"].to_list() == [7_900_000, 3_700_000, 5_600_500_000]


def test_excel_dates_in_an_amount_column_are_refused_with_the_fix():
    bad = "2023;CO_1;A;CO;;Amber;01.04.2020;31.03.2025;07. Sep;04. Feb;"
    result = load_files([export_2023_like([bad])], AS_OF, mapping=GMPP_2023)
    [error] = result.errors
    assert (error.row, error.column, error.value) == (2, "budget", "07. Sep")
    assert "Excel" in error.problem and "format the column as Number" in error.fix


def test_excel_dates_in_a_template_upload_are_refused_too():
    for cell in ("07. Sep", "Sep-07", "7-Sep", "2024-09-07 00:00:00"):
        projects = rows(PROJECT, {"budget": cell})
        result = load_files([csv_file("p.csv", projects)], AS_OF)
        [error] = result.errors
        assert (error.row, error.column, error.value) == (2, "budget", cell)
        assert "format the column as Number" in error.fix


def test_repeated_headers_and_totals_in_a_template_upload():
    projects = [*rows(PROJECT), dict.fromkeys(PROJECT, None)]
    projects[-1] = {k: k for k in PROJECT}  # the header again
    projects.append({**PROJECT, "project_id": "", "name": "Grand total", "budget": "9"})
    projects.append({**PROJECT, "project_id": "P2", "name": "Total Rewards programme"})
    result = load_files([csv_file("p.csv", projects), *_benefit_files()], AS_OF)
    assert result.ok, [p.line() for p in result.errors]
    assert result.frames.projects["project_id"].to_list() == ["P1", "P2"]
    rows_warned = {p.row: p.problem for p in result.warnings if p.file == "p.csv"}
    assert "repeats the header row" in rows_warned[3]
    assert "totals row" in rows_warned[4]


def _benefit_files() -> list[SourceFile]:
    return [csv_file("benefits.csv", rows(BENEFIT, {}, {"benefit_id": "B2", "project_id": "P2"}))]


def test_the_mapping_leaves_other_tables_alone():
    benefits = rows(BENEFIT, {"project_id": "crossrail-2"})
    result = load_files(
        [export_2019_like(), csv_file("benefits.csv", benefits)], AS_OF, mapping=GMPP_2019
    )
    assert result.ok, [p.line() for p in result.errors]
    assert result.mapped == ["gmpp_2019.csv"]
    assert result.frames.benefits["project_id"].to_list() == ["crossrail-2"]


def test_a_workbook_sheet_named_for_another_table_is_not_mapped():
    book = xlsx_file(
        "gmpp.xlsx",
        {
            "GMPP": [["project_name", "end_date"], ["Crossrail 2", "31.12.33"]],
            "benefits": table_rows(rows(BENEFIT, {"project_id": "crossrail-2"})),
            "Notes on method": [["Published by", "IPA"], ["Year", "2019"]],
        },
    )
    mapping = Mapping(
        "projects",
        {
            "project_id": Rule(column="project_name", derive="slug"),
            "name": Rule(column="project_name"),
            "baseline_end": Rule(column="end_date", date_format="%d.%m.%y"),
        },
    )
    result = load_files([book], AS_OF, mapping=mapping)
    assert result.ok, [p.line() for p in result.errors]
    assert result.mapped == ["gmpp.xlsx [GMPP]"]
    assert result.frames.benefits.height == 1
    assert any(
        p.file == "gmpp.xlsx [Notes on method]" and "not read" in p.problem for p in result.warnings
    )


def test_a_mapped_column_the_file_lacks_is_an_error_naming_it():
    mapping = GMPP_2019.with_rule("budget", Rule(column="wlc_baseline", unit="millions"))
    result = load_files([export_2019_like()], AS_OF, mapping=mapping)
    [error] = result.errors
    assert error.value == "wlc_baseline" and error.column == "budget" and error.row == 1
    assert "does not have" in error.problem and "yearly_budget" in error.fix


def test_a_required_column_left_unmapped_says_to_map_it():
    mapping = Mapping("projects", {"name": Rule(column="project_name")})
    result = load_files([export_2019_like()], AS_OF, mapping=mapping)
    messages = {p.column: p.fix for p in result.errors if p.row == 1}
    assert messages["project_id"] == "Map a column of the file (or a fixed value) to project_id."
    assert "Map the file's committed delivery date" in messages["baseline_end"]


def test_ingest_commits_a_mapped_upload_and_refuses_without_writing(store):
    before = dump(store)
    refused = ingest(store, [export_2023_like()], AS_OF, mapping=GMPP_2023, source="GMPP")
    assert refused.commit is None and not refused.mapping_saved
    assert refused.result.errors[0].row == 5
    assert dump(store) == before
    outcome = ingest(
        store, [export_2019_like()], AS_OF, mapping=GMPP_2019, source="GMPP", save_mapping=True
    )
    assert outcome.commit is not None and outcome.mapping_saved
    assert store.projects(outcome.commit.snapshot_id).height == 3
    assert store.snapshots()["source"].to_list() == ["GMPP"]


def test_the_same_file_mapped_differently_is_new_content(store):
    first = ingest(store, [export_2019_like()], AS_OF, mapping=GMPP_2019)
    again = ingest(store, [export_2019_like()], AS_OF, mapping=GMPP_2019)
    assert again.commit.noop
    other = GMPP_2019.with_rule("portfolio", None)
    changed = ingest(store, [export_2019_like()], AS_OF, mapping=other)
    assert not changed.commit.noop and changed.commit.superseded == first.commit.snapshot_id


def test_a_saved_mapping_is_applied_to_the_next_upload_of_its_source(store):
    ingest(store, [export_2019_like()], AS_OF, mapping=GMPP_2019, source="GMPP", save_mapping=True)
    mapping = saved_mapping(store, "  gmpp ")  # as people retype it
    assert mapping == GMPP_2019
    later = ingest(store, [export_2019_like()], dt.date(2026, 12, 31), mapping=mapping)
    assert later.commit is not None and not later.commit.noop
    assert saved_mapping(store, "another source") is None


def test_saving_a_mapping_is_audited_once_per_change(store):
    assert store.save_mapping("GMPP", GMPP_2019.to_toml(), actor="ana")
    assert not store.save_mapping("gmpp", GMPP_2019.to_toml(), actor="ana")  # unchanged
    assert store.save_mapping("GMPP", GMPP_2023.to_toml(), actor="bo")
    assert store.mapping_for("GMPP") == GMPP_2023.to_toml()
    listed = store.mappings()
    assert listed["source"].to_list() == ["GMPP"] and listed["updated_by"].to_list() == ["bo"]
    log = store.audit_log().filter(action="mapping")
    assert log["target"].to_list() == ["GMPP", "GMPP"] and set(log["actor"]) == {"ana", "bo"}


def test_a_broken_saved_mapping_says_so(db_path):
    store = open_store(str(db_path))
    store.save_mapping("GMPP", 'table = "risks"', actor="ana")
    try:
        saved_mapping(store, "GMPP")
    except ValueError as exc:
        assert "The mapping saved for 'GMPP'" in str(exc) and "Upload a corrected" in str(exc)
    else:
        raise AssertionError("a broken saved mapping must not pass silently")


def test_validate_takes_the_mapping_too(store):
    result = validate(store, [export_2019_like()], AS_OF, mapping=GMPP_2019)
    assert result.ok and result.mapped == ["gmpp_2019.csv"]


def test_a_saved_mapping_is_found_again_by_its_file_s_headers(store):
    headers = read_tables(export_2019_like())[0].headers
    store.save_mapping("GMPP 2019", GMPP_2019.to_toml(), "ana", headers=headers)
    # next year's export, named otherwise: the same columns
    assert layout_mapping(store, headers) == ("GMPP 2019", GMPP_2019)
    # one column more (a layout grows): still found, 9 of 10 headers shared
    assert layout_mapping(store, [*headers, "benefits_comment"]) is not None
    # a column the mapping reads is gone: not offered
    assert layout_mapping(store, [h for h in headers if h != "end_date"]) is None
    # another layout altogether
    assert layout_mapping(store, ["project_id", "name", "baseline_end"]) is None


def test_committing_a_mapped_upload_keeps_its_file_s_headers(store):
    outcome = ingest(
        store, [export_2019_like()], AS_OF, source="GMPP", mapping=GMPP_2019, save_mapping=True
    )
    assert outcome.mapping_saved
    headers = read_tables(export_2019_like())[0].headers
    assert store.mapping_layouts() == [("GMPP", GMPP_2019.to_toml(), headers)]
