"""Keeping a lake small: DuckLake's own maintenance, run as a writer.

Every write adds a DuckLake snapshot (the `write_turn` row alone changes each time), and
its Parquet files or inlined catalog rows, so a lake that is never maintained keeps
growing in files and catalog rows. `maintain()` runs, each step in a transaction of its own:

1. expire: DuckLake snapshots (its time travel, not the cockpit's snapshots) older than the
   window are dropped, with the old versions of inlined rows, and their files scheduled
   for deletion;
2. merge: small adjacent files of a table become one, and files mostly deleted are
   rewritten (compaction);
3. cleanup: files scheduled for deletion before the window are deleted from storage, and
   files no snapshot knows (left by a writer killed before its commit) once a day old.

DuckLake's flush of inlined rows into Parquet is left out: run beside a writer on a SQLite
catalog, it made that writer's own transaction lose sight of the `write_turn` row it had
just updated (test_maintain_beside_running_writers_loses_nothing found it).

DuckLake refuses a transaction that both compacts and changes rows, so these steps cannot
take the `write_turn` row. They take their turn like any writer otherwise: the writers'
queue on PostgreSQL, and DuckLake's conflict detection with the retries of
`Database.write` everywhere. Readers are safe as long as no read lasts longer than the
window: a file is deleted only once it has been out of use for that long.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from store.audit import record
from store.connection import LAKE_ALIAS
from store.core import Database, Unchanged
from store.cursor import Cursor

DEFAULT_KEEP = dt.timedelta(days=7)
# Files no snapshot references may belong to a write still in progress: never younger.
ORPHAN_MIN_AGE = dt.timedelta(days=1)
METADATA = f"__ducklake_metadata_{LAKE_ALIAS}"


@dataclass(frozen=True)
class LakeCounts:
    """What a lake holds: files in use, files referenced at all (with the history kept),
    files waiting for deletion, DuckLake snapshots."""

    files_in_use: int
    files_referenced: int
    files_waiting: int
    snapshots: int


@dataclass(frozen=True)
class MaintenanceResult:
    before: LakeCounts
    after: LakeCounts
    keep: dt.timedelta
    expired: int
    deleted: int

    def lines(self, name: str) -> list[str]:
        b, a = self.before, self.after
        return [
            f"Maintained {name}; DuckLake history kept: {_days(self.keep)}.",
            f"  data files in use:         {b.files_in_use:>7,} -> {a.files_in_use:,}",
            f"  files with the history:    {b.files_referenced:>7,} -> {a.files_referenced:,}",
            f"  DuckLake snapshots:        {b.snapshots:>7,} -> {a.snapshots:,} "
            f"({self.expired:,} expired)",
            f"  files deleted from storage: {self.deleted:,} "
            f"({a.files_waiting:,} still waiting for the window to pass)",
        ]


def _days(keep: dt.timedelta) -> str:
    days = keep.total_seconds() / 86_400
    return f"{days:g} day{'s' if days != 1 else ''}"


def counts(cur: Cursor) -> LakeCounts:
    row = cur.execute(
        f"SELECT (SELECT count(*) FROM {METADATA}.ducklake_data_file "
        "         WHERE end_snapshot IS NULL) "
        f"     + (SELECT count(*) FROM {METADATA}.ducklake_delete_file "
        "         WHERE end_snapshot IS NULL), "
        f"       (SELECT count(*) FROM {METADATA}.ducklake_data_file) "
        f"     + (SELECT count(*) FROM {METADATA}.ducklake_delete_file), "
        f"       (SELECT count(*) FROM {METADATA}.ducklake_files_scheduled_for_deletion), "
        f"       (SELECT count(*) FROM {LAKE_ALIAS}.snapshots())"
    ).fetchone()
    assert row is not None
    return LakeCounts(*(int(v) for v in row))


def maintain(
    db: Database, keep: dt.timedelta = DEFAULT_KEEP, actor: str | None = None
) -> MaintenanceResult:
    """Expire, merge and clean up the lake `db` (see the module docstring)."""
    if not db.location.is_lake:
        raise ValueError("maintain() is for DuckLake stores")
    seconds = keep.total_seconds()
    orphan_seconds = max(seconds, ORPHAN_MIN_AGE.total_seconds())

    def read(cur: Cursor) -> Unchanged[LakeCounts]:
        return Unchanged(counts(cur))

    def scalar(sql: str, *parameters: object) -> int:
        def step(cur: Cursor) -> int:
            row = cur.execute(sql, list(parameters)).fetchone()
            return int(row[0]) if row and row[0] is not None else 0

        return db.write(step, claim=False)

    def call(sql: str) -> None:
        db.write(lambda cur: cur.execute(sql), claim=False)

    before = db.write(read, claim=False)
    expired = scalar(
        f"SELECT count(*) FROM ducklake_expire_snapshots('{LAKE_ALIAS}', "
        "older_than => now() - to_seconds(?::DOUBLE))",
        seconds,
    )
    call(f"CALL ducklake_merge_adjacent_files('{LAKE_ALIAS}')")
    call(f"CALL ducklake_rewrite_data_files('{LAKE_ALIAS}')")
    deleted = scalar(
        f"SELECT count(*) FROM ducklake_cleanup_old_files('{LAKE_ALIAS}', "
        "older_than => now() - to_seconds(?::DOUBLE))",
        seconds,
    )
    deleted += scalar(
        f"SELECT count(*) FROM ducklake_delete_orphaned_files('{LAKE_ALIAS}', "
        "older_than => now() - to_seconds(?::DOUBLE))",
        orphan_seconds,
    )
    after = db.write(read, claim=False)
    result = MaintenanceResult(before, after, keep, expired, deleted)
    db.write(
        lambda cur: record(
            cur,
            actor,
            "maintain",
            "store",
            {
                "keep_days": seconds / 86_400,
                "files_before": before.files_referenced,
                "files_after": after.files_referenced,
                "snapshots_before": before.snapshots,
                "snapshots_after": after.snapshots,
                "files_deleted": deleted,
            },
        )
    )
    return result
