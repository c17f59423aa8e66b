"""The shared view: as-of snapshot and objective/portfolio/sponsor filters, bound to the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from domain.bidi import strip_bidi
from domain.currency import set_currency
from domain.formats import date_text
from domain.quarters import quarter_of
from ui.cache import (
    evaluated,
    quarter_dates,
    shown_currency,
    snapshot_currencies,
    snapshot_dates,
    store_key,
)
from ui.shell.currency_note import currency_note
from ui.shell.link_notices import asked_for, note, quoted, show_notices
from ui.widgets.text import md

FILTER_COLUMNS: dict[str, str] = {
    "objective": "Objective",
    "portfolio": "Portfolio",
    "sponsor": "Sponsor",
}
VIEW_PARAMS = ("as_of", *FILTER_COLUMNS)
# The Quarterly review's quarter: in an address it moves the view to that quarter's latest
# snapshot (unless the address names an as-of date too), so the review and every other page
# show one and the same view.
QUARTER_PARAM = "quarter"
_QUARTER_SEEN = "_quarter_link_seen"


@dataclass(frozen=True)
class View:
    """What every page shows: which store, which date, which slice."""

    url: str
    generation: int
    as_of: dt.date | None
    dates: tuple[dt.date, ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    currency: str = "USD"  # the amounts' currency (the snapshot's, else the display one)

    @property
    def empty(self) -> bool:
        return self.as_of is None

    @property
    def previous_date(self) -> dt.date | None:
        """The snapshot date before the viewed one, if any."""
        earlier = [d for d in self.dates if self.as_of and d < self.as_of]
        return earlier[-1] if earlier else None

    def query_params(self) -> dict[str, str | list[str]]:
        """The URL parameters that reopen this view (for links to other pages). The newest
        date is left out, so the link follows newer snapshots.

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
    return f"{date_text(day)} · {quarter_of(day)}"


def _follow_the_newest(newest: str) -> None:
    """Whoever was looking at the newest snapshot moves on to a newer one when it arrives;
    an older date picked on purpose stays."""
    seen = st.session_state.get("_as_of_newest")
    if seen and seen != newest and st.session_state.get("as_of") == seen:
        st.session_state["as_of"] = newest
    st.session_state["_as_of_newest"] = newest


def _take_linked_date(options: list[str], page: StreamlitPage | None) -> None:
    """An as-of date in the address that names no snapshot is said; an ISO date that does
    (`?as_of=2026-03-31`, as people type it, and as the pinned link writes it) reopens the
    page with the date the way the bound picker reads it, so the address keeps it for a
    reload or a copy (the picker would drop a value it cannot read)."""
    asked = asked_for("as_of")
    if not asked or asked[0] in {as_of_label(o) for o in options}:
        return
    if asked[0] in options:
        if page is None:  # no page to reopen (a bare run): take the date for this run
            st.session_state["as_of"] = asked[0]
            return
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        params["as_of"] = [as_of_label(asked[0])]
        st.switch_page(page, query_params=[(k, v) for k, vs in params.items() for v in vs])
    newest = dt.date.fromisoformat(options[0])
    note(f"No snapshot as of {quoted(asked)} in this store: showing the newest, of "
         f"{date_text(newest)}.")  # fmt: skip


def _take_linked_quarter(quarters: dict[str, dt.date]) -> None:
    """A quarter named in the address (a link to the review) moves the view to that quarter's
    latest snapshot, once per link; an unknown quarter is said."""
    asked = asked_for(QUARTER_PARAM)
    if not asked or st.session_state.get(_QUARTER_SEEN) == asked[0]:
        return
    st.session_state[_QUARTER_SEEN] = asked[0]
    if asked[0] not in quarters:
        note(f"No snapshot falls in {quoted(asked)}: showing the quarter of the view.")
    elif not asked_for("as_of"):  # a date in the address says more than its quarter
        st.session_state["as_of"] = quarters[asked[0]].isoformat()


def quarter_shown(quarter: str) -> None:
    """The review shows `quarter`: the address names it, and it counts as seen (so it does
    not move the view back when the view moves on)."""
    st.session_state[_QUARTER_SEEN] = quarter
    if st.query_params.get(QUARTER_PARAM) != quarter:
        st.query_params[QUARTER_PARAM] = quarter


def _drop_unknown(column: str, label: str, values: list[str], as_of: dt.date) -> None:
    """Filter values asked for (by the address, or kept from an earlier date) that no project
    of this snapshot has are said and dropped; the other values and filters stay."""
    asked = asked_for(column) or list(st.session_state.get(column) or [])
    shown = {strip_bidi(v) for v in values}  # the address carries a value as it is shown
    missing = [v for v in asked if v not in values and v not in shown]
    if not missing:
        return
    if column in st.session_state:
        st.session_state[column] = [v for v in st.session_state[column] if v in values]
    what = label.lower()
    instead = f"the other {what}s picked" if len(missing) < len(asked) else f"every {what}"
    note(f"No {what} {quoted(missing)} in the snapshot of {date_text(as_of)}: showing {instead}.")


FILTERS_KEY = "portfolio_filters"
# The Data page is the whole store's, not a slice's: there the filters are hidden (not
# removed, so the slice picked is still there on the way back to the portfolio pages).
HIDE_FILTERS = f"<style>.st-key-{FILTERS_KEY} {{ display: none; }}</style>"


def sidebar_view(portfolio_filters: bool = True, page: StreamlitPage | None = None) -> View:
    """Draw the shared filters in the sidebar and return the view they select; without
    `portfolio_filters` the objective, portfolio and sponsor pickers are hidden. `page` is
    the page on screen, reopened when the address's date needs rewriting."""
    url, generation = store_key()
    dates = tuple(snapshot_dates(url, generation))
    if not dates:
        currency = shown_currency(url, generation, None)
        set_currency(currency)
        view = View(url, generation, None, (), (), currency)
        st.session_state["_view"] = view
        return view
    options = [d.isoformat() for d in reversed(dates)]
    _follow_the_newest(options[0])
    _take_linked_date(options, page)
    _take_linked_quarter(quarter_dates(url, generation))
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
        currency = shown_currency(url, generation, as_of)
        set_currency(currency)  # every amount this run shows is in the snapshot's currency
        result = evaluated(url, generation, as_of)
        filters: list[tuple[str, tuple[str, ...]]] = []
        if not portfolio_filters:
            st.html(HIDE_FILTERS)
        box = st.container(key=FILTERS_KEY)
        for column, label in FILTER_COLUMNS.items():
            values = (
                sorted(v for v in result.projects.get_column(column).unique().to_list() if v)
                if result is not None
                else []
            )
            _drop_unknown(column, label, values, as_of)
            picked = box.multiselect(
                label,
                values,
                format_func=strip_bidi,  # a value reads in the order it is stored
                key=column,
                bind="query-params",
                placeholder=f"All {label.lower()}s",
            )
            filters.append((column, tuple(picked)))
        st.caption(
            ":material/payments: "
            + md(currency_note(snapshot_currencies(url, generation), as_of, currency))
        )
        st.caption(
            "Every page shows this snapshot and slice. The address in your browser follows "
            "the newest snapshot; the link below keeps this one."
        )
    view = View(url, generation, as_of, dates, tuple(filters), currency)
    st.session_state["_view"] = view
    show_notices((as_of, view.filters))
    return view


def current_view() -> View:
    """The view app.py selected for this run."""
    view = st.session_state.get("_view")
    if view is None:
        return sidebar_view()
    return view
