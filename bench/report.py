"""How long `python -m metrics report` takes: on the demo and on the enterprise portfolio.

Run: python -m bench.report [--workdir bench/work]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import polars as pl

from metrics.jira import with_jira_as_of
from service.report import report_as_of
from store import Store, close_all, open_store

HERE = Path(__file__).resolve().parent


def build_enterprise_store(path: Path) -> Store:
    """The enterprise portfolio and its Jira issues committed straight into a store (the
    loader and the sync are timed elsewhere). A store built before it had Jira gets them."""
    from bench.enterprise import generate

    fresh = not path.exists()
    store = open_store(str(path))
    if fresh:
        for i, (as_of, frames) in enumerate(generate()):
            store.commit_snapshot(
                frames, as_of=as_of, content_hash=f"enterprise-{i}", source="bench"
            )
    if store.jira_issue_count() == 0:
        _commit_enterprise_jira(store)
    return store


def _commit_enterprise_jira(store: Store) -> None:
    from bench.enterprise import JIRA_NOW, jira_frames
    from domain.jira import SyncRun

    frames = jira_frames()
    run = SyncRun(
        started_at=JIRA_NOW, finished_at=JIRA_NOW, mode="full", deployment="bench",
        url="bench", user_name=None, jql=None, watermark=JIRA_NOW,
        n_issues=frames.issues.height, n_changes=frames.changes.height, n_requests=0,
        ok=True, message="the enterprise portfolio's synthetic Jira issues", actor="bench",
    )  # fmt: skip
    store.commit_jira_sync(frames, run, replace_all=True)


def time_forecasts(store: Store, as_of: dt.date | None = None, repeat: int = 3) -> float:
    """Best of `repeat` runs of what the forecasts add to the report as of one date: every
    delivery forecast (weekly counts, the convolutions, the dates) and every benefit trend
    (Theil-Sen), from the frames the rest of the report computes anyway."""
    from metrics.benefit_forecast import benefit_forecast
    from metrics.delivery_forecast import delivery_forecast
    from metrics.outcomes import benefit_outcomes
    from metrics.outputs import project_outputs

    portfolio = with_jira_as_of(store.portfolio_input(as_of))
    assert portfolio is not None
    settings, a = store.settings(), portfolio.as_of
    outputs, outcomes, measurements, *children = pl.collect_all(
        [
            project_outputs(portfolio.projects, a, settings, portfolio.jira_scope),
            benefit_outcomes(
                portfolio.benefits, portfolio.projects, portfolio.measurements, a, settings
            ),
            portfolio.measurements,
            *([portfolio.jira_children] if portfolio.jira_children is not None else []),
        ]
    )
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        pl.collect_all(
            [
                delivery_forecast(
                    outputs.lazy(), children[0].lazy() if children else None, a, settings
                ),
                benefit_forecast(outcomes.lazy(), measurements.lazy(), a, settings),
            ]
        )
        best = min(best, time.perf_counter() - started)
    return best


def build_demo_store(path: Path) -> Store:
    from connectors.cli import load_demo

    if path.exists():
        return open_store(str(path))
    store = open_store(str(path))
    load_demo(store)
    return store


def time_report(store: Store, as_of: dt.date | None = None, repeat: int = 3) -> tuple[float, dict]:
    """Best of `repeat` runs of everything the report does: read the store, evaluate, collect."""
    best, report = float("inf"), {}
    for _ in range(repeat):
        started = time.perf_counter()
        found = report_as_of(store, as_of)
        assert found is not None
        report = found.as_json()
        best = min(best, time.perf_counter() - started)
    return best, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", type=Path, default=HERE / "work")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for name, builder in (("demo", build_demo_store), ("enterprise", build_enterprise_store)):
        started = time.perf_counter()
        store = builder(args.workdir / f"{name}.duckdb")
        built = time.perf_counter() - started
        seconds, report = time_report(store)
        forecasts = time_forecasts(store)
        print(
            f"{name:<11} projects={len(report['projects']):>6} "
            f"benefits={len(report['benefits']):>6}  report {seconds:.3f}s "
            f"(of which forecasts {forecasts:.3f}s; store ready in {built:.1f}s)"
        )
        close_all()


if __name__ == "__main__":
    main()
