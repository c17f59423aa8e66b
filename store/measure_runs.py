"""Measurement runs: each run's values and where they came from, in one transaction.

A run's values are measurements like any other, committed in a snapshot of kind `measure`
(so the latest upload of a benefit and date wins, across typed and sourced values alike,
and deleting that snapshot takes the run's values back). What each source did, value or
error, is kept per run in `measure_results`.
"""

from __future__ import annotations

import hashlib

import polars as pl

from domain.contract import MEASUREMENTS
from domain.measure import RESULT_SCHEMA, RUN_SNAPSHOT_KIND, MeasureRun, RunCommit
from store.audit import record, utc_now
from store.core import Database, next_id
from store.cursor import Cursor
from store.reads import _frame
from store.snapshots import insert_rows, record_replaced_measurements

GONE = "the benefit is no longer in the store (its snapshot was deleted); no value was written"


def _known(cur: Cursor, results: pl.DataFrame) -> pl.DataFrame:
    """The results, with those of benefits deleted since the run began turned into errors
    (read inside the run's transaction)."""
    if results.height == 0:
        return results
    cur.register("run_benefits", results.select(pl.col("benefit_id").unique()))
    try:
        known = cur.execute(
            "SELECT DISTINCT b.benefit_id FROM benefits b JOIN snapshots s USING (snapshot_id) "
            "WHERE s.state <> 'deleted' AND b.benefit_id IN (SELECT benefit_id FROM run_benefits)"
        ).fetchall()
    finally:
        cur.unregister("run_benefits")
    ids = pl.Series("benefit_id", [r[0] for r in known], pl.String)
    gone = ~pl.col("benefit_id").is_in(ids.implode())
    return results.with_columns(
        pl.when(gone).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(gone & pl.col("error").is_null())
        .then(pl.lit(GONE))
        .otherwise("error")
        .alias("error"),
    )


def commit_run(db: Database, run: MeasureRun) -> RunCommit:
    """Record the run, its results and (when any source gave one) its values as a snapshot
    of kind `measure`, all in one transaction, audited as `measure`."""

    def commit(cur: Cursor) -> RunCommit:
        now = utc_now()
        results = _known(cur, run.results)
        run_id = next_id(cur, "last_run_id")
        values = results.filter(pl.col("error").is_null())
        snapshot_id = None
        replaced = 0
        if values.height:
            snapshot_id = next_id(cur, "last_snapshot_id")
            measurements = values.select(
                "benefit_id",
                "measured_at",
                "value",
                (pl.col("kind") + pl.lit(": ") + pl.col("connection").fill_null("jira")).alias(
                    "source"
                ),
            )
            replaced = record_replaced_measurements(cur, measurements, run.actor, now)
            cur.execute(
                "INSERT INTO snapshots (snapshot_id, as_of, kind, state, source, content_hash, "
                "created_at, created_by, n_projects, n_benefits, n_measurements, replaces, "
                "currency) VALUES (?, ?, ?, 'active', ?, ?, ?, ?, 0, 0, ?, NULL, NULL)",
                [
                    snapshot_id,
                    run.as_of,
                    RUN_SNAPSHOT_KIND,
                    f"measure run #{run_id}",
                    hashlib.sha256(f"measure run #{run_id}".encode()).hexdigest(),
                    now,
                    run.actor,
                    measurements.height,
                ],
            )
            insert_rows(cur, MEASUREMENTS, snapshot_id, measurements)
        n_failed = results.height - values.height
        cur.execute(
            "INSERT INTO measure_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                run.as_of,
                run.started_at,
                run.finished_at,
                run.actor,
                snapshot_id,
                results.height,
                values.height,
                n_failed,
            ],
        )
        if results.height:
            cur.register("incoming_results", results.select(RESULT_SCHEMA.names()))
            try:
                columns = ", ".join(RESULT_SCHEMA.names())
                cur.execute(
                    f"INSERT INTO measure_results (run_id, {columns}) "
                    f"SELECT ?, {columns} FROM incoming_results",
                    [run_id],
                )
            finally:
                cur.unregister("incoming_results")
        record(
            cur,
            run.actor,
            "measure",
            f"run #{run_id}",
            {
                "as_of": run.as_of.isoformat(),
                "sources": results.height,
                "values": values.height,
                "failed": n_failed,
                "snapshot": snapshot_id,
            },
            at=now,
        )
        return RunCommit(
            run_id, run.as_of, snapshot_id, results.height, values.height, n_failed, replaced
        )

    return db.write(commit)


RUN_SCHEMA = pl.Schema(
    {
        "run_id": pl.Int64(),
        "as_of": pl.Date(),
        "started_at": pl.Datetime("us"),
        "finished_at": pl.Datetime("us"),
        "actor": pl.String(),
        "snapshot_id": pl.Int64(),
        "n_sources": pl.Int64(),
        "n_values": pl.Int64(),
        "n_failed": pl.Int64(),
    }
)
HISTORY_SCHEMA = pl.Schema({"run_id": pl.Int64(), **dict(RESULT_SCHEMA)})
PROVENANCE_SCHEMA = pl.Schema(
    {
        "benefit_id": pl.String(),
        "measured_at": pl.Date(),
        "kind": pl.String(),
        "connection": pl.String(),
        "query_hash": pl.String(),
        "ran_at": pl.Datetime("us"),
        "raw_result": pl.String(),
        "run_id": pl.Int64(),
    }
)


def runs(cur: Cursor, limit: int | None = None) -> pl.DataFrame:
    """Measurement runs, newest first."""
    return _frame(
        cur,
        f"SELECT {', '.join(RUN_SCHEMA.names())} FROM measure_runs ORDER BY run_id DESC "
        "LIMIT coalesce(?, 9223372036854775807)",
        [limit],
        RUN_SCHEMA,
    )


def results(cur: Cursor, benefit_ids: list[str] | None = None) -> pl.DataFrame:
    """Every source result (of every run, or of these benefits' sources), newest first."""
    columns = ", ".join(HISTORY_SCHEMA.names())
    return _frame(
        cur,
        f"SELECT {columns} FROM measure_results "
        "WHERE ?::VARCHAR[] IS NULL OR benefit_id IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY run_id DESC, benefit_id",
        [benefit_ids, benefit_ids],
        HISTORY_SCHEMA,
    )


def provenance(cur: Cursor) -> pl.DataFrame:
    """Where each sourced measurement in force came from: per benefit and date, the kind,
    connection, query hash, when it ran and the raw result (typed ones have no row)."""
    columns = ", ".join(f"r.{c}" for c in PROVENANCE_SCHEMA.names() if c != "run_id")
    return _frame(
        cur,
        f"""
        WITH winners AS (
            SELECT benefit_id, measured_at, max(snapshot_id) AS snapshot_id
            FROM measurements
            WHERE snapshot_id IN (SELECT snapshot_id FROM snapshots WHERE state <> 'deleted')
            GROUP BY benefit_id, measured_at)
        SELECT {columns}, r.run_id
        FROM winners w
        JOIN measure_runs u ON u.snapshot_id = w.snapshot_id
        JOIN measure_results r ON r.run_id = u.run_id AND r.benefit_id = w.benefit_id
        ORDER BY r.benefit_id, r.measured_at
        """,
        [],
        PROVENANCE_SCHEMA,
    )
