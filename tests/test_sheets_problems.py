"""What bad input gets (docs/data-contract.md): every problem named by file, table, row (as the
user sees it), column, value and fix, and a store that is exactly as it was."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import pytest

from connectors.ingest import ingest
from connectors.sheets import load_files
from connectors.sheets.limits import Limits
from connectors.sheets.read import SourceFile
from tests.sheets import (
    AS_OF,
    BENEFIT,
    MEASUREMENT,
    PROJECT,
    csv_file,
    csv_text,
    dump,
    rows,
    snapshot_files,
    xlsx_file,
)


@dataclass(frozen=True)
class Case:
    """Files and the problem they must produce: table, row, column and (maybe) value."""

    files: list[SourceFile]
    table: str
    row: int
    column: str
    value: str | None = None
    says: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def P(*changes: dict[str, Any]) -> list[SourceFile]:
    return snapshot_files(projects=rows(PROJECT, *changes))


def B(*changes: dict[str, Any]) -> list[SourceFile]:
    return snapshot_files(benefits=rows(BENEFIT, *changes))


def M(*changes: dict[str, Any]) -> list[SourceFile]:
    return snapshot_files(measurements=rows(MEASUREMENT, *changes))


CASES: dict[str, Case] = {
    # projects
    "project_id empty": Case(
        P({}, {"project_id": ""}), "projects", 3, "project_id", None, "required"
    ),
    "project_id repeated": Case(P({}, {}), "projects", 3, "project_id", "P1", "more than once"),
    "name empty": Case(P({"name": " "}), "projects", 2, "name", None, "required"),
    "status unknown": Case(
        P({"status": "in review"}), "projects", 2, "status", "in review", "status"
    ),
    "rag unknown": Case(P({"rag": "purple"}), "projects", 2, "rag", "purple", "RAG"),
    "baseline_end missing": Case(
        P({"baseline_end": ""}), "projects", 2, "baseline_end", None, "proposed"
    ),
    "delivered without actual_end": Case(
        P({"status": "delivered"}), "projects", 2, "actual_end", "delivered", "delivered"
    ),
    "actual_end after as-of": Case(
        P({"status": "delivered", "actual_end": "2026-10-15"}),
        "projects",
        2,
        "actual_end",
        "2026-10-15",
        "after the snapshot",
    ),
    "date unreadable": Case(
        P({"baseline_end": "next spring"}), "projects", 2, "baseline_end", "next spring", "date"
    ),
    "budget negative": Case(P({"budget": "-5"}), "projects", 2, "budget", "-5", "negative"),
    "actual_cost negative": Case(
        P({"actual_cost": "(100)"}), "projects", 2, "actual_cost", "(100)", "negative"
    ),
    "forecast_cost negative": Case(
        P({"forecast_cost": "-1"}), "projects", 2, "forecast_cost", "-1", "negative"
    ),
    "scope negative": Case(
        P({"scope_planned": "-3"}), "projects", 2, "scope_planned", "-3", "negative"
    ),
    "money unreadable": Case(P({"budget": "TBD"}), "projects", 2, "budget", "TBD", "money"),
    "money with letters": Case(P({"budget": "12abc"}), "projects", 2, "budget", "12abc", "money"),
    "jira key malformed": Case(
        P({"jira_key": "PAY 123"}), "projects", 2, "jira_key", "PAY 123", "key"
    ),
    "required column missing": Case(
        [csv_file("projects.csv", [{k: v for k, v in PROJECT.items() if k != "name"}])],
        "projects",
        1,
        "name",
        None,
        "missing",
    ),
    # benefits
    "benefit_id empty": Case(
        B({}, {"benefit_id": ""}), "benefits", 3, "benefit_id", None, "required"
    ),
    "benefit_id repeated": Case(B({}, {}), "benefits", 3, "benefit_id", "B1", "more than once"),
    "benefit of an unknown project": Case(
        B({"project_id": "P9"}), "benefits", 2, "project_id", "P9", "not a project"
    ),
    "kpi empty": Case(B({"kpi": ""}), "benefits", 2, "kpi", None, "required"),
    "baseline empty": Case(B({"baseline": ""}), "benefits", 2, "baseline", None, "required"),
    "target unreadable": Case(B({"target": "n/a"}), "benefits", 2, "target", "n/a", "number"),
    "target equals baseline": Case(
        B({"target": "2.0"}), "benefits", 2, "target", "2.0", "baseline"
    ),
    "target_date empty": Case(
        B({"target_date": ""}), "benefits", 2, "target_date", None, "required"
    ),
    "target_date not after start": Case(
        B({"start_date": "2027-06-30"}), "benefits", 2, "target_date", "2027-06-30", "after"
    ),
    "planned_value negative": Case(
        B({"planned_value": "-1,000"}), "benefits", 2, "planned_value", "-1,000", "negative"
    ),
    "benefits without projects": Case(
        [csv_file("benefits.csv", rows(BENEFIT))], "benefits", 2, "project_id", "P1", "without"
    ),
    "flat benefit repeated differently": Case(
        [
            csv_file("projects.csv", rows(PROJECT)),
            csv_file(
                "flat.csv",
                [
                    {**BENEFIT, "measured_at": "2026-07-31", "value": "2.1"},
                    {**BENEFIT, "kpi": "Other", "measured_at": "2026-08-31", "value": "2.2"},
                ],
            ),
        ],
        "benefits",
        3,
        "benefit_id",
        "B1",
        "different",
    ),
    # measurements
    "measurement of an unknown benefit": Case(
        M({"benefit_id": "B9"}), "measurements", 2, "benefit_id", "B9", "not a benefit"
    ),
    "measured after as-of": Case(
        M({"measured_at": "2026-10-01"}), "measurements", 2, "measured_at", "2026-10-01", "after"
    ),
    "value empty": Case(M({"value": ""}), "measurements", 2, "value", None, "required"),
    "value unreadable": Case(
        M({"value": "about 3"}), "measurements", 2, "value", "about 3", "number"
    ),
    "measured_at unreadable": Case(
        M({"measured_at": "Q3"}), "measurements", 2, "measured_at", "Q3", "date"
    ),
    "measurement repeated": Case(
        M({}, {}), "measurements", 3, "benefit_id", "B1", "more than once"
    ),
    # conventions settled by the file
    "ambiguous day/month": Case(
        P({"baseline_end": "03/04/2026"}), "projects", 2, "baseline_end", "03/04/2026", "ambiguous"
    ),
    "mixed day/month orders": Case(
        P({"start_date": "25/03/2026", "baseline_end": "03/25/2026"}),
        "projects",
        2,
        "baseline_end",
        "03/25/2026",
        "mixes",
    ),
    "decimal comma among decimal points": Case(
        M({"value": "2.5"}, {"measured_at": "2026-07-31", "value": "2,5"}),
        "measurements",
        3,
        "value",
        "2,5",
        "number",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_cell_is_named_and_nothing_is_written(loaded_store, name):
    case = CASES[name]
    before = dump(loaded_store)
    outcome = ingest(loaded_store, case.files, AS_OF, actor="test")
    assert outcome.commit is None
    matching = [
        p
        for p in outcome.result.errors
        if p.row == case.row and p.column == case.column and p.value == case.value
    ]
    assert matching, [p.line() for p in outcome.result.errors]
    problem = matching[0]
    line = problem.line()
    assert f"row {case.row}" in line and f"column {case.column}" in line
    assert case.says.lower() in (problem.problem + problem.fix).lower()
    assert problem.file and problem.fix  # where, and what would be right
    if case.value is not None:
        assert repr(case.value) in line
    assert dump(loaded_store) == before


def test_a_proposed_project_needs_no_baseline_end(loaded_store):
    outcome = ingest(loaded_store, P({"status": "proposed", "baseline_end": ""}), AS_OF)
    assert outcome.commit is not None


def test_every_problem_at_once_in_row_order_per_rule():
    files = snapshot_files(
        projects=rows(PROJECT, {"budget": "-1"}, {"project_id": "P2", "budget": "x"}),
        measurements=rows(MEASUREMENT, {"value": ""}),
    )
    result = load_files(files, AS_OF)
    found = {(p.table, p.row, p.column) for p in result.errors}
    assert {
        ("projects", 2, "budget"),
        ("projects", 3, "budget"),
        ("measurements", 2, "value"),
    } <= found


def test_problems_are_capped_with_a_count_of_the_rest():
    many = [{**PROJECT, "project_id": f"P{i}", "budget": "-1"} for i in range(350)]
    result = load_files([csv_file("p.csv", many)], AS_OF, limits=Limits(max_problems=200))
    assert len(result.errors) == 200 and result.n_errors == 350
    assert result.unlisted and "150 more error(s)" in result.unlisted
    # Warnings have their own cap: errors are never crowded out by them.
    assert not result.ok


def test_the_report_by_cause_counts_every_row_past_the_cap():
    # 430 rows without a committed end date, 3 with a negative budget, in two files
    many = [
        {**PROJECT, "project_id": f"P{i}", "baseline_end": "", "budget": "-1" if i < 3 else "5"}
        for i in range(430)
    ]
    other = [{**PROJECT, "project_id": f"Q{i}", "baseline_end": ""} for i in range(2)]
    files = [csv_file("a.csv", many), csv_file("b.csv", other)]
    result = load_files(files, AS_OF, limits=Limits(max_problems=200))
    assert len(result.errors) == 200 and result.n_errors == 435
    by_cause = {(c.file, c.column, c.problem): c for c in result.causes}
    missing = by_cause[("a.csv", "baseline_end", "is required unless the project is proposed")]
    assert missing.count == 430 and missing.rows[:3] == [2, 3, 4] and len(missing.rows) == 40
    assert missing.headline() == (
        "430 rows: baseline_end is required unless the project is proposed"
    )
    assert missing.rows_text().endswith("41, … (430 in all)")
    assert "committed delivery date" in missing.fix
    assert by_cause[("b.csv", "baseline_end", missing.problem)].count == 2
    negative = by_cause[("a.csv", "budget", "is negative")]
    assert (negative.count, negative.rows, negative.example) == (3, [2, 3, 4], "-1")
    assert negative.rows_text() == "2, 3, 4"
    # errors first, the most frequent first; the counts add up to every error found
    assert result.causes[0] is missing
    assert sum(c.count for c in result.causes if c.severity == "error") == result.n_errors


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


FILE_CASES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "is empty"),
    "only a BOM": (b"\xef\xbb\xbf", "is empty"),
    "only blank lines": (b"\r\n\r\n  \n", "is empty"),
    "binary with NUL bytes": (b"\x01\x02\x00\x03" * 500, "binary"),
    "control characters": (bytes(range(1, 9)) * 300, "binary"),
    "old excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image"),
    "damaged workbook": (b"PK\x03\x04" + b"\x00garbage" * 100, "cannot be read"),
    "zip without tables": (_zip({"photo.jpg": b"\xff\xd8\xff"}), "no CSV"),
    "unknown headers": (b"colour,size\nred,10\n", "cannot tell which table"),
    "header only": (b"project_id,name,baseline_end\n", "no rows"),
    "a title and nothing else": (b"Quarterly report\n", "cannot tell which table"),
}


@pytest.mark.parametrize("name", list(FILE_CASES))
def test_unreadable_files_get_a_clear_message(loaded_store, name):
    data, says = FILE_CASES[name]
    before = dump(loaded_store)
    outcome = ingest(loaded_store, [SourceFile("upload.csv", data)], AS_OF)
    assert outcome.commit is None
    text = " ".join(p.line() for p in outcome.result.errors)
    assert says.lower() in text.lower(), text
    assert "upload.csv" in text or "the upload holds no rows" in text
    assert dump(loaded_store) == before


def test_a_200_mb_file_is_refused_before_it_is_read(loaded_store):
    before = dump(loaded_store)
    huge = SourceFile("huge.csv", b"project_id,name\n" + b"P1,x\n" * (40 * 1024 * 1024))
    outcome = ingest(loaded_store, [huge], AS_OF)
    assert outcome.commit is None
    message = outcome.result.errors[0].line()
    assert "huge.csv" in message and "200.0 MB" in message and "50 MB" in message
    assert dump(loaded_store) == before


def test_the_limit_is_a_parameter():
    files = snapshot_files()
    result = load_files(files, AS_OF, limits=Limits(max_file_bytes=40))
    assert not result.ok
    assert "projects.csv is 0.1 KB, more than the 0 KB" in result.errors[0].problem
    assert load_files(files, AS_OF).ok


def test_a_zip_bomb_is_measured_by_its_contents():
    bomb = _zip({"projects.csv": csv_text(rows(PROJECT)).encode() + b" " * 5_000_000})
    result = load_files([SourceFile("b.zip", bomb)], AS_OF, limits=Limits(max_file_bytes=1_000_000))
    assert not result.ok and "contents of b.zip" in result.errors[0].problem


def test_one_bad_file_refuses_the_whole_upload(loaded_store):
    before = dump(loaded_store)
    files = [*snapshot_files(), SourceFile("extra.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 600)]
    outcome = ingest(loaded_store, files, AS_OF)
    assert outcome.commit is None and dump(loaded_store) == before


def test_a_workbook_problem_names_the_sheet(loaded_store):
    book = xlsx_file(
        "pack.xlsx",
        {"projects": [list(PROJECT), [*list(PROJECT.values())[:-1], -3]]},
    )
    outcome = ingest(loaded_store, [book], AS_OF)
    problem = next(p for p in outcome.result.errors if p.column == "budget")
    assert problem.file == "pack.xlsx [projects]" and problem.row == 2
