"""The first release kept its default store in data/cockpit.duckdb, a DuckDB file that one
process at a time can open. The default store is now a DuckLake (data/cockpit.sqlite),
which the app and the command line share. The first time a process opens the default
store and finds the old file, it copies the file's rows into the lake in one write and
renames the file (kept as a backup): `make run` then carries on with the same data.

Several processes may do this at once: one copies, the others find the lake no longer
empty; the old file is opened read-only, so they never get in each other's way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from pathlib import Path

import duckdb

from store import location
from store.core import Database
from store.errors import StoreError
from store.transfer import TargetNotEmptyError, copy_into, read_tables


def backup_path(legacy: Path) -> Path:
    return legacy.with_name(legacy.name + ".moved")


def adopt_legacy_store(db: Database) -> str | None:
    """Move the first release's default store into `db` (the new default), once. Returns
    what was done, for the user; None when there is nothing to do."""
    legacy = location.LEGACY_DB
    if db.url != location.DEFAULT_URL or not legacy.exists():
        return None
    try:
        source = duckdb.connect(str(legacy), read_only=True)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise StoreError(
                f"The store of the earlier version, {legacy}, is in use by another process "
                "(an app of that version still running?). Stop it, then try again: its data "
                f"will be moved into {location.DEFAULT_CATALOG}."
            ) from None
        raise StoreError(
            f"{legacy} (the store of the earlier version) cannot be read, so its data was not "
            f"moved into {location.DEFAULT_CATALOG} ({type(exc).__name__}). Move it away or "
            "restore it from a backup; it has not been changed."
        ) from None
    try:
        tables = read_tables(source)
    finally:
        source.close()
    backup = backup_path(legacy)
    note = {"from": str(legacy), "kept_as": str(backup), "at": _now()}
    try:
        counts = copy_into(db, tables, actor="cockpit", note=note)
    except TargetNotEmptyError:
        if _moved_already(db, legacy):  # another process copied it just now
            _rename(legacy, backup)
            return None
        message = (
            f"{legacy} (the earlier version's store) was not used: the store is now "
            f"{location.DEFAULT_CATALOG}, which already holds data. Move or delete the old file."
        )
        print(message, file=sys.stderr)
        return message
    _rename(legacy, backup)
    message = (
        f"Moved the store {legacy} ({counts.get('snapshots', 0)} snapshots) into "
        f"{location.DEFAULT_CATALOG}, which the app and the command line can use at the same "
        f"time. The old file is kept as {backup}."
    )
    print(message, file=sys.stderr)
    return message


def _moved_already(db: Database, legacy: Path) -> bool:
    row = (
        db.cursor()
        .execute(
            "SELECT count(*) FROM audit_log WHERE action = 'migrate' "
            "AND json_extract_string(detail, '$.from') = ?",
            [str(legacy)],
        )
        .fetchone()
    )
    return bool(row and row[0])


def _rename(legacy: Path, backup: Path) -> None:
    for suffix in ("", ".wal"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(legacy) + suffix).rename(Path(str(backup) + suffix))


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
