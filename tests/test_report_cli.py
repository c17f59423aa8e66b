"""`python -m metrics report` as a user runs it: JSON with METRICS.md's names, no NaN."""

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
