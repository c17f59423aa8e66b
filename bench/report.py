"""How long `python -m metrics report` takes: on the demo and on the enterprise portfolio.

Run: python -m bench.report [--workdir bench/work]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from metrics.evaluate import evaluate
from metrics.report import build_report
from store import Store, close_all, open_store

HERE = Path(__file__).resolve().parent


def build_enterprise_store(path: Path) -> Store:
    """The enterprise portfolio committed straight into a store (the loader is timed elsewhere)."""
    from bench.enterprise import generate

    if path.exists():
        return open_store(str(path))
    store = open_store(str(path))
    for i, (as_of, frames) in enumerate(generate()):
        store.commit_snapshot(frames, as_of=as_of, content_hash=f"enterprise-{i}", source="bench")
    return store


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
        portfolio = store.portfolio_input(as_of)
        assert portfolio is not None
        report = build_report(evaluate(portfolio, store.settings()), portfolio.snapshot_as_of)
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
        print(
            f"{name:<11} projects={len(report['projects']):>6} "
            f"benefits={len(report['benefits']):>6}  report {seconds:.3f}s "
            f"(store ready in {built:.1f}s)"
        )
        close_all()


if __name__ == "__main__":
    main()
