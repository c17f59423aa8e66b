"""Flow from Jira on the Delivery page: throughput and cycle time of Jira-linked projects.

A seam: the Jira connector is built on another branch. Until its flow metrics are wired
in, this lists the projects linked to a Jira epic and says that nothing has been synced
yet. To connect it, fetch the per-project flow figures of METRICS.md ("From Jira":
throughput over the 12 weeks before A, cycle time p50/p85, scope added after start)
through a cached accessor in ui/data.py and draw them in place of the note.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import data
from ui.filters import View

SCOPE_SOURCE = {"jira": "Jira", "sheet": "Spreadsheet"}


def jira_linked(projects: pl.DataFrame) -> pl.DataFrame:
    """Active projects that name a Jira epic (or other parent issue), by name."""
    return projects.filter(~pl.col("cancelled") & pl.col("jira_key").is_not_null()).sort("name")


def render_jira_flow(view: View) -> None:
    """The "Flow from Jira" section of the Delivery page."""
    st.subheader("Flow from Jira")
    frames = data.filtered_frames(view.url, view.generation, view.as_of, view.filters)
    linked = jira_linked(frames[0]) if frames is not None else pl.DataFrame()
    if linked.height == 0:
        st.caption(
            "No project in this view is linked to Jira. A project is linked by its `jira_key`: "
            "the key of its epic or parent issue, such as `PAY-123`."
        )
        return
    st.info(
        f"**{linked.height} projects are linked to Jira; no Jira data has been synced yet.** "
        "Throughput (issues done per week) and cycle time (start to done) appear here after "
        "the first sync (`python -m connectors jira-sync`).",
        icon=":material/sync:",
    )
    st.dataframe(
        linked.select(
            pl.col("name").alias("Project"),
            pl.col("jira_key").alias("Jira epic"),
            pl.col("scope_source")
            .replace_strict(SCOPE_SOURCE, default="Not known")
            .alias("Scope taken from"),
            (pl.col("completion") * 100).alias("Scope done"),
        ),
        hide_index=True,
        column_config={
            "Project": st.column_config.TextColumn(width="large"),
            "Scope done": st.column_config.ProgressColumn(
                min_value=0.0, max_value=100.0, format="%.0f%%"
            ),
        },
    )
