"""The benchmark's moving parts work (its figures are read, never asserted: no timings)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.jira_bench import run
from bench.pages import demo_store
from store import close_all, open_store

ROOT = Path(__file__).resolve().parent.parent


def test_the_jira_benchmark_runs_in_a_process_that_ran_the_app(app_on, demo_db):
    """`make bench` times the pages, then starts the fake Jira in a spawned process: that
    child re-imports the app's entry point, which must not crash outside a server."""
    app_on(demo_db)
    figures = run(300, 100, "same", 1)
    assert figures["ours"]["issues"] == figures["peer"]["issues"] == 300
    assert figures["ours"]["status_changes"] == figures["status_changes"] > 0
    assert figures["ours"]["requests"] > 0 and figures["peer"]["requests"] > 0


def test_bench_pages_measures_the_demo_when_no_store_is_given(tmp_path):
    """`python -m bench.pages` needs no --db: the demo, loaded where it is missing."""
    shown = subprocess.run(
        [sys.executable, "-m", "bench.pages", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert "[--db DB]" in shown.stdout  # optional
    assert "default: bench/work/demo.duckdb, made if missing" in " ".join(shown.stdout.split())

    path = tmp_path / "work" / "demo.duckdb"
    assert demo_store(path) == path
    assert open_store(str(path)).portfolio_snapshots().height == 8
    close_all()
    loaded = path.stat().st_mtime_ns
    assert demo_store(path) == path and path.stat().st_mtime_ns == loaded  # kept as it is
