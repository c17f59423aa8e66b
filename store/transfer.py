"""Copy a whole store into an empty one, in one write: the first release's DuckDB file into
the default DuckLake (store/legacy.py), and any store into another (a migrate command).

Rows keep their ids and their order (the audit log is read in insertion order); the
target's id counters continue above the copied ids.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from store.audit import record
from store.core import Database
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
) -> dict[str, int]:
    """Write `tables` into the empty `target` in one transaction, with an audit entry
    (`migrate`, detail `note`). Raises TargetNotEmptyError when it holds data."""

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
            "UPDATE write_turn SET "
            "last_snapshot_id = (SELECT coalesce(max(snapshot_id), 0) FROM snapshots), "
            "last_sync_id = (SELECT coalesce(max(sync_id), 0) FROM jira_sync_runs), "
            "last_run_id = (SELECT coalesce(max(run_id), 0) FROM measure_runs)"
        )
        record(cur, actor, "migrate", "store", {**note, **counts})
        return counts

    return target.write(copy)
