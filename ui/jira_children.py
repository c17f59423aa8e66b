"""A project's Jira children on the Project page.

A seam: the Jira connector is built on another branch. Until it is wired in, this says
which epic the project is linked to and that nothing has been synced. To connect it,
fetch the epic's child issues as of the viewed date (key, summary, status category,
story points, created, done) through a cached accessor in ui/data.py and list them
here, with the project's throughput and cycle time (METRICS.md, "From Jira").
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.filters import View
from ui.text import safe


def render_jira_children(view: View, project: dict[str, Any]) -> None:
    """The "Work in Jira" section of one project."""
    del view  # the connected version reads the Jira data of the viewed date
    st.subheader("Work in Jira")
    key = project.get("jira_key")
    if not key:
        st.caption(
            "This project is not linked to Jira. Give it a `jira_key` (its epic or parent "
            "issue) to see its issues, throughput and cycle time here."
        )
        return
    st.info(
        f"Linked to Jira epic **{safe(key)}**. No Jira data has been synced yet: its child "
        "issues, throughput and cycle time appear here after the first sync "
        "(`python -m connectors jira-sync`).",
        icon=":material/sync:",
    )
