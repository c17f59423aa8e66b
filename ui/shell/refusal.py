"""The only page a deployment whose access settings cannot be trusted shows: what is wrong
and where, and nothing of the portfolio (a broken sign-in must close the cockpit, not open
it to everyone)."""

from __future__ import annotations

import logging

import streamlit as st

from domain.deployment import SettingError
from ui.shell.access import current_access
from ui.widgets.text import md

_log = logging.getLogger(__name__)


def settings_problem() -> str | None:
    """Why this deployment may not serve, or None when its settings are sound."""
    try:
        current_access()
    except SettingError as exc:
        return str(exc)
    return None


def refusal_screen() -> None:
    problem = settings_problem()
    if problem is None:  # fixed since the run began: the next run serves the cockpit
        st.rerun()
    _log.error("Refusing to serve: %s", problem)
    st.title("Outcomes cockpit")
    st.error(
        "**The cockpit is closed: a setting that controls who may see and change data cannot "
        "be trusted.**",
        icon=":material/lock:",
    )
    st.markdown(md(problem))
    st.caption(
        "Nothing of the portfolio is shown and nothing can be changed until the administrator "
        "fixes it; the page opens again on the next visit after that."
    )
