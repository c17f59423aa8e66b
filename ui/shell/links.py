"""Links between pages that keep the shared view (date and filters) in the URL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import polars as pl
import streamlit as st

from ui.shell.filters import View

VIEWS = Path(__file__).resolve().parents[2] / "views"
PROJECT_PAGE = VIEWS / "project.py"
PROJECT_PARAM = "project"


def project_params(project_id: str) -> dict[str, str]:
    """Query parameters of an in-app link to a project's page.

    The date and filters are widgets bound to the URL: Streamlit carries them to the next
    page by itself (adding them here would repeat them in the URL).
    """
    return {PROJECT_PARAM: project_id}


def shareable_project_params(view: View, project_id: str) -> dict[str, str | list[str]]:
    """Every parameter that reopens a project's page in this view from outside the app
    (a briefing, an e-mail): the date, the filters and the project."""
    return {**view.query_params(), PROJECT_PARAM: project_id}


def open_project(project_id: str) -> NoReturn:
    """Go to the Project page of `project_id`; the as-of date and filters come along."""
    st.switch_page(PROJECT_PAGE, query_params=project_params(project_id))


def chart_pick(event: Any, field: str = "project_id", param: str = "pick") -> str | None:
    """The value of `field` of the mark clicked in a chart drawn with on_select="rerun"."""
    selection: Mapping[str, Any] = (event or {}).get("selection", {}) if event else {}
    picked = selection.get(param) or []
    if isinstance(picked, Mapping):  # some selections arrive as {field: [values]}
        values = picked.get(field) or []
        return str(values[0]) if values else None
    for item in picked:
        if isinstance(item, Mapping) and item.get(field) is not None:
            return str(item[field])
    return None


def row_pick(event: Any, frame: pl.DataFrame, field: str = "project_id") -> str | None:
    """The value of `field` in the row selected in a dataframe drawn with on_select="rerun"."""
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    if not rows or rows[0] >= frame.height:
        return None
    return str(frame.get_column(field)[rows[0]])
