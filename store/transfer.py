"""Copy a whole store into an empty one, in one write: the first release's DuckDB file into
the default DuckLake (store/legacy.py), and any store into another (`migrate-store`).

Rows keep their ids and their order (the audit log is read in insertion order); the
target's id counters continue where the source's were (above the copied ids).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from store.audit import record
from store.core import ID_COLUMNS, Database, Unchanged
from store.cursor import Cursor
from store.errors import StoreError

# Every table a store holds, in an order that keeps references valid.
TABLES = (
    "snapshots",
    "projects",
    "benefits",
    "measurements",
    "settings",
    "audit_log",
    "jira_sync_runs",
    "jira_issues",
    "jira_status_changes",
    "mappings",
    "preferences",
    "measurement_sources",
    "measure_runs",
    "measure_results",
)


class TargetNotEmptyError(StoreError):
    """The target store already holds data: nothing is copied over it."""


def read_tables(source: duckdb.DuckDBPyConnection | Cursor) -> dict[str, pa.Table]:
    """Every table of TABLES the source has (an older store may lack the newer ones), with
    its rows in insertion order."""
    present = {
        r[0]
        for r in source.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_catalog = current_database()"
        ).fetchall()
    }
    raw = source.raw if isinstance(source, Cursor) else source
    return {
        name: raw.execute(f"SELECT * FROM {name} ORDER BY rowid").arrow().read_all()
        for name in TABLES
        if name in present
    }


def is_empty(cur: Cursor) -> bool:
    """No row in any table the user's actions fill."""
    for name in TABLES:
        row = cur.execute(f"SELECT count(*) FROM {name}").fetchone()
        if row and row[0]:
            return False
    return True


def copy_into(
    target: Database,
    tables: dict[str, pa.Table],
    *,
    actor: str | None,
    note: dict[str, object],
    counters: dict[str, int] | None = None,
) -> dict[str, int]:
    """Write `tables` into the empty `target` in one transaction, with an audit entry
    (`migrate`, detail `note`); its id counters go on from `counters` (the source's) or
    the largest ids copied. Raises TargetNotEmptyError when it holds data."""
    last = counters or {}

    def copy(cur: Cursor) -> dict[str, int]:
        if not is_empty(cur):
            raise TargetNotEmptyError(f"The store {target.name} already holds data.")
        counts: dict[str, int] = {}
        for name, rows in tables.items():
            if rows.num_rows == 0:
                continue
            view = f"incoming_{name}"
            cur.register(view, rows)
            try:
                # Table names come from TABLES, never from input.
                cur.execute(f"INSERT INTO {name} BY NAME SELECT * FROM {view}")
            finally:
                cur.unregister(view)
            counts[name] = rows.num_rows
        cur.execute(
            "UPDATE write_turn SET last_snapshot_id = "
            "greatest(?, (SELECT coalesce(max(snapshot_id), 0) FROM snapshots)), "
            "last_sync_id = greatest(?, (SELECT coalesce(max(sync_id), 0) FROM jira_sync_runs)), "
            "last_run_id = greatest(?, (SELECT coalesce(max(run_id), 0) FROM measure_runs))",
            [last.get(column, 0) for column in ID_COLUMNS],
        )
        record(cur, actor, "migrate", "store", {**note, **counts})
        return counts

    return target.write(copy)


def migrate_store(source: Database, target: Database, *, actor: str | None) -> dict[str, int]:
    """Copy every row of `source` into the empty `target` (one transaction on each side:
    what is copied is one consistent state of the source, which is not changed)."""

    def read(cur: Cursor) -> Unchanged[tuple[dict[str, pa.Table], dict[str, int]]]:
        row = cur.execute(f"SELECT {', '.join(ID_COLUMNS)} FROM write_turn").fetchone()
        counters = dict(zip(ID_COLUMNS, (int(v) for v in row), strict=True)) if row else {}
        return Unchanged((read_tables(cur), counters))

    tables, counters = source.write(read, claim=False)
    note = {"from": source.name, "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()}
    return copy_into(target, tables, actor=actor, note=note, counters=counters)
