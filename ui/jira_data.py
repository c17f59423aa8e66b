"""Cached Jira flow figures for the Delivery and Project pages (keyed like ui.data).

The pages call these with `view.url, view.generation, view.as_of`; the arithmetic is
metrics.jira's, the data the store's.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from metrics.jira import project_flow, weekly_throughput
from store import open_store


@st.cache_data(show_spinner=False, max_entries=32)
def jira_flow(url: str, generation: int, as_of: dt.date | None) -> pl.DataFrame | None:
    """Per Jira-linked project: throughput, cycle time p50/p85, scope added (see
    metrics.jira.project_flow for the columns); None when the store has no Jira data."""
    jira = open_store(url).jira_input(as_of)
    if jira is None:
        return None
    return project_flow(jira.projects, jira.children, jira.changes, jira.as_of).collect()


@st.cache_data(show_spinner=False, max_entries=32)
def jira_weekly_throughput(url: str, generation: int, as_of: dt.date | None) -> pl.DataFrame | None:
    """Children done per week, the 12 weeks up to the date: project_id, week_end, done."""
    jira = open_store(url).jira_input(as_of)
    if jira is None:
        return None
    return weekly_throughput(jira.projects, jira.children, jira.changes, jira.as_of).collect()


@st.cache_data(show_spinner=False, max_entries=64)
def jira_children(
    url: str, generation: int, as_of: dt.date | None, jira_key: str
) -> pl.DataFrame | None:
    """The child issues of one epic (or parent) with their state as of the date."""
    from metrics.jira import children_as_of

    jira = open_store(url).jira_input(as_of)
    if jira is None:
        return None
    return children_as_of(
        jira.children.filter(pl.col("jira_key") == jira_key), jira.changes, jira.as_of
    ).collect()
