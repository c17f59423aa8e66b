"""How long a `cockpit measure` run takes with 1,000 measurement sources on the enterprise
portfolio: every source an sql query on one warehouse connection (a SQLite file of
monthly KPI values, 24 months for each of the 1,000 benefits), measured and committed.

Run: python -m bench.measure [--work bench/work] [--sources 1000]
(figures go into bench/results.json under "measure"; `make bench` runs it too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent
QUERY = (
    "SELECT value FROM kpi_monthly WHERE benefit_id = '{benefit}' "
    "AND month_end <= CAST(:as_of AS VARCHAR) ORDER BY month_end DESC LIMIT 1"
)


def _warehouse(path: Path, benefit_ids: list[str], as_of: dt.date) -> None:
    months = pl.date_range(as_of - dt.timedelta(days=730), as_of, "1mo", eager=True)
    rows = (
        pl.DataFrame({"benefit_id": benefit_ids})
        .join(pl.DataFrame({"month_end": months}), how="cross")
        .with_columns(
            pl.col("month_end").dt.strftime("%Y-%m-%d"),
            (pl.int_range(pl.len()) % 97 / 10).alias("value"),
        )
    )
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kpi_monthly (benefit_id TEXT, month_end TEXT, value REAL)")
        db.executemany("INSERT INTO kpi_monthly VALUES (?, ?, ?)", rows.rows())
        db.execute("CREATE INDEX kpi_by_benefit ON kpi_monthly (benefit_id, month_end)")
    db.close()


def run(work: Path, n_sources: int = 1000, enterprise: Path | None = None) -> dict[str, Any]:
    """Figures of one measurement run over `n_sources` sources (on a copy of the enterprise
    store, which is built first when missing)."""
    from bench.report import build_enterprise_store
    from connectors.ingest import ingest
    from connectors.measure.connections import connections_from
    from connectors.measure.run import run_due
    from connectors.sheets.read import SourceFile
    from store import close_all, open_store

    work.mkdir(parents=True, exist_ok=True)
    source = enterprise or work / "enterprise.duckdb"
    build_enterprise_store(source)
    close_all()
    db = work / "measure.duckdb"
    shutil.copy(source, db)
    store = open_store(str(db))
    snapshot_id, as_of = store.resolve_snapshot()  # type: ignore[misc]
    benefits = store.benefits(snapshot_id)["benefit_id"].head(n_sources).to_list()
    warehouse = work / "measure-warehouse.sqlite"
    _warehouse(warehouse, benefits, as_of)
    sources = pl.DataFrame(
        {
            "benefit_id": benefits,
            "kind": "sql",
            "connection": "warehouse",
            "query": [QUERY.format(benefit=b) for b in benefits],
            "schedule": "weekly",
        }
    )
    upload_started = time.perf_counter()
    outcome = ingest(
        store,
        [SourceFile("measurement_sources.csv", sources.write_csv().encode())],
        as_of,
        actor="bench",
    )
    upload = time.perf_counter() - upload_started
    assert outcome.commit is not None, [p.line() for p in outcome.result.errors[:5]]
    connections = connections_from({"warehouse": {"url": f"sqlite://{warehouse}"}}, env={})
    started = time.perf_counter()
    result, commit = run_due(store, connections, as_of=as_of, actor="bench")
    seconds = time.perf_counter() - started
    assert commit is not None and commit.n_failed == 0, result.results["error"].drop_nulls()[:3]
    measure_part = float(result.results["seconds"].sum())
    close_all()
    return {
        "sources": commit.n_sources,
        "values": commit.n_values,
        "seconds": round(seconds, 3),
        "per_source_ms": round(1000 * seconds / commit.n_sources, 2),
        "queries_seconds": round(measure_part, 3),
        "upload_seconds": round(upload, 3),
        "connection": "sqlite (one warehouse file, 24 months per benefit)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    print("… building or reusing the enterprise store, then measuring", file=sys.stderr)
    figures = run(args.work, args.sources)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results["measure"] = figures
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"measure: {figures['sources']:,} sources in {figures['seconds']:.2f} s "
        f"({figures['per_source_ms']:.1f} ms a source; "
        f"the queries {figures['queries_seconds']:.2f} s); "
        f"their upload {figures['upload_seconds']:.2f} s; in {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
