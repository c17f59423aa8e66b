"""Jira issues in the store: one transaction per sync, and reads as Polars frames.

A sync upserts issues by id and replaces the status history of every issue it
brought (a full sync replaces everything), records the run and an audit entry, and
commits all of it together or none of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from domain.jira import (
    CHANGE_SCHEMA,
    CHILD_SCHEMA,
    ISSUE_SCHEMA,
    SYNC_RUN_SCHEMA,
    JiraFrames,
    SyncRun,
)
from store.audit import record
from store.core import Database, next_id
from store.cursor import Cursor
from store.reads import _frame

ISSUE_COLUMNS = ", ".join(ISSUE_SCHEMA.names())
CHANGE_COLUMNS = ", ".join(CHANGE_SCHEMA.names())
RUN_COLUMNS = ", ".join(SYNC_RUN_SCHEMA.names())


def _insert_run(cur: Cursor, sync_id: int, run: SyncRun) -> None:
    marks = ", ".join("?" * len(SYNC_RUN_SCHEMA))
    cur.execute(
        f"INSERT INTO jira_sync_runs ({RUN_COLUMNS}) VALUES ({marks})", [sync_id, *run.row()]
    )


def _audit(cur: Cursor, sync_id: int, run: SyncRun) -> None:
    detail = {
        "ok": run.ok,
        "mode": run.mode,
        "url": run.url,
        "issues": run.n_issues,
        "status_changes": run.n_changes,
        "requests": run.n_requests,
    }
    if not run.ok:
        detail["message"] = run.message
    record(cur, run.actor, "sync", f"jira sync #{sync_id}", detail, at=run.finished_at)


def commit_sync(db: Database, frames: JiraFrames, run: SyncRun, *, replace_all: bool) -> int:
    """Write one successful sync; returns its id. Arrow tables go to DuckDB in bulk."""

    def commit(cur: Cursor) -> int:
        sync_id = next_id(cur, "last_sync_id")
        cur.register("incoming_jira_issues", frames.issues.to_arrow())
        cur.register("incoming_jira_changes", frames.changes.to_arrow())
        try:
            if replace_all:
                cur.execute("DELETE FROM jira_status_changes")
                cur.execute("DELETE FROM jira_issues")
            else:
                cur.execute(
                    "DELETE FROM jira_status_changes "
                    "WHERE issue_id IN (SELECT issue_id FROM incoming_jira_issues)"
                )
                cur.execute(
                    "DELETE FROM jira_issues "
                    "WHERE issue_id IN (SELECT issue_id FROM incoming_jira_issues)"
                )
            cur.execute(
                f"INSERT INTO jira_issues ({ISSUE_COLUMNS}, sync_id) "
                f"SELECT {ISSUE_COLUMNS}, ? FROM incoming_jira_issues",
                [sync_id],
            )
            cur.execute(
                f"INSERT INTO jira_status_changes ({CHANGE_COLUMNS}) "
                f"SELECT {CHANGE_COLUMNS} FROM incoming_jira_changes"
            )
        finally:
            cur.unregister("incoming_jira_issues")
            cur.unregister("incoming_jira_changes")
        _insert_run(cur, sync_id, run)
        _audit(cur, sync_id, run)
        return sync_id

    return db.write(commit)


def record_failure(db: Database, run: SyncRun) -> int:
    """Log a sync that stopped: the run and its message only; no issue is touched."""

    def record(cur: Cursor) -> int:
        sync_id = next_id(cur, "last_sync_id")
        _insert_run(cur, sync_id, run)
        _audit(cur, sync_id, run)
        return sync_id

    return db.write(record)


# Reads ----------------------------------------------------------------------------------
def sync_runs(cur: Cursor, limit: int | None = None) -> pl.DataFrame:
    """Sync runs, newest first."""
    return _frame(
        cur,
        f"SELECT {RUN_COLUMNS} FROM jira_sync_runs ORDER BY sync_id DESC "
        "LIMIT coalesce(?, 9223372036854775807)",
        [limit],
        SYNC_RUN_SCHEMA,
    )


def last_success(cur: Cursor, url: str, jql: str) -> tuple[int, dt.datetime] | None:
    """(sync id, watermark) of the last good sync of this site and JQL, if any.

    A different URL or JQL means the stored issues answer another question: the next
    sync must then be a full one.
    """
    row = cur.execute(
        "SELECT sync_id, watermark FROM jira_sync_runs "
        "WHERE ok AND mode IN ('full', 'incremental') AND url = ? AND jql = ? "
        "AND watermark IS NOT NULL ORDER BY sync_id DESC LIMIT 1",
        [url, jql],
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def issue_count(cur: Cursor) -> int:
    row = cur.execute("SELECT count(*) FROM jira_issues").fetchone()
    return int(row[0]) if row else 0


# Jira keys are upper case; a spreadsheet may say " pay-123".
_KEYS = (
    "WITH wanted AS (SELECT DISTINCT jira_key, upper(trim(jira_key)) AS wanted_key "
    "FROM (SELECT unnest(?::VARCHAR[]) AS jira_key)) "
)


def children(cur: Cursor, parent_keys: Sequence[str]) -> pl.DataFrame:
    """Direct children (by parent or epic link) of the given keys, with the key they belong to.

    Two equality joins and a UNION, not one join on `parent OR epic`: DuckDB runs an OR
    condition as a nested loop (every issue against every key: 3 s for 50,000 issues
    under 2,000 epics)."""
    columns = ", ".join(f"i.{c}" for c in ISSUE_SCHEMA.names())
    select = f"SELECT w.jira_key, {columns} FROM jira_issues i JOIN wanted w "
    return _frame(
        cur,
        _KEYS + f"{select} ON i.parent_key = w.wanted_key UNION ALL "
        f"{select} ON i.epic_key = w.wanted_key "
        "WHERE i.parent_key IS DISTINCT FROM i.epic_key "  # both the same key: listed once
        "ORDER BY jira_key, created, issue_id",
        [list(parent_keys)],
        CHILD_SCHEMA,
    )


def child_changes(cur: Cursor, parent_keys: Sequence[str]) -> pl.DataFrame:
    """The status changes of those children, oldest first per issue."""
    columns = ", ".join(f"c.{c}" for c in CHANGE_SCHEMA.names())
    return _frame(
        cur,
        _KEYS + f"SELECT {columns} FROM jira_status_changes c WHERE c.issue_id IN ("
        "SELECT i.issue_id FROM jira_issues i "
        "WHERE i.parent_key IN (SELECT wanted_key FROM wanted) "
        "OR i.epic_key IN (SELECT wanted_key FROM wanted)) "
        "ORDER BY c.issue_id, c.changed_at",
        [list(parent_keys)],
        CHANGE_SCHEMA,
    )
