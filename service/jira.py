"""Jira flow figures for the Delivery and Project views: the arithmetic is metrics.jira's,
the data the store's (its Jira inputs as of a date)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.jira import children_as_of, project_flow, weekly_throughput
from store import Store


def jira_flow(store: Store, as_of: dt.date | None) -> pl.DataFrame | None:
    """Per Jira-linked project: throughput, cycle time p50/p85, scope added (see
    metrics.jira.project_flow for the columns); None when the store has no Jira data."""
    jira = store.jira_input(as_of)
    if jira is None:
        return None
    return project_flow(jira.projects, jira.children, jira.changes, jira.as_of).collect()


def jira_weekly_throughput(store: Store, as_of: dt.date | None) -> pl.DataFrame | None:
    """Children done per week, the 12 weeks up to the date: project_id, week_end, done."""
    jira = store.jira_input(as_of)
    if jira is None:
        return None
    return weekly_throughput(jira.projects, jira.children, jira.changes, jira.as_of).collect()


def jira_children(store: Store, as_of: dt.date | None, jira_key: str) -> pl.DataFrame | None:
    """The child issues of one epic (or parent) with their state as of the date."""
    jira = store.jira_input(as_of)
    if jira is None:
        return None
    return children_as_of(
        jira.children.filter(pl.col("jira_key") == jira_key), jira.changes, jira.as_of
    ).collect()
