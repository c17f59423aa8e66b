"""A project's work in Jira on the Project page: its epic's child issues as of the viewed
date, with the project's throughput and cycle time (docs/metrics.md, "From Jira")."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from domain.formats import date_text
from ui.cache import jira_children, jira_flow
from ui.shell.filters import View
from ui.widgets.tables import date_column, show_table
from ui.widgets.text import md

STATES = {"done": "Done", "in_progress": "In progress", "to_do": "To do"}


def render_jira_children(view: View, project: dict[str, Any]) -> None:
    """The "Work in Jira" section of one project."""
    st.subheader("Work in Jira")
    key = project.get("jira_key")
    if not key:
        st.caption(
            "This project is not linked to Jira. Give it the key of its Jira epic or parent "
            "issue, such as PAY-123, in the Jira key column of the projects spreadsheet to "
            "see its issues, throughput and cycle time here."
        )
        return
    children = jira_children(view.url, view.generation, view.as_of, key)
    if children is None or children.height == 0:
        st.info(
            f"Linked to Jira epic **{md(key)}**, but no issue of it has been synced yet: its "
            "child issues, throughput and cycle time appear here after a sync (on the Data "
            "page's Jira tab, or a scheduled one).",
            icon=":material/sync:",
        )
        return
    flow = jira_flow(view.url, view.generation, view.as_of)
    figures = (
        flow.filter(pl.col("project_id") == project["project_id"]).row(0, named=True)
        if flow is not None and flow.filter(pl.col("project_id") == project["project_id"]).height
        else {}
    )
    counts = children.group_by("state_as_of").len()
    count = dict(counts.iter_rows())
    cols = st.columns(4)
    cols[0].metric("Child issues", f"{children.height}", border=True)
    cols[1].metric("Done", f"{count.get('done', 0)}", border=True)
    p50 = figures.get("cycle_time_p50_days")
    cols[2].metric(
        "Cycle time (median)",
        f"{p50:.0f} days" if p50 is not None else "—",
        help="From the first move into progress to done, for child issues done by this date.",
        border=True,
    )
    per_week = figures.get("throughput_per_week")
    cols[3].metric(
        "Done per week",
        f"{per_week:.1f}" if per_week is not None else "—",
        help="Child issues done per week over the 12 weeks before this date.",
        border=True,
    )
    st.caption(f"Epic **{md(key)}**, as of {date_text(view.as_of)}.")
    table = children.select(
        pl.col("issue_key").alias("Issue"),
        pl.col("summary").alias("Summary"),
        pl.col("issue_type").alias("Type"),
        pl.col("state_as_of").replace_strict(STATES).alias("State"),
        pl.col("story_points").alias("Points"),
        pl.col("created").dt.date().alias("Created"),
        pl.col("done_at").dt.date().alias("Done"),
    )
    if table.get_column("Points").is_null().all():
        table = table.drop("Points")  # this epic's issues carry no story points
    show_table(
        table,
        fit=True,
        hide_index=True,
        column_config={
            "Points": st.column_config.NumberColumn(format="%.0f"),
            "Created": date_column(),
            "Done": date_column(),
        },
    )
