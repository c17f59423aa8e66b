"""A writer process for the concurrency tests: commits small snapshots to a store, one per
round, and prints what each commit did as one JSON line. Its snapshots are made from
(writer, round) alone, so a test can load exactly the same ones again elsewhere.

    python -m tests.support.lake_writer URL --writer 1 --rounds 20
    python -m tests.support.lake_writer URL --writer 1 --forever   (until killed)

Round r of writer w commits, in turn:
- r % 4 == 0: the shared load: the same content for the same date from every writer
  (a scheduled load run twice): one commit, the others are no-ops;
- r % 4 == 2: a date every writer commits in this round, with content of its own
  (each later commit supersedes the earlier one);
- odd r: a date of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys

from domain.snapshot import SnapshotFrames
from store import Store, StoreError, open_store
from tests.factories import benefit, measurement, project, snapshot

BASE = dt.date(2025, 1, 1)


def plan(writer: int, round_: int) -> tuple[dt.date, str, int]:
    """(as-of date, content key, seed) of a round: the key names the content. Dates are a
    few days apart, within about a year: few quarters for the app to evaluate."""
    if round_ % 4 == 0:
        return BASE + dt.timedelta(days=round_), f"shared-r{round_}", round_
    if round_ % 4 == 2:
        return BASE + dt.timedelta(days=round_), f"w{writer}-r{round_}", 100 * writer + round_
    day = 100 + 80 * writer + round_
    return BASE + dt.timedelta(days=day), f"w{writer}-r{round_}", 100 * writer + round_


def frames_for(seed: int, as_of: dt.date, size: int = 4) -> SnapshotFrames:
    """A small portfolio whose figures depend on the seed."""
    projects = [
        project(
            f"P{i}",
            portfolio="Core" if i % 2 else "Growth",
            objective=f"Objective {i % 3}",
            baseline_end=as_of + dt.timedelta(days=30 * (i - 2)),
            forecast_end=as_of + dt.timedelta(days=30 * (i - 2) + seed % 45),
            budget=1_000_000.0 + 10_000 * seed + i,
            forecast_cost=1_000_000.0 + 12_000 * seed,
            rag="green" if (seed + i) % 3 else "red",
        )
        for i in range(size)
    ]
    benefits = [
        benefit(
            f"B{i}",
            f"P{i}",
            baseline=0.0,
            target=100.0,
            start_date=as_of - dt.timedelta(days=365),
            target_date=as_of + dt.timedelta(days=180),
            planned_value=50_000.0 * (i + 1),
        )
        for i in range(size)
    ]
    measurements = [
        measurement(f"B{i}", as_of - dt.timedelta(days=10), float((seed * 7 + i * 13) % 100))
        for i in range(size)
    ]
    return snapshot(projects, benefits, measurements)


def content_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def commit_round(store: Store, writer: int, round_: int, size: int = 4) -> dict[str, object]:
    as_of, key, seed = plan(writer, round_)
    result = store.commit_snapshot(
        frames_for(seed, as_of, size), as_of=as_of, content_hash=content_hash(key), source=key
    )
    return {
        "writer": writer,
        "round": round_,
        "key": key,
        "snapshot_id": result.snapshot_id,
        "as_of": as_of.isoformat(),
        "noop": result.noop,
        "superseded": result.superseded,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--writer", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--forever", action="store_true")
    parser.add_argument("--size", type=int, default=4, help="projects per snapshot")
    args = parser.parse_args(argv)
    store = open_store(args.url)
    print(json.dumps({"ready": True}), flush=True)
    round_ = 0
    while args.forever or round_ < args.rounds:
        try:
            line = commit_round(store, args.writer, round_, args.size)
        except StoreError as exc:
            line = {"writer": args.writer, "round": round_, "error": str(exc)}
        print(json.dumps(line), flush=True)
        round_ += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
