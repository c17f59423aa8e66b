"""The Project page's picker, kept in sync with the `project` query parameter.

The URL carries the project's id (`?project=PAY-01`): ids are stable where names change,
and every link to a project page is built from it. A widget bound with
`bind="query-params"` would put its displayed label in the URL instead, so the picker
syncs the parameter itself: the URL wins when it changed (a link, the back button), the
picker wins when the user picks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import streamlit as st

from domain.bidi import strip_bidi
from domain.formats import date_text
from ui.shell.links import PROJECT_PARAM
from ui.widgets.text import md

WIDGET = "project_picker"
SYNCED = "_project_synced"
NOTICE = "_project_link_notice"


def _write_url() -> None:
    """The user picked: the address names the project before the next run draws anything
    (so 'Link to this view' in the sidebar already carries it)."""
    picked = st.session_state[WIDGET]
    st.query_params[PROJECT_PARAM] = picked
    st.session_state[SYNCED] = picked


def pick_project(
    options: Sequence[str], names: Mapping[str, str], default: str, as_of: dt.date
) -> str:
    """Draw the picker and return the chosen project id; the URL always names it. A link to
    a project this snapshot does not have says so, and shows `default` instead."""
    wanted = st.query_params.get(PROJECT_PARAM)
    if wanted in options and (
        st.session_state.get(SYNCED) != wanted or WIDGET not in st.session_state
    ):
        st.session_state[WIDGET] = wanted
    elif wanted and wanted not in options and st.session_state.get(SYNCED) != wanted:
        st.session_state[NOTICE] = (wanted, default)
        st.session_state[WIDGET] = default
    elif st.session_state.get(WIDGET) not in options:
        st.session_state[WIDGET] = default
    picked = st.selectbox(
        "Project",
        list(options),
        format_func=lambda pid: strip_bidi(f"{names.get(pid, pid)} ({pid})"),
        key=WIDGET,
        on_change=_write_url,
        help="Every project of the snapshot. The link in your address bar opens this project.",
    )
    if st.query_params.get(PROJECT_PARAM) != picked:
        st.query_params[PROJECT_PARAM] = picked
    st.session_state[SYNCED] = picked
    notice = st.session_state.get(NOTICE)
    if notice and notice[1] == picked:
        st.warning(
            f"No project {md(notice[0])} in the snapshot of {date_text(as_of)}: showing "
            f"{md(names.get(picked, picked))} instead.",
            icon=":material/link_off:",
        )
    elif notice:
        del st.session_state[NOTICE]
    return picked
