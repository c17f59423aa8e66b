"""The app's caches of the service layer: every function here is an st.cache_* wrapper of
one service/ function, keyed by store URL, store generation, date and filters. No
figure is computed here.

A write to the store appends to its audit log and so changes the generation: every
cache entry made before it is no longer asked for.

Frames are cached as shared resources, not copied on every read (`st.cache_data` would
unpickle a copy per call: 5 to 10 ms each, a dozen calls per page). Polars frames are
immutable through every API this app uses: never modify a returned frame in place.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from briefing.narrative import Narrative, narrative
from metrics.review import QuarterReview
from service import evaluated as evaluations
from service import jira, portfolio, sources
from service import review as reviews
from service.evaluated import Evaluated, Evaluator, Filters
from service.portfolio import Comparison, Frames, ProjectForecast
from store import Store, open_store
from store.location import resolve_url
from ui.shell.app_args import db_argument

__all__ = ["Comparison", "Evaluated", "Filters", "ProjectForecast"]


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return open_store(url)


def store() -> Store:
    """The store this app serves (--db, COCKPIT_DB, or the default data/cockpit.sqlite)."""
    return _store(resolve_url(db_argument()))


def store_key() -> tuple[str, int]:
    """(url, generation): the part of every cache key that says which data it is."""
    current = store()
    return current.url, current.generation()


def store_generation(url: str) -> int:
    """The generation of the store at `url` (a count: cheap to ask every few seconds)."""
    return _store(url).generation()


@st.cache_data(show_spinner=False, max_entries=16)
def snapshot_dates(url: str, generation: int) -> list[dt.date]:
    """As-of dates of the active portfolio snapshots, oldest first."""
    return evaluations.snapshot_dates(_store(url))


@st.cache_data(show_spinner=False, max_entries=64)
def shown_currency(url: str, generation: int, as_of: dt.date | None) -> str:
    """The currency amounts as of a date are shown in (the snapshot's own, else the
    display currency, else the deployment's); a write changes the generation."""
    return _store(url).shown_currency(as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def snapshot_currencies(url: str, generation: int) -> dict[dt.date, str]:
    """The currency of each active portfolio snapshot's amounts, by as-of date."""
    return evaluations.snapshot_currencies(_store(url))


@st.cache_resource(show_spinner=False, max_entries=4)
def measurement_series(url: str, generation: int) -> pl.DataFrame:
    """The whole measurement series, read once per store generation and shared by every
    date a page evaluates (the quarters behind the sparklines, the review's history)."""
    return _store(url).measurements(with_source=False)


@st.cache_resource(show_spinner=False, max_entries=32)
def evaluated(url: str, generation: int, as_of: dt.date | None) -> Evaluated | None:
    """Every per-project and per-benefit figure as of a date; None when there is no data."""
    return evaluations.evaluated_as_of(_store(url), as_of, measurement_series(url, generation))


def _evaluator(url: str, generation: int) -> Evaluator:
    """The cached per-date evaluation, for the service's loops over dates."""
    return lambda as_of: evaluated(url, generation, as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def quarter_dates(url: str, generation: int) -> dict[str, dt.date]:
    """Quarter label -> as-of date of the latest snapshot in that quarter, oldest first."""
    return evaluations.quarter_dates(_store(url))


@st.cache_resource(show_spinner=False, max_entries=128)
def portfolio_figures(
    url: str, generation: int, as_of: dt.date | None, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Portfolio figures of the filtered projects (one row, or one per group)."""
    return portfolio.portfolio_figures(evaluated(url, generation, as_of), filters, by)


@st.cache_resource(show_spinner=False, max_entries=128)
def filtered_frames(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> Frames | None:
    """Evaluated projects and benefits restricted to the filters."""
    return portfolio.filtered_frames(evaluated(url, generation, as_of), filters)


@st.cache_resource(show_spinner=False, max_entries=64)
def quarter_headlines(url: str, generation: int, filters: Filters) -> pl.DataFrame:
    """Portfolio figures per quarter for the filtered projects (sparklines, deltas)."""
    return portfolio.quarter_headlines(
        quarter_dates(url, generation), _evaluator(url, generation), filters
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def comparison(
    url: str, generation: int, previous_as_of: dt.date, current_as_of: dt.date, filters: Filters
) -> Comparison | None:
    """What moved between two snapshot dates, for the filtered projects."""
    return portfolio.comparison(_evaluator(url, generation), previous_as_of, current_as_of, filters)


@st.cache_resource(show_spinner=False, max_entries=64)
def headline_trends(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Headline figures with quarterly history and the change since the previous quarter."""
    result = evaluated(url, generation, as_of)
    if result is None:
        return pl.DataFrame()
    return portfolio.headline_trends(
        result,
        quarter_headlines(url, generation, filters),
        portfolio_figures(url, generation, as_of, filters),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def attention(url: str, generation: int, as_of: dt.date | None, filters: Filters) -> pl.DataFrame:
    """Watermelons, RAG mismatches, improbable dates and early warnings of the filtered
    projects, with the reason why."""
    return portfolio.attention(filtered_frames(url, generation, as_of, filters))


@st.cache_resource(show_spinner=False, max_entries=64)
def quadrant_counts(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Active projects per quadrant (every quadrant, zero where none)."""
    return portfolio.quadrant_counts(filtered_frames(url, generation, as_of, filters))


@st.cache_resource(show_spinner=False, max_entries=64)
def funnel(url: str, generation: int, as_of: dt.date | None, filters: Filters) -> pl.DataFrame:
    """The commitments funnel (committed, kept, realizing) of the filtered projects."""
    return portfolio.funnel(portfolio_figures(url, generation, as_of, filters))


@st.cache_resource(show_spinner=False, max_entries=64)
def status_mix(
    url: str, generation: int, as_of: dt.date | None, filters: Filters, by: str = "objective"
) -> pl.DataFrame:
    """Benefits per group and status."""
    return portfolio.status_mix(filtered_frames(url, generation, as_of, filters), by)


@st.cache_resource(show_spinner=False, max_entries=64)
def unmeasured_todo(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Due benefits nobody measures, with their owners."""
    return portfolio.unmeasured_todo(
        evaluated(url, generation, as_of), filtered_frames(url, generation, as_of, filters)
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def time_to_value(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Per benefit of delivered projects (days to value or days waiting), a summary, and
    the summary per objective."""
    return portfolio.time_to_value(
        evaluated(url, generation, as_of), filtered_frames(url, generation, as_of, filters)
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def delivery_figures(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """On time, on budget, on scope, slip, overrun and CPI/SPI of the filtered projects."""
    return portfolio.delivery_figures(filtered_frames(url, generation, as_of, filters))


@st.cache_resource(show_spinner=False, max_entries=64)
def delivery_trends(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Delivery figures with their quarterly history and change since the previous quarter."""
    result = evaluated(url, generation, as_of)
    if result is None:
        return pl.DataFrame()
    return portfolio.delivery_trends(
        result,
        quarter_dates(url, generation),
        _evaluator(url, generation),
        filters,
        delivery_figures(url, generation, as_of, filters),
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def trajectories(
    url: str, generation: int, as_of: dt.date | None, benefit_ids: tuple[str, ...]
) -> pl.DataFrame:
    """Expected line and measurements (on or before the date) of the given benefits."""
    return portfolio.trajectories(_store(url), evaluated(url, generation, as_of), benefit_ids)


@st.cache_resource(show_spinner=False, max_entries=32)
def benefit_evidence(
    url: str, generation: int, as_of: dt.date | None, benefit_ids: tuple[str, ...]
) -> pl.DataFrame:
    """Per benefit of `benefit_ids` with a value, what its latest value rests on."""
    points = trajectories(url, generation, as_of, benefit_ids)
    return portfolio.benefit_evidence(_store(url), points, benefit_ids)


@st.cache_resource(show_spinner=False, max_entries=8)
def source_status(url: str, generation: int, today: dt.date) -> pl.DataFrame:
    """Every measurement source in force, with how it last ran and when it is next due."""
    return sources.source_status(_store(url), today)


@st.cache_resource(show_spinner=False, max_entries=8)
def snapshot_projects(url: str, generation: int) -> pl.DataFrame:
    """Every snapshot's evaluated projects, each as of its own date, in one frame."""
    return portfolio.snapshot_projects(snapshot_dates(url, generation), _evaluator(url, generation))


@st.cache_resource(show_spinner=False, max_entries=64)
def project_history(
    url: str, generation: int, project_id: str, upto: dt.date | None
) -> pl.DataFrame:
    """One project's figures in every snapshot up to the date, oldest first."""
    return portfolio.project_history(snapshot_projects(url, generation), project_id, upto)


@st.cache_resource(show_spinner=False, max_entries=64)
def benefit_register(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Benefits of the filtered active projects with their project's context, worst first."""
    return portfolio.benefit_register(
        evaluated(url, generation, as_of), filtered_frames(url, generation, as_of, filters)
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def heading_for_miss(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Benefits of the filtered projects heading for a miss, early warnings first."""
    return portfolio.heading_for_miss(benefit_register(url, generation, as_of, filters))


@st.cache_resource(show_spinner=False, max_entries=64)
def improbable_dates(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Filtered projects whose reported date is improbable, with the chances in words."""
    return portfolio.improbable_dates(
        evaluated(url, generation, as_of), filtered_frames(url, generation, as_of, filters)
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def project_forecast(
    url: str, generation: int, as_of: dt.date | None, project_id: str
) -> ProjectForecast | None:
    """The delivery forecast of one project: its figures, curve and marks."""
    return portfolio.project_forecast(evaluated(url, generation, as_of), project_id)


# Jira flow, for the Delivery and Project views --------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def jira_flow(url: str, generation: int, as_of: dt.date | None) -> pl.DataFrame | None:
    """Per Jira-linked project: throughput, cycle time p50/p85, scope added; None when the
    store has no Jira data."""
    return jira.jira_flow(_store(url), as_of)


@st.cache_data(show_spinner=False, max_entries=32)
def jira_weekly_throughput(url: str, generation: int, as_of: dt.date | None) -> pl.DataFrame | None:
    """Children done per week, the 12 weeks up to the date: project_id, week_end, done."""
    return jira.jira_weekly_throughput(_store(url), as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def jira_children(
    url: str, generation: int, as_of: dt.date | None, jira_key: str
) -> pl.DataFrame | None:
    """The child issues of one epic (or parent) with their state as of the date."""
    return jira.jira_children(_store(url), as_of, jira_key)


# The quarterly review, for the Quarterly review view --------------------------------------


@st.cache_resource(show_spinner=False, max_entries=32)
def review(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> QuarterReview | None:
    """The review of the quarter of `as_of`, as of that date, against the quarters before
    it, for the filtered projects; None without a snapshot."""
    return reviews.review(
        quarter_dates(url, generation), _evaluator(url, generation), as_of, filters
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def story(url: str, generation: int, as_of: dt.date | None, filters: Filters) -> Narrative | None:
    """The review in sentences (briefing.narrative)."""
    found = review(url, generation, as_of, filters)
    return narrative(found) if found is not None else None


@st.cache_data(show_spinner=False, max_entries=16)
def briefing(url: str, generation: int, as_of: dt.date | None, filters: Filters) -> bytes:
    """The PDF briefing (rendered on demand: charts take a few seconds to draw offline)."""
    from briefing.pdf import briefing_pdf

    found = review(url, generation, as_of, filters)
    told = story(url, generation, as_of, filters)
    if found is None or told is None:
        return b""
    return briefing_pdf(found, told)
