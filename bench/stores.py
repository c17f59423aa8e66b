"""The enterprise portfolio on each kind of store: commit, open, report and Overview times.

    python -m bench.stores [--work DIR] [--postgres] [--kinds file,sqlite,postgres,s3]
                           [--concurrent-rounds 20]

- commit_seconds: each of the 8 quarterly snapshots committed (10,000 projects, 30,000
  benefits, 125,000 measurements each); median and slowest.
- open_seconds: opening the store in a fresh state of the process (connect, schema check).
- copy_seconds: a lake's first read: this process's copy of every table (store/replica.py).
- report_seconds: every metric as of one date, best of 3 (as `make bench`).
- page_cold_seconds / page_warm_seconds: the Overview's server time under AppTest, empty
  caches then cached (as `make bench`).
- after_write_seconds: the Overview's first rerun after another connection committed a
  snapshot: the new generation read (a lake appends the rows added) and every figure again.

- concurrent (PostgreSQL catalog): 3 writer processes committing small snapshots (different
  and same dates, and identical scheduled loads that are no-ops) for 20 rounds each while
  2 app processes rerun the Overview (tests/support/lake_writer.py, app_reader.py):
  commits per minute.

`--postgres` starts a throwaway PostgreSQL (tests/support/postgres.py, Debian's package)
for the `postgres` and `s3` kinds and the concurrent figure; `s3` also starts moto's S3
server in a process of its own (tests/support/s3.py), the catalog on PostgreSQL and the
data files in a bucket there. Figures go to stdout and, under "stores", into
bench/results.json (the rest of that file, `make bench`'s, is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


S3_SETTINGS = ("COCKPIT_LAKE_DATA", "COCKPIT_S3_ENDPOINT", "COCKPIT_S3_REGION",
               "COCKPIT_S3_KEY_ID", "COCKPIT_S3_SECRET")  # fmt: skip


def _url(kind: str, work: Path, postgres: Any, s3: dict[str, str] | None = None) -> str:
    for name in S3_SETTINGS:
        os.environ.pop(name, None)
    if kind == "file":
        return str(work / "enterprise.duckdb")
    if kind == "sqlite":
        return f"ducklake:sqlite:{work / 'enterprise.sqlite'}"
    name = postgres.create_database(f"enterprise_{kind}")
    if kind == "s3" and s3 is not None:
        os.environ.update(s3)
    else:
        os.environ["COCKPIT_LAKE_DATA"] = str(work / "enterprise-pg-files")
    return "ducklake:postgres:" + postgres.dsn(name, password=postgres.password)


def start_s3() -> tuple[subprocess.Popen[str], dict[str, str]]:
    """moto's S3 server in a child process, a bucket in it: (the process, the settings)."""
    from tests.support.s3 import REGION, S3Server

    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.s3"],
        cwd=HERE.parent,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    told = json.loads(proc.stdout.readline())
    server = S3Server(int(told["port"]), told["key_id"], told["secret"])
    settings = server.env(server.create_bucket())
    assert settings["COCKPIT_S3_REGION"] == REGION
    return proc, settings


def concurrent(postgres: Any, rounds: int, writers: int = 3, readers: int = 2) -> dict[str, Any]:
    """Commits per minute of `writers` processes while `readers` app processes rerun the
    Overview, on a new PostgreSQL-catalog lake."""
    import tempfile

    from tests.support.lake_checks import child_env, finish_writers, json_lines, start_writers

    folder = Path(tempfile.mkdtemp(prefix="cockpit-bench-concurrent-"))
    for name in S3_SETTINGS:
        os.environ.pop(name, None)
    os.environ["COCKPIT_LAKE_DATA"] = str(folder / "files")
    url = "ducklake:postgres:" + postgres.dsn(
        postgres.create_database("concurrent"), password=postgres.password
    )
    stop = folder / "stop"
    apps = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.app_reader", url, str(stop)],
            cwd=HERE.parent, env=child_env(), stdout=subprocess.PIPE, text=True,
        )
        for _ in range(readers)
    ]  # fmt: skip
    try:
        for app in apps:
            assert app.stdout is not None and json.loads(app.stdout.readline())["ready"]
        procs = start_writers(url, writers, rounds)
        ready = []  # from the first writer ready to commit: not the processes' start-up
        for proc in procs:
            assert proc.stdout is not None and json.loads(proc.stdout.readline())["ready"]
            ready.append(time.perf_counter())
        reports = finish_writers(procs)
        seconds = time.perf_counter() - ready[0]
    finally:
        stop.touch()
    reruns = 0
    for app in apps:
        out, _ = app.communicate(timeout=600)
        last = json_lines(out)[-1]
        assert not last["exceptions"], last["exceptions"]
        reruns += int(last["runs"])
    shutil.rmtree(folder, ignore_errors=True)
    commits = sum(1 for r in reports if not r.get("noop") and "error" not in r)
    return {
        "writers": writers,
        "readers": readers,
        "rounds": rounds,
        "commits": commits,
        "noops": sum(1 for r in reports if r.get("noop")),
        "errors": sum(1 for r in reports if "error" in r),
        "seconds": round(seconds, 1),
        "commits_per_minute": round(commits * 60 / seconds, 1),
        "reader_reruns": reruns,
    }


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
    parser.add_argument("--kinds", default="file,sqlite,postgres,s3")
    parser.add_argument(
        "--postgres", action="store_true", help="start a local PostgreSQL (and moto's S3)"
    )
    parser.add_argument("--concurrent-rounds", type=int, default=20, help="0: no concurrent figure")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    needs_postgres = {"postgres", "s3"}
    kinds = [k for k in args.kinds.split(",") if k not in needs_postgres or args.postgres]
    args.work.mkdir(parents=True, exist_ok=True)
    postgres = s3_proc = s3 = None
    if args.postgres:
        from tests.support.postgres import PostgresServer

        postgres = PostgresServer.start()
    if "s3" in kinds:
        s3_proc, s3 = start_s3()
    results: dict[str, Any] = {}
    try:
        for kind in kinds:
            folder = args.work / kind
            folder.mkdir(exist_ok=True)
            for stale in folder.glob("enterprise*"):
                if stale.is_dir():
                    shutil.rmtree(stale)
                else:
                    stale.unlink()
            results[kind] = measure(_url(kind, folder, postgres, s3))
            print(kind, json.dumps(results[kind]), flush=True)
        if postgres is not None and args.concurrent_rounds:
            results["concurrent"] = concurrent(postgres, args.concurrent_rounds)
            print("concurrent", json.dumps(results["concurrent"]), flush=True)
    finally:
        if s3_proc is not None:
            s3_proc.communicate(input="", timeout=60)
        if postgres is not None:
            postgres.stop()
    figures = [k for k in results if k != "concurrent"]
    if figures:
        print(f"\n{'figure':<24}" + "".join(f"{k:>12}" for k in figures))
        for name in results[figures[0]]:
            print(f"{name:<24}" + "".join(f"{results[k][name]:>12.3f}" for k in figures))
    existing = json.loads(args.out.read_text()) if args.out.exists() else {}
    existing["stores"] = {**results, "load_average": os.getloadavg()}
    args.out.write_text(json.dumps(existing, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
