"""`python -m metrics report` as a user runs it: JSON with METRICS.md's names, no NaN."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

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


def test_report_csv_writes_projects_and_benefits(demo_db, tmp_path):
    done = run("report", "--db", str(demo_db), "--format", "csv", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    with (tmp_path / "projects.csv").open() as f:
        assert tuple(next(csv.reader(f))) == PROJECT_KEYS
    with (tmp_path / "benefits.csv").open() as f:
        assert tuple(next(csv.reader(f))) == BENEFIT_KEYS
    stdout = run("report", "--db", str(demo_db), "--format", "csv")
    first = next(csv.reader(io.StringIO(stdout.stdout)))
    assert tuple(first) == PROJECT_KEYS


def test_report_on_an_empty_store_says_how_to_load_data(tmp_path):
    done = run("report", "--db", str(tmp_path / "empty.duckdb"))
    assert done.returncode == 1
    assert "no snapshot" in done.stderr and "connectors demo" in done.stderr
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
