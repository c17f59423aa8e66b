"""Jira data as the connector hands it to the store and the store hands it to the metrics.

One place names the columns and types, so the parser, the store and the metrics
cannot drift apart. Timestamps are UTC without a time zone (what DuckDB stores).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

# Jira's status categories, by their stable keys (the names are translated).
TODO, IN_PROGRESS, DONE = "new", "indeterminate", "done"

ISSUE_SCHEMA = pl.Schema(
    {
        "issue_id": pl.String(),
        "issue_key": pl.String(),
        "project_key": pl.String(),
        "issue_type": pl.String(),
        "summary": pl.String(),
        "status": pl.String(),
        "status_category": pl.String(),
        "created": pl.Datetime("us"),
        "updated": pl.Datetime("us"),
        "resolution_date": pl.Datetime("us"),
        "story_points": pl.Float64(),
        "parent_key": pl.String(),
        "epic_key": pl.String(),
    }
)

CHANGE_SCHEMA = pl.Schema(
    {
        "issue_id": pl.String(),
        "changed_at": pl.Datetime("us"),
        "from_status": pl.String(),
        "to_status": pl.String(),
        "from_category": pl.String(),
        "to_category": pl.String(),
    }
)

# A child issue of a project's jira_key: the issue's columns plus the key it belongs to.
CHILD_SCHEMA = pl.Schema({"jira_key": pl.String(), **dict(ISSUE_SCHEMA)})

SYNC_RUN_SCHEMA = pl.Schema(
    {
        "sync_id": pl.Int64(),
        "started_at": pl.Datetime("us"),
        "finished_at": pl.Datetime("us"),
        "mode": pl.String(),
        "deployment": pl.String(),
        "url": pl.String(),
        "user_name": pl.String(),
        "jql": pl.String(),
        "watermark": pl.Datetime("us"),
        "n_issues": pl.Int64(),
        "n_changes": pl.Int64(),
        "n_requests": pl.Int64(),
        "ok": pl.Boolean(),
        "message": pl.String(),
        "actor": pl.String(),
    }
)


@dataclass(frozen=True)
class JiraFrames:
    """Issues and their status history, exactly in ISSUE_SCHEMA and CHANGE_SCHEMA.

    `issues` holds one row per issue id; `changes` the complete status history of
    those issues (the store replaces each issue's history with this one).
    """

    issues: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ISSUE_SCHEMA))
    changes: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CHANGE_SCHEMA))

    def __post_init__(self) -> None:
        for name, frame, schema in (
            ("issues", self.issues, ISSUE_SCHEMA),
            ("changes", self.changes, CHANGE_SCHEMA),
        ):
            if frame.schema != schema:
                raise TypeError(f"Jira {name} frame does not match {dict(schema)}")


@dataclass(frozen=True)
class SyncRun:
    """What one sync did, as the store records it: never a token."""

    started_at: dt.datetime
    finished_at: dt.datetime | None
    mode: str  # full, incremental, demo
    deployment: str | None
    url: str | None
    user_name: str | None
    jql: str | None
    watermark: dt.datetime | None
    n_issues: int
    n_changes: int
    n_requests: int
    ok: bool
    message: str
    actor: str | None

    def row(self) -> list[object]:
        return [
            self.started_at,
            self.finished_at,
            self.mode,
            self.deployment,
            self.url,
            self.user_name,
            self.jql,
            self.watermark,
            self.n_issues,
            self.n_changes,
            self.n_requests,
            self.ok,
            self.message,
            self.actor,
        ]


@dataclass(frozen=True)
class JiraInput:
    """What the Jira metrics read for one date A: the Jira-linked projects of the snapshot
    (project_id, jira_key, start_date, ...), their children (CHILD_SCHEMA) and the
    children's status changes (CHANGE_SCHEMA)."""

    as_of: dt.date
    projects: pl.LazyFrame
    children: pl.LazyFrame
    changes: pl.LazyFrame
