"""What the store tests share: writer processes, what concurrent writers must leave, and
every figure of the report per date, compared across stores.

Floats are compared to 12 significant digits: DuckDB sums in parallel, so a sum over
hundreds of rows read in another order (from another store, or the same one after a
compaction) may differ in its last binary digits."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl

from metrics.evaluate import evaluate
from metrics.report import build_report
from store import Store, open_store
from tests.support.lake_writer import content_hash, frames_for, plan

ROOT = Path(__file__).resolve().parent.parent.parent
D = dt.date


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def writer_process(url: str, writer: int, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.lake_writer", url, "--writer", str(writer), *args],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def json_lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def start_writers(url: str, writers: int, rounds: int) -> list[subprocess.Popen[str]]:
    """Writer processes (tests/support/lake_writer.py), committing at once."""
    return [writer_process(url, w, "--rounds", str(rounds)) for w in range(1, writers + 1)]


def finish_writers(procs: list[subprocess.Popen[str]]) -> list[dict[str, object]]:
    """Wait for the writers; what each round of each did."""
    reports: list[dict[str, object]] = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "Traceback" not in err, err
        reports += [line for line in json_lines(out) if "round" in line]
    return reports


def check_consistent(store: Store, reports: list[dict[str, object]]) -> pl.DataFrame:
    """What concurrent writers must leave: every commit present exactly once under an id
    of its own, one active snapshot per date, each shared load committed once."""
    errors = [r for r in reports if "error" in r]
    assert not errors, errors
    snapshots = store.snapshots()
    ids = snapshots.get_column("snapshot_id")
    assert ids.n_unique() == snapshots.height, "two snapshots share an id"
    committed = [r for r in reports if not r["noop"]]
    assert sorted(r["snapshot_id"] for r in committed) == sorted(ids.to_list())
    assert sorted(ids.to_list()) == list(range(1, snapshots.height + 1))
    active = snapshots.filter(pl.col("state") == "active")
    assert active.get_column("as_of").n_unique() == active.height, "a date with two actives"
    assert set(active.get_column("as_of").to_list()) == {
        D.fromisoformat(str(r["as_of"])) for r in reports
    }
    shared = snapshots.filter(pl.col("source").str.starts_with("shared-"))
    assert shared.get_column("source").n_unique() == shared.height, "a shared load twice"
    for report in reports:  # a no-op names the snapshot that holds the same content
        if report["noop"]:
            row = snapshots.filter(pl.col("snapshot_id") == report["snapshot_id"])
            assert row.get_column("source").to_list() == [report["key"]]
    uploads = store.audit_log().filter(pl.col("action") == "upload")
    assert uploads.height == snapshots.height
    return snapshots


def assert_same_as_loaded_one_by_one(store: Store, snapshots: pl.DataFrame, path: Path) -> None:
    """The same snapshots committed one after the other, in id order, into a DuckDB file:
    the same ids, states and figures."""
    replay = open_store(str(path))
    for row in snapshots.sort("snapshot_id").iter_rows(named=True):
        key = str(row["source"])
        writer = int(key.split("-")[0][1:]) if key.startswith("w") else 1
        round_ = int(key.split("-r")[1])
        as_of, planned_key, seed = plan(writer, round_)
        assert planned_key == key and as_of == row["as_of"]
        result = replay.commit_snapshot(
            frames_for(seed, as_of), as_of=as_of, content_hash=content_hash(key), source=key
        )
        assert result.snapshot_id == row["snapshot_id"]
    columns = ["snapshot_id", "as_of", "state", "source", "content_hash", "replaces"]
    assert (
        replay.snapshots()
        .select(columns)
        .sort("snapshot_id")
        .equals(snapshots.select(columns).sort("snapshot_id"))
    )
    assert figures(replay) == figures(store)


def run_writers(url: str, writers: int, rounds: int) -> list[dict[str, object]]:
    return finish_writers(start_writers(url, writers, rounds))


def figures(store: Store) -> dict[str, object]:
    """The whole report as of each active portfolio snapshot's date."""
    out: dict[str, object] = {}
    for as_of in store.portfolio_snapshots().get_column("as_of").to_list():
        portfolio = store.portfolio_input(as_of)
        assert portfolio is not None
        out[as_of.isoformat()] = _rounded(
            build_report(evaluate(portfolio, store.settings()), portfolio.snapshot_as_of)
        )
    return out


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value
