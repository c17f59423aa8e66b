"""The Project page's picker, kept in sync with the `project` query parameter.

The URL carries the project's id (`?project=PAY-01`): ids are stable where names change,
and every link to a project page is built from it. A widget bound with
`bind="query-params"` would put its displayed label in the URL instead, so the picker
syncs the parameter itself: the URL wins when it changed (a link, the back button), the
picker wins when the user picks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from ui.links import PROJECT_PARAM

WIDGET = "project_picker"
SYNCED = "_project_synced"


def pick_project(options: Sequence[str], names: Mapping[str, str], default: str) -> str:
    """Draw the picker and return the chosen project id; the URL always names it."""
    wanted = st.query_params.get(PROJECT_PARAM)
    if wanted in options and (
        st.session_state.get(SYNCED) != wanted or WIDGET not in st.session_state
    ):
        st.session_state[WIDGET] = wanted
    elif st.session_state.get(WIDGET) not in options:
        st.session_state[WIDGET] = default
    picked = st.selectbox(
        "Project",
        list(options),
        format_func=lambda pid: f"{names.get(pid, pid)} ({pid})",
        key=WIDGET,
        help="Every project of the snapshot. The link in your address bar opens this project.",
    )
    if st.query_params.get(PROJECT_PARAM) != picked:
        st.query_params[PROJECT_PARAM] = picked
    st.session_state[SYNCED] = picked
    return picked
