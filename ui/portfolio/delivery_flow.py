"""Flow from Jira on the Delivery page: throughput and cycle time of Jira-linked projects
(docs/metrics.md, "From Jira"); figures from metrics.jira through ui.cache."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts.flow import cycle_time_chart, throughput_chart
from domain.formats import whole_expr
from ui import cache
from ui.cache import jira_flow, jira_weekly_throughput
from ui.shell.filters import View
from ui.widgets.chart import show_chart
from ui.widgets.tables import show_table

SCOPE_SOURCE = {"jira": "Jira", "sheet": "Spreadsheet"}


def jira_linked(projects: pl.DataFrame) -> pl.DataFrame:
    """Active projects that name a Jira epic (or other parent issue), by name."""
    return projects.filter(~pl.col("cancelled") & pl.col("jira_key").is_not_null()).sort("name")


def render_jira_flow(view: View) -> None:
    """The "Flow from Jira" section of the Delivery page."""
    st.subheader("Flow from Jira")
    frames = cache.filtered_frames(view.url, view.generation, view.as_of, view.filters)
    linked = jira_linked(frames[0]) if frames is not None else pl.DataFrame()
    if linked.height == 0:
        st.caption(
            "No project in this view is linked to Jira. A project is linked by the key of "
            "its Jira epic or parent issue, such as PAY-123, in the Jira key column of the "
            "projects spreadsheet."
        )
        return
    flow = jira_flow(view.url, view.generation, view.as_of)
    if flow is None or flow.filter(pl.col("scope_planned").is_not_null()).height == 0:
        st.info(
            f"**{linked.height} projects are linked to Jira; no Jira data has been synced "
            "yet.** Throughput and cycle time appear here after the first sync (on the Data "
            "page's Jira tab, or a scheduled one).",
            icon=":material/sync:",
        )
        return
    names = linked.select("project_id", "name")
    flow = flow.join(names, on="project_id", how="inner")
    st.caption(
        f"{flow.height} projects track their work in Jira. Throughput counts the child issues "
        "done each week over the 12 weeks before the snapshot date (a grey week: none done); "
        "cycle time runs from the first move into progress to done."
    )
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown("**Issues done per week**")
        weekly = jira_weekly_throughput(view.url, view.generation, view.as_of)
        # Projects whose Jira work is all done long ago would only add empty rows.
        moving = flow.filter(
            (pl.col("done_last_weeks") > 0) | (pl.col("scope_delivered") < pl.col("scope_planned"))
        ).select("project_id", "name")
        if weekly is not None and moving.height:
            show_chart(throughput_chart, weekly.join(moving, on="project_id", how="inner"))
        else:
            st.caption("No Jira-linked project in this view has open work or work done lately.")
    with right:
        st.markdown("**Cycle time: median and 85th percentile**")
        show_chart(cycle_time_chart, flow)
    show_table(
        flow.sort("name").select(
            pl.col("name").alias("Project"),
            pl.col("jira_key").alias("Jira epic"),
            pl.col("throughput_per_week").alias("Done per week"),
            pl.col("cycle_time_p50_days").alias("Cycle time p50 (days)"),
            pl.col("cycle_time_p85_days").alias("Cycle time p85 (days)"),
            pl.format(
                "{} of {} {}",
                whole_expr(pl.col("scope_delivered")),
                whole_expr(pl.col("scope_planned")),
                pl.col("scope_unit"),
            ).alias("Scope done"),
            pl.col("scope_added").alias("Added since start"),
        ),
        fit=True,
        hide_index=True,
        column_config={
            "Done per week": st.column_config.NumberColumn(format="%.1f"),
            "Cycle time p50 (days)": st.column_config.NumberColumn(format="%.0f"),
            "Cycle time p85 (days)": st.column_config.NumberColumn(format="%.0f"),
            "Added since start": st.column_config.NumberColumn(format="%.0f"),
        },
    )
