"""Reading the store into Polars frames with the contract's columns and types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS, Table
from domain.measure import RUN_SNAPSHOT_KIND, SOURCED, TYPED
from domain.snapshot import MONEY_COLUMNS, TypicalAmounts
from store.cursor import Cursor

SNAPSHOT_SCHEMA = pl.Schema(
    {
        "snapshot_id": pl.Int64(),
        "as_of": pl.Date(),
        "kind": pl.String(),
        "state": pl.String(),
        "source": pl.String(),
        "content_hash": pl.String(),
        "created_at": pl.Datetime("us"),
        "created_by": pl.String(),
        "n_projects": pl.Int64(),
        "n_benefits": pl.Int64(),
        "n_measurements": pl.Int64(),
        "replaces": pl.Int64(),
        "currency": pl.String(),
    }
)


def _frame(cur: Cursor, sql: str, params: Sequence[object], schema: pl.Schema) -> pl.DataFrame:
    """Run a query and return exactly `schema`, also when it returns no rows."""
    result = cur.execute(sql, list(params))
    frame = result.pl()
    if frame.height == 0:
        return pl.DataFrame(schema=schema)
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def snapshots(cur: Cursor) -> pl.DataFrame:
    """Every snapshot ever committed, newest first, whatever its state."""
    cols = ", ".join(SNAPSHOT_SCHEMA.names())
    return _frame(
        cur,
        f"SELECT {cols} FROM snapshots ORDER BY as_of DESC, snapshot_id DESC",
        [],
        SNAPSHOT_SCHEMA,
    )


def active_portfolio_snapshots(cur: Cursor) -> pl.DataFrame:
    """The one active portfolio snapshot per as-of date, oldest first."""
    cols = ", ".join(SNAPSHOT_SCHEMA.names())
    return _frame(
        cur,
        f"SELECT {cols} FROM snapshots WHERE kind = 'portfolio' AND state = 'active' "
        "ORDER BY as_of, snapshot_id",
        [],
        SNAPSHOT_SCHEMA,
    )


def resolve_snapshot(cur: Cursor, as_of: dt.date | None) -> tuple[int, dt.date] | None:
    """The latest active portfolio snapshot with as_of <= the date (the newest if no date)."""
    row = cur.execute(
        "SELECT snapshot_id, as_of FROM snapshots "
        "WHERE kind = 'portfolio' AND state = 'active' AND (?::DATE IS NULL OR as_of <= ?::DATE) "
        "ORDER BY as_of DESC, snapshot_id DESC LIMIT 1",
        [as_of, as_of],
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def snapshot_currency(cur: Cursor, as_of: dt.date | None) -> str | None:
    """The currency recorded with the snapshot shown as of a date (None: not recorded)."""
    ref = resolve_snapshot(cur, as_of)
    if ref is None:
        return None
    row = cur.execute("SELECT currency FROM snapshots WHERE snapshot_id = ?", [ref[0]]).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def typical_amounts(cur: Cursor, as_of: dt.date) -> TypicalAmounts | None:
    """The median budget, forecast and actual cost of the active portfolio snapshot nearest
    to `as_of` (the latest on or before it, else the earliest after it); None without one."""
    ref = resolve_snapshot(cur, as_of) or _earliest_after(cur, as_of)
    if ref is None:
        return None
    row = cur.execute(
        "SELECT median(budget) FILTER (WHERE budget > 0), "
        "median(forecast_cost) FILTER (WHERE forecast_cost > 0), "
        "median(actual_cost) FILTER (WHERE actual_cost > 0) "
        "FROM projects WHERE snapshot_id = ?",
        [ref[0]],
    ).fetchone()
    medians = {
        name: float(value)
        for name, value in zip(MONEY_COLUMNS, row or (), strict=True)
        if value is not None
    }
    return TypicalAmounts(ref[1], medians) if medians else None


def _earliest_after(cur: Cursor, as_of: dt.date) -> tuple[int, dt.date] | None:
    row = cur.execute(
        "SELECT snapshot_id, as_of FROM snapshots "
        "WHERE kind = 'portfolio' AND state = 'active' AND as_of > ? "
        "ORDER BY as_of, snapshot_id DESC LIMIT 1",
        [as_of],
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def _table_rows(cur: Cursor, table: Table, snapshot_ids: Sequence[int]) -> pl.DataFrame:
    schema = pl.Schema({"snapshot_id": pl.Int64(), **dict(table.schema)})
    cols = ", ".join(schema.names())
    key = ", ".join(table.key)
    return _frame(
        cur,
        f"SELECT {cols} FROM {table.name} WHERE snapshot_id IN (SELECT unnest(?::BIGINT[])) "
        f"ORDER BY snapshot_id, {key}",
        [list(snapshot_ids)],
        schema,
    )


def projects(cur: Cursor, snapshot_ids: Sequence[int]) -> pl.DataFrame:
    """Projects of the given snapshots, with their snapshot_id."""
    return _table_rows(cur, PROJECTS, snapshot_ids)


def benefits(cur: Cursor, snapshot_ids: Sequence[int]) -> pl.DataFrame:
    """Benefits of the given snapshots, with their snapshot_id."""
    return _table_rows(cur, BENEFITS, snapshot_ids)


SERIES_SCHEMA = pl.Schema({**dict(MEASUREMENTS.schema), "evidence": pl.String()})


def measurements(
    cur: Cursor, upto: dt.date | None = None, with_source: bool = True
) -> pl.DataFrame:
    """The measurement series: one value per benefit and date, the latest upload winning,
    with its `evidence`: `sourced` when a measurement run wrote it, else `typed`.

    Measurements of deleted snapshots do not count. The metrics do not need `source`;
    leaving it out makes a million-row read markedly cheaper.
    """
    source = "arg_max(m.source, m.snapshot_id)" if with_source else "NULL::VARCHAR"
    return _frame(
        cur,
        f"""
        SELECT m.benefit_id, m.measured_at, arg_max(m.value, m.snapshot_id) AS value,
               {source} AS source,
               CASE WHEN max(m.snapshot_id) IN (
                   SELECT snapshot_id FROM snapshots WHERE kind = ?) THEN ? ELSE ? END
               AS evidence
        FROM measurements m
        WHERE m.snapshot_id IN (SELECT snapshot_id FROM snapshots WHERE state <> 'deleted')
          AND (?::DATE IS NULL OR m.measured_at <= ?::DATE)
        GROUP BY m.benefit_id, m.measured_at
        """,
        [RUN_SNAPSHOT_KIND, SOURCED, TYPED, upto, upto],
        SERIES_SCHEMA,
    )


def settings_values(cur: Cursor) -> dict[str, float]:
    return {str(n): float(v) for n, v in cur.execute("SELECT name, value FROM settings").fetchall()}


AUDIT_SCHEMA = pl.Schema(
    {
        "changed_at": pl.Datetime("us"),
        "actor": pl.String(),
        "action": pl.String(),
        "target": pl.String(),
        "detail": pl.String(),
    }
)


def audit_log(cur: Cursor, limit: int | None = None) -> pl.DataFrame:
    """Changes, newest first."""
    return _frame(
        cur,
        "SELECT changed_at, actor, action, target, detail FROM audit_log "
        "ORDER BY changed_at DESC, rowid DESC "
        "LIMIT coalesce(?, 9223372036854775807)",
        [limit],
        AUDIT_SCHEMA,
    )


def _ids(cur: Cursor, sql: str) -> pl.Series:
    """One text column as a Series; fetched as rows (no Arrow round trip for a few ids)."""
    return pl.Series("benefit_id", [r[0] for r in cur.execute(sql).fetchall()], pl.String)


def known_benefit_ids(cur: Cursor) -> pl.Series:
    """Benefit ids of every snapshot that is not deleted (measurements may refer to them)."""
    return _ids(
        cur,
        "SELECT DISTINCT b.benefit_id FROM benefits b JOIN snapshots s USING (snapshot_id) "
        "WHERE s.state <> 'deleted'",
    )


def measured_benefit_ids(cur: Cursor) -> pl.Series:
    """Benefit ids that already have at least one measurement."""
    return _ids(
        cur,
        "SELECT DISTINCT m.benefit_id FROM measurements m JOIN snapshots s USING (snapshot_id) "
        "WHERE s.state <> 'deleted'",
    )
