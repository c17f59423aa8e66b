"""`python -m metrics report` as a user runs it: JSON with docs/metrics.md's names, no NaN."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from metrics.portfolio import PORTFOLIO_KEYS
from metrics.report import BENEFIT_KEYS, PROJECT_KEYS

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _no_nan(text: str) -> None:
    raise AssertionError(f"{text} in report")


def test_report_json_has_every_name(demo_db):
    done = run("report", "--db", str(demo_db))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout, parse_constant=_no_nan)
    assert report["as_of"] == "2026-09-30"
    assert set(report["portfolio"]) == set(PORTFOLIO_KEYS)
    assert all(set(p) == set(PROJECT_KEYS) for p in report["projects"])
    assert all(set(b) == set(BENEFIT_KEYS) for b in report["benefits"])
    assert all(isinstance(p["delivered"], bool) for p in report["projects"])


def test_report_as_of_an_earlier_date(demo_db):
    done = run("report", "--db", str(demo_db), "--as-of", "2025-08-15")
    report = json.loads(done.stdout, parse_constant=_no_nan)
    assert report["as_of"] == "2025-08-15" and report["snapshot_as_of"] == "2025-06-30"


def test_report_csv_writes_every_table_to_a_folder(demo_db, tmp_path):
    done = run("report", "--db", str(demo_db), "--format", "csv", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    with (tmp_path / "projects.csv").open() as f:
        assert tuple(next(csv.reader(f))) == PROJECT_KEYS
    with (tmp_path / "benefits.csv").open() as f:
        assert tuple(next(csv.reader(f))) == BENEFIT_KEYS
    with (tmp_path / "portfolio.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1 and tuple(rows[0]) == ("as_of", "snapshot_as_of", *PORTFOLIO_KEYS)
    report = json.loads(run("report", "--db", str(demo_db)).stdout)
    assert rows[0]["as_of"] == report["as_of"]
    assert int(rows[0]["committed"]) == report["portfolio"]["committed"]
    assert float(rows[0]["output_rate"]) == pytest.approx(report["portfolio"]["output_rate"])


@pytest.mark.parametrize(
    ("table", "header"),
    [("projects", PROJECT_KEYS), ("benefits", BENEFIT_KEYS)],
)
def test_report_csv_on_stdout_is_one_table(demo_db, table, header):
    done = run("report", "--db", str(demo_db), "--format", "csv", "--table", table)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert tuple(rows[0]) == header
    assert all(len(row) == len(header) for row in rows)  # no second table run into it
    report = json.loads(run("report", "--db", str(demo_db)).stdout)
    assert len(rows) - 1 == len(report[table])


def test_report_csv_on_stdout_without_a_table_is_a_usage_error(demo_db, tmp_path):
    done = run("report", "--db", str(demo_db), "--format", "csv")
    assert done.returncode == 2
    assert "--table projects|benefits|portfolio" in done.stderr and done.stdout == ""
    done = run("report", "--db", str(demo_db), "--table", "projects")
    assert done.returncode == 2 and "--table goes with --format csv" in done.stderr


def test_report_json_goes_to_the_out_folder(demo_db, tmp_path):
    out = tmp_path / "figures"
    done = run("report", "--db", str(demo_db), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Wrote {out / 'report.json'}\n"
    written = json.loads((out / "report.json").read_text(), parse_constant=_no_nan)
    shown = json.loads(run("report", "--db", str(demo_db)).stdout)
    assert set(written) == set(shown) and written["as_of"] == shown["as_of"]
    assert [p["project_id"] for p in written["projects"]] == [
        p["project_id"] for p in shown["projects"]
    ]
    assert written["portfolio"] == pytest.approx(shown["portfolio"])  # sums in any order


def test_report_on_an_empty_store_says_how_to_load_data(tmp_path):
    done = run("report", "--db", str(tmp_path / "empty.duckdb"))
    assert done.returncode == 1
    assert "no snapshot" in done.stderr and "`cockpit demo`" in done.stderr
    assert "Traceback" not in done.stderr


def test_report_works_from_any_directory(demo_db, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "report", "--db", str(demo_db)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_the_json_report_says_the_currency_of_its_amounts(tmp_path):
    from connectors.ingest import ingest
    from store import close_all, open_store
    from tests.sheets import AS_OF, PROJECT, rows, snapshot_files

    db = tmp_path / "pounds.duckdb"
    pounds = snapshot_files(projects=rows(PROJECT, {"budget": "£1,000,000"}))
    assert ingest(open_store(str(db)), pounds, AS_OF).commit is not None
    close_all()
    report = json.loads(run("report", "--db", str(db)).stdout)
    assert report["currency"] == "GBP"


FORMULA_ID = '=HYPERLINK("http://evil.example/f","Click")'
DDE = "=cmd|' /C calc'!A0"


@pytest.fixture
def formula_db(tmp_path):
    """A store whose ids a spreadsheet would run as formulas, written through the Store
    API (uploads refuse such ids; an older store may hold them)."""
    import datetime as dt

    from store import close_all, open_store
    from tests.factories import benefit, project, snapshot

    path = tmp_path / "formulas.duckdb"
    end, due = dt.date(2026, 12, 31), dt.date(2027, 6, 30)
    frames = snapshot(
        [project(FORMULA_ID, baseline_end=end), project(DDE, baseline_end=end)],
        [benefit("@SUM(1+1)", FORMULA_ID, target_date=due), benefit("+B2", DDE, target_date=due)],
    )
    open_store(str(path)).commit_snapshot(
        frames, as_of=dt.date(2026, 9, 30), source=None, actor=None, content_hash="formulas"
    )
    close_all()
    return path


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _formulas(cells: list[str]) -> list[str]:
    return [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_report_csv_neutralises_formula_like_ids(formula_db, tmp_path):
    done = run("report", "--db", str(formula_db), "--format", "csv", "--table", "projects")
    assert done.returncode == 0, done.stderr
    cells = _cells(done.stdout)
    assert "'" + FORMULA_ID in cells and "'" + DDE in cells
    assert _formulas(cells) == []
    done = run("report", "--db", str(formula_db), "--format", "csv", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    benefits = _cells((tmp_path / "benefits.csv").read_text())
    assert {"'@SUM(1+1)", "'+B2", "'" + FORMULA_ID, "'" + DDE} <= set(benefits)
    projects = _cells((tmp_path / "projects.csv").read_text())
    assert _formulas(projects + benefits) == []
