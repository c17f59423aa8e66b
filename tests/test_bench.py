"""The benchmark's moving parts work (its figures are read, never asserted: no timings)."""

from __future__ import annotations

from bench.jira_bench import run
from tests.test_app import app_on  # noqa: F401  (the fixture)


def test_the_jira_benchmark_runs_in_a_process_that_ran_the_app(app_on, demo_db):  # noqa: F811
    """`make bench` times the pages, then starts the fake Jira in a spawned process: that
    child re-imports the app's entry point, which must not crash outside a server."""
    app_on(demo_db)
    figures = run(300, 100, "same", 1)
    assert figures["ours"]["issues"] == figures["peer"]["issues"] == 300
    assert figures["ours"]["status_changes"] == figures["status_changes"] > 0
    assert figures["ours"]["requests"] > 0 and figures["peer"]["requests"] > 0
