"""What the metrics read: one snapshot's frames plus the measurement series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class PortfolioInput:
    """The portfolio as of a date, as lazy frames with the contract's columns.

    `as_of` is the date A of docs/metrics.md; `snapshot_as_of` the as-of date of the
    latest snapshot on or before it. `jira_scope`, when present, has one row per
    `jira_key` with `jira_scope_planned` and `jira_scope_delivered` as of A;
    `jira_children` one row per child issue created on or before A, with its `jira_key`
    and `done_at` as of A (null when not done), for the delivery forecast.
    `jira_issues` and `jira_changes` are the child issues and status changes as stored
    (the store's read); metrics.jira.with_jira_as_of resolves them into the two above.
    """

    as_of: dt.date
    snapshot_id: int | None
    snapshot_as_of: dt.date | None
    projects: pl.LazyFrame
    benefits: pl.LazyFrame
    measurements: pl.LazyFrame
    jira_scope: pl.LazyFrame | None = None
    jira_children: pl.LazyFrame | None = None
    jira_issues: pl.LazyFrame | None = None
    jira_changes: pl.LazyFrame | None = None
