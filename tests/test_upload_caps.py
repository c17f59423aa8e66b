"""The caps on what an upload holds (README, "What an upload may hold"), for CSV and
XLSX alike, and the validation of text cells: lengths, ids a spreadsheet would run as
formulas, and direction controls. Every refusal names row and column and leaves the
store unchanged."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import polars as pl
import pytest

from briefing.narrative import narrative
from briefing.pdf import briefing_pdf
from connectors.ingest import ingest
from connectors.sheets import load_files
from connectors.sheets.limits import DEFAULT_LIMITS, Limits
from connectors.sheets.read import SourceFile
from domain.contract import BENEFITS, PROJECTS
from metrics.review import quarter_review
from tests.sheets import (
    AS_OF,
    BENEFIT,
    MEASUREMENT,
    PROJECT,
    csv_file,
    dump,
    rows,
    snapshot_files,
)
from tests.support import hostile
from tests.support.pdf import pdf_text
from tests.support.two_quarters import evaluations


def as_csv(records: list[dict]) -> list[SourceFile]:
    return [csv_file("projects.csv", records)]


def as_xlsx(records: list[dict]) -> list[SourceFile]:
    return [SourceFile("pack.xlsx", hostile.text_xlsx(records))]


FORMATS = {"csv": as_csv, "xlsx": as_xlsx}


def refusal(store, files, limits: Limits = DEFAULT_LIMITS):
    """The upload's errors, after checking it was refused and changed nothing."""
    before = dump(store)
    outcome = ingest(store, files, AS_OF, limits=limits, actor="test")
    assert outcome.commit is None
    assert dump(store) == before
    return outcome.result.errors


@pytest.mark.parametrize("kind", FORMATS)
def test_a_100000_character_name_is_refused_with_row_and_column(loaded_store, kind):
    records = rows(PROJECT, {}, {"project_id": "P2", "name": "N" * 100_000})
    (problem,) = refusal(loaded_store, FORMATS[kind](records))
    assert (problem.row, problem.column) == (3, "name")
    assert "holds a text of 100,000 characters, more than the 32,767 a cell may hold" in (
        problem.problem
    )


@pytest.mark.parametrize("kind", FORMATS)
def test_a_name_over_its_cap_is_refused_with_row_and_column(loaded_store, kind):
    records = rows(PROJECT, {}, {"project_id": "P2", "name": "N" * 250})
    (problem,) = refusal(loaded_store, FORMATS[kind](records))
    assert (problem.row, problem.column) == (3, "name")
    assert problem.problem == "is longer than the 200 characters a name may have"
    assert "Shorten it to 200 characters" in problem.fix
    # The report shows enough to find it, not the whole text.
    assert problem.value == "N" * 120 + "… (250 characters)"


def test_the_report_by_cause_shows_a_cut_example_with_its_controls_written_out(loaded_store):
    outcome = ingest(loaded_store, as_csv(rows({**PROJECT, "name": "\u202e" + "N" * 300})), AS_OF)
    cause = next(c for c in outcome.result.causes if c.column == "name" and c.count)
    assert cause.severity == "error" and "200 characters" in cause.problem
    assert cause.example == "<U+202E>" + "N" * 112 + "… (301 characters)"


def test_a_600_character_sponsor_is_refused(loaded_store):
    errors = refusal(loaded_store, as_csv(rows(PROJECT, {"sponsor": "S" * 600})))
    assert [(p.row, p.column, p.problem) for p in errors] == [
        (2, "sponsor", "is longer than the 100 characters a sponsor may have")
    ]


def test_texts_at_their_caps_are_accepted():
    longest = {
        "project_id": "P" * 100,
        "name": "N" * 200,
        "portfolio": "F" * 200,
        "objective": "O" * 200,
        "sponsor": "S" * 100,
        "owner": "W" * 100,
    }
    benefit = {"benefit_id": "B" * 100, "project_id": "P" * 100, "kpi": "K" * 200}
    files = snapshot_files(
        rows({**PROJECT, **longest}),
        rows({**BENEFIT, **benefit, "unit": "U" * 40, "owner": "W" * 100, "category": "C" * 100}),
        rows({**MEASUREMENT, "benefit_id": "B" * 100, "source": "S" * 200}),
    )
    result = load_files(files, AS_OF)
    assert result.ok, [p.line() for p in result.errors]


def test_texts_at_their_caps_fit_the_briefing():
    """A 600-character sponsor broke the PDF; every text at its cap draws."""
    before, after = evaluations()
    review = quarter_review({"2026-Q1": before, "2026-Q2": after}, "2026-Q2")
    longest = {column.name: column.max_chars for column in PROJECTS.columns + BENEFITS.columns}
    longest["project_name"] = longest["name"]
    frames = {
        f.name: getattr(review, f.name).with_columns(
            pl.lit("W" * longest[c]).alias(c)
            for c in getattr(review, f.name).columns
            if longest.get(c) and getattr(review, f.name).schema[c] == pl.String
        )
        for f in dataclasses.fields(review)
        if isinstance(getattr(review, f.name), pl.DataFrame)
    }
    data = briefing_pdf(replace(review, **frames), narrative(review))
    assert data.startswith(b"%PDF")
    assert pdf_text(data).count("W") > 2_000  # the long texts are drawn, wrapped in their cells


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    "project_id",
    ['=HYPERLINK("http://x")', "+1", "-5", "@SUM(A1)", "\t=cmd|' /C calc'!A0", "\r=1+1"],
)
def test_an_id_a_spreadsheet_would_run_as_a_formula_is_refused(loaded_store, kind, project_id):
    errors = refusal(loaded_store, FORMATS[kind](rows({**PROJECT, "project_id": project_id})))
    problem = next(p for p in errors if "formula" in p.problem)
    assert (problem.row, problem.column) == (2, "project_id")
    assert problem.problem.startswith("starts with =, +, -, @, a tab or a line break")
    assert "Start the id with a letter or a digit" in problem.fix


def test_formula_like_ids_are_refused_in_every_table(loaded_store):
    files = snapshot_files(
        benefits=rows({**BENEFIT, "benefit_id": "=B1"}),
        measurements=rows({**MEASUREMENT, "benefit_id": "@B1"}),
    )
    errors = refusal(loaded_store, files)
    flagged = {(p.table, p.column, p.value) for p in errors if "formula" in p.problem}
    assert flagged == {("benefits", "benefit_id", "=B1"), ("measurements", "benefit_id", "@B1")}


def test_an_id_with_a_hyphen_inside_is_fine():
    assert load_files(
        snapshot_files(
            rows({**PROJECT, "project_id": "PAY-01"}), rows({**BENEFIT, "project_id": "PAY-01"})
        ),
        AS_OF,
    ).ok


@pytest.mark.parametrize("kind", FORMATS)
def test_direction_controls_are_removed_with_a_warning(store, kind):
    spoofed = "Payments \u202eedoc\u202c \u2066x\u2069\u200f\u061c"
    outcome = ingest(store, FORMATS[kind](rows({**PROJECT, "name": spoofed})), AS_OF)
    assert outcome.commit is not None
    warning = next(p for p in outcome.result.warnings if "direction" in p.problem)
    assert (warning.row, warning.column) == (2, "name")
    # The report writes the controls out, so it cannot be spoofed either.
    assert warning.value == "Payments <U+202E>edoc<U+202C> <U+2066>x<U+2069><U+200F><U+061C>"
    stored = store.db.cursor().execute("SELECT name FROM projects").fetchall()
    assert stored == [("Payments edoc x",)]


def test_a_name_of_direction_controls_only_is_empty(loaded_store):
    errors = refusal(loaded_store, as_csv(rows({**PROJECT, "name": "\u202e\u202c"})))
    assert [(p.column, p.problem) for p in errors] == [("name", "is required but empty")]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_cell_longer_than_excel_allows_is_refused(loaded_store, kind):
    files = FORMATS[kind](rows(PROJECT, {}, {}, {"project_id": "P3", "budget": "1" * 40_000}))
    (problem,) = refusal(loaded_store, files)
    assert (problem.row, problem.column) == (4, "budget")
    assert "holds a text of 40,000 characters, more than the 32,767 a cell may hold" in (
        problem.problem
    )


@pytest.mark.parametrize("kind", FORMATS)
def test_a_table_wider_than_the_cap_is_refused(loaded_store, kind):
    wide = {**PROJECT, **{f"extra {i}": "x" for i in range(600)}}
    (problem,) = refusal(loaded_store, FORMATS[kind](rows(wide)))
    assert "columns, more than the 500 a table may have" in problem.problem


@pytest.mark.parametrize("kind", FORMATS)
def test_a_table_longer_than_the_cap_is_refused(loaded_store, kind):
    many = [{**PROJECT, "project_id": f"P{i}"} for i in range(12)]
    (problem,) = refusal(loaded_store, FORMATS[kind](many), Limits(max_rows=10))
    assert "has 12 rows, more than the 10 a table may have" in problem.problem


def test_a_long_line_is_refused_before_it_is_read():
    result = load_files(
        [SourceFile("p.csv", b"project_id,name\nP1," + b"n" * 2000 + b"\n")],
        AS_OF,
        limits=Limits(max_line_bytes=1000),
    )
    (problem,) = result.errors
    assert problem.row == 2 and "line 2 is longer than 1 KB" in problem.problem


def test_a_nul_byte_anywhere_is_refused():
    text = "project_id,name,status,baseline_end\n" + "P1,Payments,active,2026-12-31\n" * 400
    data = text.encode() + b"P2,Pay\x00ments,active,2026-12-31\n"
    (problem,) = load_files([SourceFile("p.csv", data)], AS_OF).errors
    assert problem.row == 402 and "NUL (zero) byte on line 402" in problem.problem


def test_the_preview_of_a_refused_upload_cuts_overlong_texts():
    result = load_files(as_csv(rows({**PROJECT, "name": "N" * 5_000})), AS_OF)
    assert not result.ok
    assert result.preview("projects").get_column("name").to_list() == ["N" * 200 + "…"]
