"""A lake's tables as of one catalog snapshot, copied into this process's memory.

Reading a DuckLake table asks its catalog (PostgreSQL or SQLite) for the table's files,
statistics and inlined rows: several catalog round trips per query, and a page asks dozens
of queries. So a process reads the lake once per generation (one transaction that copies
every table, a fixed number of round trips whatever the page or the data), and every read
of that generation is answered from memory. The copy's generation is the catalog snapshot
it was read at, so a cache keyed by it holds exactly the data of that snapshot.

Writes never go through the copy: they run on the lake itself, and leave the copy stale,
to be read again before the next read.
"""

from __future__ import annotations

import contextlib
import threading

import duckdb

REPLICA_CATALOG = "memory"  # the in-memory database of the lake's DuckDB connection
# Read back in the order rows were written: the audit log's order is its insertion order.
ORDERED_BY_ROWID = ("audit_log",)
# DuckLake's change-set keys that name tables (by id) whose rows changed; any other key
# (a table created, altered or dropped) makes the next copy a whole one.
DATA_CHANGES = frozenset(
    {
        "tables_inserted_into",
        "tables_deleted_from",
        "inlined_insert",
        "inlined_delete",
        "flushed_inlined",
        "merge_adjacent",
    }
)
INSERTS = frozenset({"tables_inserted_into", "inlined_insert"})


class Replica:
    """The copy, its generation, and whether a write since made it stale."""

    def __init__(self, lake_alias: str) -> None:
        self._lake = lake_alias
        self._lock = threading.Lock()
        self.generation: int | None = None
        self._writes = 0  # own writes committed
        self._copied_writes = -1  # own writes the copy includes

    def mark_stale(self) -> None:
        """This process committed a write: the copy must be read again."""
        self._writes += 1

    def needs_refresh(self, latest: int | None = None) -> bool:
        """Stale after an own write, or when the catalog's newest snapshot is `latest`."""
        return (
            self._copied_writes != self._writes
            or self.generation is None
            or (latest is not None and latest != self.generation)
        )

    def refresh(self, con: duckdb.DuckDBPyConnection, latest: int | None = None) -> int:
        """Copy every table of the lake as of its newest snapshot, in one transaction;
        returns that snapshot's id. Readers in other threads keep seeing the previous copy
        until this one commits."""
        with self._lock:
            if not self.needs_refresh(latest):
                return int(self.generation or 0)
            writes = self._writes
            cur = con.cursor()
            try:
                cur.execute("SET enable_progress_bar = false")
                cur.execute("BEGIN TRANSACTION")
                row = cur.execute(f"SELECT id FROM {self._lake}.current_snapshot()").fetchone()
                snapshot = int(row[0]) if row else 0
                copies, appends = self._changes(cur, snapshot)
                for table in copies:
                    # Names come from the lake's own catalog.
                    order = " ORDER BY rowid" if table in ORDERED_BY_ROWID else ""
                    cur.execute(
                        f'CREATE OR REPLACE TABLE {REPLICA_CATALOG}.main."{table}" AS '
                        f'SELECT * FROM {self._lake}.main."{table}"{order}'
                    )
                for table in appends:
                    cur.execute(
                        f'INSERT INTO {REPLICA_CATALOG}.main."{table}" SELECT * FROM '
                        "ducklake_table_insertions(?, 'main', ?, ?, ?)",
                        [self._lake, table, (self.generation or 0) + 1, snapshot],
                    )
                cur.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise
            finally:
                cur.close()
            self.generation = snapshot
            self._copied_writes = writes
            return snapshot

    def _changes(
        self, cur: duckdb.DuckDBPyConnection, snapshot: int
    ) -> tuple[list[str], list[str]]:
        """(tables to copy whole, tables to append the rows inserted since the copy's
        snapshot to). Every table for a first copy or after a schema change; a table rows
        were only added to (snapshots' projects, benefits and measurements, the audit log)
        gets just those rows; any other changed table is copied again."""
        names = dict(
            cur.execute(
                f"SELECT table_id, table_name FROM ducklake_table_info('{self._lake}')"
            ).fetchall()
        )
        everything = (sorted(names.values()), [])
        if self.generation is None:
            return everything
        kinds: dict[str, set[str]] = {}
        since = cur.execute(
            f"SELECT snapshot_id, changes FROM {self._lake}.snapshots() "
            "WHERE snapshot_id > ? AND snapshot_id <= ?",
            [self.generation, snapshot],
        ).fetchall()
        if sorted(r[0] for r in since) != list(range(self.generation + 1, snapshot + 1)):
            return everything  # some were expired (maintenance): what changed is not known
        for _, changes in since:
            for key, values in (changes or {}).items():
                if key not in DATA_CHANGES:
                    return everything  # tables created, altered or dropped
                for value in values:
                    name = names.get(int(value)) if str(value).isdigit() else None
                    if name is None:
                        return everything
                    kinds.setdefault(name, set()).add(key)
        appends = sorted(t for t, keys in kinds.items() if keys <= INSERTS)
        return sorted(set(kinds) - set(appends)), appends
