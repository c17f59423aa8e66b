"""The enterprise portfolio on each kind of store: commit, open, report and Overview times.

    python -m bench.stores [--work DIR] [--postgres] [--kinds file,sqlite,postgres]

- commit_seconds: each of the 8 quarterly snapshots committed (10,000 projects, 30,000
  benefits, 125,000 measurements each); median and slowest.
- open_seconds: opening the store in a fresh state of the process (connect, schema check).
- copy_seconds: a lake's first read: this process's copy of every table (store/replica.py).
- report_seconds: every metric as of one date, best of 3 (as `make bench`).
- page_cold_seconds / page_warm_seconds: the Overview's server time under AppTest, empty
  caches then cached (as `make bench`).
- after_write_seconds: the Overview's first rerun after another connection committed a
  snapshot: the new generation read (a lake appends the rows added) and every figure again.

`--postgres` starts a throwaway PostgreSQL (tests/support/postgres.py, Debian's package)
for the `postgres` kind. Figures go to stdout and, as JSON, to bench/stores.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _url(kind: str, work: Path, postgres: Any) -> str:
    if kind == "file":
        return str(work / "enterprise.duckdb")
    if kind == "sqlite":
        return f"ducklake:sqlite:{work / 'enterprise.sqlite'}"
    name = postgres.create_database("enterprise")
    os.environ["COCKPIT_LAKE_DATA"] = str(work / "enterprise-pg-files")
    return "ducklake:postgres:" + postgres.dsn(name, password=postgres.password)


def measure(url: str) -> dict[str, float]:
    from bench.__main__ import page_seconds
    from bench.enterprise import generate
    from bench.report import time_report
    from store import Store, close_all, open_store
    from store.core import Database

    store = open_store(url)
    commits = []
    snapshots = list(generate())
    for i, (as_of, frames) in enumerate(snapshots[:-1]):
        started = time.perf_counter()
        store.commit_snapshot(frames, as_of=as_of, content_hash=f"enterprise-{i}", source="bench")
        commits.append(time.perf_counter() - started)
    close_all()
    started = time.perf_counter()
    store = open_store(url)
    opened = time.perf_counter() - started
    started = time.perf_counter()
    store.generation()
    copied = time.perf_counter() - started
    report, _ = time_report(store, repeat=3)
    close_all()
    cold, warm = page_seconds(url)  # type: ignore[arg-type]

    from bench.pages import _app, _timed

    at = _app(None, {})
    at.run()
    other = Store(Database(url))  # another process's connection
    as_of, frames = snapshots[-1]
    started = time.perf_counter()
    other.commit_snapshot(frames, as_of=as_of, content_hash="enterprise-last", source="bench")
    commits.append(time.perf_counter() - started)
    other.db.close()
    after = _timed(at.run)
    assert not at.exception, at.exception
    close_all()
    return {
        "commit_median_seconds": round(statistics.median(commits), 3),
        "commit_max_seconds": round(max(commits), 3),
        "open_seconds": round(opened, 3),
        "copy_seconds": round(copied, 3),
        "report_seconds": round(report, 3),
        "page_cold_seconds": round(cold, 3),
        "page_warm_seconds": round(warm, 3),
        "after_write_seconds": round(after, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stores", description=__doc__)
    parser.add_argument("--work", type=Path, default=HERE / "work" / "stores")
    parser.add_argument("--kinds", default="file,sqlite,postgres")
    parser.add_argument("--postgres", action="store_true", help="start a local PostgreSQL")
    parser.add_argument("--out", type=Path, default=HERE / "stores.json")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k != "postgres" or args.postgres]
    args.work.mkdir(parents=True, exist_ok=True)
    postgres = None
    if "postgres" in kinds:
        from tests.support.postgres import PostgresServer

        postgres = PostgresServer.start()
    results: dict[str, dict[str, float]] = {}
    try:
        for kind in kinds:
            folder = args.work / kind
            folder.mkdir(exist_ok=True)
            for stale in folder.glob("enterprise*"):
                if stale.is_dir():
                    shutil.rmtree(stale)
                else:
                    stale.unlink()
            results[kind] = measure(_url(kind, folder, postgres))
            print(kind, json.dumps(results[kind]), flush=True)
    finally:
        if postgres is not None:
            postgres.stop()
    names = list(next(iter(results.values())))
    print(f"\n{'figure':<24}" + "".join(f"{k:>12}" for k in results))
    for name in names:
        print(f"{name:<24}" + "".join(f"{results[k][name]:>12.3f}" for k in results))
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
