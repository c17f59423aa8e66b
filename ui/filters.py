"""The shared view: as-of snapshot and objective/portfolio/sponsor filters, bound to the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ui.data import evaluated, snapshot_dates, store_key
from ui.shell import ensure_app_shell

FILTER_COLUMNS: dict[str, str] = {
    "objective": "Objective",
    "portfolio": "Portfolio",
    "sponsor": "Sponsor",
}
VIEW_PARAMS = ("as_of", *FILTER_COLUMNS)


@dataclass(frozen=True)
class View:
    """What every page shows: which store, which date, which slice."""

    url: str
    generation: int
    as_of: dt.date | None
    dates: tuple[dt.date, ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def empty(self) -> bool:
        return self.as_of is None

    @property
    def previous_date(self) -> dt.date | None:
        """The snapshot date before the viewed one, if any."""
        earlier = [d for d in self.dates if self.as_of and d < self.as_of]
        return earlier[-1] if earlier else None

    def query_params(self) -> dict[str, str | list[str]]:
        """The URL parameters that reopen this view (for links to other pages).

        Bound widgets read their option's displayed label from the URL, so the date is
        written the way the as-of picker shows it ("31 Mar 2026 · 2026-Q1").
        """
        params: dict[str, str | list[str]] = {}
        if self.as_of and self.dates and self.as_of != self.dates[-1]:
            params["as_of"] = as_of_label(self.as_of.isoformat())
        for column, values in self.filters:
            if values:
                params[column] = list(values)
        return params


def as_of_label(iso: str) -> str:
    """How the as-of picker shows a snapshot date, and so how the URL carries it."""
    day = dt.date.fromisoformat(iso)
    quarter = (day.month - 1) // 3 + 1
    return f"{day.strftime('%d %b %Y').lstrip('0')} · {day.year}-Q{quarter}"


def _follow_the_newest(newest: str) -> None:
    """Whoever was looking at the newest snapshot moves on to a newer one when it arrives;
    an older date picked on purpose stays."""
    seen = st.session_state.get("_as_of_newest")
    if seen and seen != newest and st.session_state.get("as_of") == seen:
        st.session_state["as_of"] = newest
    st.session_state["_as_of_newest"] = newest


def sidebar_view() -> View:
    """Draw the shared filters in the sidebar and return the view they select."""
    url, generation = store_key()
    dates = tuple(snapshot_dates(url, generation))
    if not dates:
        view = View(url, generation, None, (), ())
        st.session_state["_view"] = view
        return view
    options = [d.isoformat() for d in reversed(dates)]
    _follow_the_newest(options[0])
    with st.sidebar:
        chosen = st.selectbox(
            "As of",
            options,
            index=0,
            format_func=as_of_label,
            key="as_of",
            bind="query-params",
            help="The snapshot to show. The newest one unless you pick another.",
        )
        as_of = dt.date.fromisoformat(chosen or options[0])
        result = evaluated(url, generation, as_of)
        filters: list[tuple[str, tuple[str, ...]]] = []
        for column, label in FILTER_COLUMNS.items():
            values = (
                sorted(v for v in result.projects.get_column(column).unique().to_list() if v)
                if result is not None
                else []
            )
            picked = st.multiselect(
                label,
                values,
                key=column,
                bind="query-params",
                placeholder=f"All {label.lower()}s",
            )
            filters.append((column, tuple(picked)))
        st.caption(
            "Every page shows this snapshot and slice. The address in your browser reopens "
            "exactly this view: copy it to share."
        )
    view = View(url, generation, as_of, dates, tuple(filters))
    st.session_state["_view"] = view
    return view


def current_view() -> View:
    """The view app.py selected for this run."""
    ensure_app_shell()
    view = st.session_state.get("_view")
    if view is None:
        return sidebar_view()
    return view
