"""`make bench`: the cockpit at enterprise scale, measured. Prints a table, writes
bench/results.json. Figures to read; the test suite never asserts timings.

- portfolio: 10,000 projects, 30,000 benefits, 1,000,000 measurements, 8 quarterly
  snapshots (bench.enterprise), committed into a DuckDB store.
- ingest_seconds: a 1,000,000-row measurements CSV through `cockpit load`
  (a child process, as a user runs it; bench.ingest).
- report_seconds: every metric as of one date (read the store, evaluate, report), best of 3,
  on the portfolio and 50,000 Jira issues under 2,000 of its projects' epics.
- forecast_seconds: what the forecasts add to that (every delivery forecast's weekly counts
  and convolution, every benefit's Theil-Sen trend), best of 3.
- trend_seconds: the 8 quarters' portfolio figures (what the sparklines and the review read).
- page_cold_seconds / page_warm_seconds: the Overview's script run on this store, first
  with empty caches, then cached (AppTest, median of 3).
- peak_rss_mb: the largest resident memory of the product: this process (store, report,
  trends, pages, our Jira sync) and the `cockpit load` child.
- measure: a `cockpit measure` run of 1,000 sql sources on one warehouse connection, measured
  and committed on a copy of the enterprise store (bench.measure).
- jira: 50,000 issues with changelogs from the local fake Jira of the tests; our whole sync
  against the `jira` library's enhanced_search_issues of the same issues (bench.jira_bench).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGETS = {
    "report_seconds": ("<", 1.0),
    "forecast_seconds": ("<", 0.5),
    "page_warm_seconds": ("<", 0.3),
    "ingest_seconds": ("<", 5.0),
    "peak_rss_mb": ("<", 2000.0),
}


def _own_rss_mb() -> float:
    """This process's peak: the store build, report, trends, pages and our Jira sync.
    (The fake Jira server is a child process and is not the product: it is not counted.)"""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _step(label: str) -> None:
    print(f"… {label}", file=sys.stderr, flush=True)


def portfolio_store(work: Path) -> tuple[Path, dict[str, int]]:
    from bench.report import build_enterprise_store
    from store import close_all

    path = work / "enterprise.duckdb"
    store = build_enterprise_store(path)
    snapshots = store.portfolio_snapshots()
    latest = store.resolve_snapshot()
    assert latest is not None
    counts = {
        "projects": store.projects(latest[0]).height,
        "benefits": store.benefits(latest[0]).height,
        "measurements": store.measurements().height,
        "snapshots": snapshots.height,
        "jira_issues": store.jira_issue_count(),
    }
    close_all()
    return path, counts


def ingest_seconds(work: Path) -> tuple[float, float]:
    from bench.ingest import prepare, run_cli

    folder = work / "ingest"
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("*"):
        stale.unlink()
    db, csv_path = prepare(folder, 1_000_000, 10_000)
    seconds, peak_mb, _ = run_cli(db, csv_path)
    return seconds, peak_mb


def report_seconds(db: Path) -> tuple[float, float]:
    """(the whole report, the forecasts' part of it), each best of 3."""
    from bench.report import time_forecasts, time_report
    from store import close_all, open_store

    store = open_store(str(db))
    seconds, _ = time_report(store, repeat=3)
    forecasts = time_forecasts(store, repeat=3)
    close_all()
    return seconds, forecasts


def trend_seconds(db: Path) -> float:
    """The 8 quarters: read each quarter's snapshot, evaluate, portfolio figures."""
    from service.evaluated import evaluator, quarter_dates
    from service.portfolio import quarter_headlines
    from store import close_all, open_store

    store = open_store(str(db))
    started = time.perf_counter()
    series = quarter_headlines(quarter_dates(store), evaluator(store), ())
    seconds = time.perf_counter() - started
    assert series.height == 8
    close_all()
    return seconds


def page_seconds(db: Path, runs: int = 3) -> tuple[float, float]:
    """The Overview's server time: first run with empty caches, then a cached rerun."""
    os.environ["COCKPIT_DB"] = str(db)
    from bench.pages import _app, _clear_caches, _timed

    _app(None, {}).run()  # imports and the connection, paid once per server
    cold, warm = [], []
    for _ in range(runs):
        _clear_caches()
        at = _app(None, {})
        cold.append(_timed(at.run))
        assert not at.exception, at.exception
        warm.append(_timed(at.run))
    return statistics.median(cold), statistics.median(warm)


def jira_figures(issues: int, repeat: int) -> dict[str, Any]:
    from bench.jira_bench import run

    figures = run(issues, 100, "same", repeat)
    return {
        "issues": figures["issues"],
        "seconds": figures["ours"]["seconds"],
        "requests": figures["ours"]["requests"],
        "peer_seconds": figures["peer"]["seconds"],
        "peer_requests": figures["peer"]["requests"],
    }


def _verdict(name: str, value: float) -> str:
    if name not in TARGETS:
        return ""
    op, limit = TARGETS[name]
    ok = value < limit if op == "<" else value > limit
    return f"{'meets' if ok else 'MISSES'} {op} {limit:g}"


def print_table(results: dict[str, Any]) -> None:
    p = results["portfolio"]
    print(
        f"\nEnterprise portfolio: {p['projects']:,} projects, {p['benefits']:,} benefits, "
        f"{p['measurements']:,} measurements, {p['snapshots']} snapshots, "
        f"{p.get('jira_issues', 0):,} Jira issues"
    )
    print(f"Machine: {results['machine']}\n")
    rows = [
        ("ingest_seconds", "1,000,000-row measurements CSV, `cockpit load`", "s"),
        ("report_seconds", "every metric as of one date", "s"),
        ("forecast_seconds", "of which the forecasts", "s"),
        ("trend_seconds", "8 quarters of portfolio figures", "s"),
        ("page_cold_seconds", "Overview server time, empty caches", "s"),
        ("page_warm_seconds", "Overview server time, cached", "s"),
        ("peak_rss_mb", "peak resident memory", "MB"),
    ]
    print(f"{'figure':<20} {'value':>10}  {'what':<52} target")
    for name, what, unit in rows:
        value = results[name]
        print(f"{name:<20} {value:>8.3f} {unit:<2} {what:<52} {_verdict(name, value)}")
    m = results.get("measure")
    if m:
        print(
            f"{'measure_seconds':<20} {m['seconds']:>8.3f} s  a measure run of {m['sources']:,} "
            f"sql sources ({m['per_source_ms']:.1f} ms a source), committed"
        )
    j = results.get("jira")
    if j:
        faster = j["seconds"] < j["peer_seconds"]
        print(
            f"{'jira':<20} {j['seconds']:>8.3f} s  our sync of {j['issues']:,} issues "
            f"({j['requests']} requests) vs the jira library's search {j['peer_seconds']:.3f} s "
            f"({j['peer_requests']} requests): {'meets' if faster else 'MISSES'} faster"
        )
    print(f"\nTotal bench time {results['bench_seconds']:.0f} s; figures in {results['path']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--jira-issues", type=int, default=50_000)
    parser.add_argument("--jira-repeat", type=int, default=2)
    parser.add_argument("--skip-jira", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    _step("building the enterprise portfolio store")
    db, portfolio = portfolio_store(args.work)
    _step("loading a 1,000,000-row measurements CSV through `cockpit load`")
    ingest, ingest_rss = ingest_seconds(args.work)
    _step("timing the report")
    report, forecasts = report_seconds(db)
    _step("timing 8 quarters of figures")
    trend = trend_seconds(db)
    _step("timing the Overview's server time")
    cold, warm = page_seconds(db)
    results: dict[str, Any] = {
        "portfolio": portfolio,
        "ingest_seconds": round(ingest, 3),
        "report_seconds": round(report, 3),
        "forecast_seconds": round(forecasts, 3),
        "trend_seconds": round(trend, 3),
        "page_cold_seconds": round(cold, 3),
        "page_warm_seconds": round(warm, 3),
    }
    _step("timing a measurement run of 1,000 sources")
    from bench.measure import run as measure_run

    results["measure"] = measure_run(args.work, 1000, db)
    if not args.skip_jira:
        _step(f"timing a Jira sync of {args.jira_issues:,} issues against the jira library")
        results["jira"] = jira_figures(args.jira_issues, args.jira_repeat)
    results["peak_rss_mb"] = round(max(_own_rss_mb(), ingest_rss), 1)
    results["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    results["path"] = str(args.out)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
