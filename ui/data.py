"""Cached reads and metric results, keyed by store URL, store generation and date.

A write to the store appends to its audit log and so changes the generation: every
cache entry made before it is no longer asked for.

Frames are cached as shared resources, not copied on every read (`st.cache_data` would
unpickle a copy per call: 5 to 10 ms each, a dozen calls per page). Polars frames are
immutable through every API this app uses: never modify a returned frame in place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from domain.settings import Settings
from metrics.evaluate import Evaluation, evaluate
from metrics.portfolio import PORTFOLIO_KEYS
from store import Store, open_store
from store.location import resolve_url
from ui.shell.app_args import db_argument


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
    frame = _store(url).portfolio_snapshots()
    return frame.get_column("as_of").to_list()


@st.cache_data(show_spinner=False, max_entries=64)
def shown_currency(url: str, generation: int, as_of: dt.date | None) -> str:
    """The currency amounts as of a date are shown in (the snapshot's own, else the
    display currency, else the deployment's); a write changes the generation."""
    return _store(url).shown_currency(as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def snapshot_currencies(url: str, generation: int) -> dict[dt.date, str]:
    """The currency of each active portfolio snapshot's amounts, by as-of date."""
    current = _store(url)
    fallback = current.shown_currency(dt.date.min)  # no snapshot that early: the display one
    frame = current.portfolio_snapshots()
    return {day: code or fallback for day, code in frame.select("as_of", "currency").iter_rows()}


@dataclass(frozen=True)
class Evaluated:
    """Collected metric results for one date: what pages lay out."""

    as_of: dt.date
    snapshot_as_of: dt.date | None
    settings: Settings
    projects: pl.DataFrame
    benefits: pl.DataFrame


@st.cache_resource(show_spinner=False, max_entries=4)
def measurement_series(url: str, generation: int) -> pl.DataFrame:
    """The whole measurement series, read once per store generation and shared by every
    date a page evaluates (the quarters behind the sparklines, the review's history)."""
    return _store(url).measurements(with_source=False)


@st.cache_resource(show_spinner=False, max_entries=32)
def evaluated(url: str, generation: int, as_of: dt.date | None) -> Evaluated | None:
    """Every per-project and per-benefit figure as of a date; None when there is no data."""
    current = _store(url)
    portfolio = current.portfolio_input(as_of, measurement_series(url, generation))
    if portfolio is None:
        return None
    settings = current.settings()
    evaluation = evaluate(portfolio, settings)
    projects, benefits = pl.collect_all([evaluation.projects, evaluation.benefits])
    return Evaluated(portfolio.as_of, portfolio.snapshot_as_of, settings, projects, benefits)


def _as_evaluation(result: Evaluated) -> Evaluation:
    return Evaluation(result.as_of, result.projects.lazy(), result.benefits.lazy())


@st.cache_resource(show_spinner=False, max_entries=128)
def portfolio_figures(
    url: str,
    generation: int,
    as_of: dt.date | None,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
    by: str | None = None,
) -> pl.DataFrame:
    """Portfolio figures of the filtered projects (one row, or one per group)."""
    result = evaluated(url, generation, as_of)
    if result is None:
        return pl.DataFrame(schema={k: pl.Float64 for k in PORTFOLIO_KEYS})
    evaluation = _as_evaluation(result).filtered(**{k: list(v) for k, v in filters})
    return evaluation.portfolio(by).collect()


@st.cache_resource(show_spinner=False, max_entries=128)
def filtered_frames(
    url: str,
    generation: int,
    as_of: dt.date | None,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """Evaluated projects and benefits restricted to the filters."""
    result = evaluated(url, generation, as_of)
    if result is None:
        return None
    evaluation = _as_evaluation(result).filtered(**{k: list(v) for k, v in filters})
    projects, benefits = pl.collect_all([evaluation.projects, evaluation.benefits])
    return projects, benefits


@st.cache_data(show_spinner=False, max_entries=16)
def quarter_dates(url: str, generation: int) -> dict[str, dt.date]:
    """Quarter label -> as-of date of the latest snapshot in that quarter, oldest first."""
    from metrics.trends import quarter_snapshots

    snapshots = _store(url).portfolio_snapshots()
    frame = quarter_snapshots(snapshots.lazy()).collect()
    return dict(frame.select("quarter", "as_of").iter_rows())


def filtered_evaluation(
    url: str,
    generation: int,
    as_of: dt.date,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
) -> Evaluation | None:
    result = evaluated(url, generation, as_of)
    if result is None:
        return None
    return _as_evaluation(result).filtered(**{k: list(v) for k, v in filters})


@st.cache_resource(show_spinner=False, max_entries=64)
def quarter_headlines(
    url: str, generation: int, filters: tuple[tuple[str, tuple[str, ...]], ...]
) -> pl.DataFrame:
    """Portfolio figures per quarter for the filtered projects (sparklines, deltas)."""
    from metrics.trends import quarter_series

    evaluations = {}
    for quarter, as_of in quarter_dates(url, generation).items():
        evaluation = filtered_evaluation(url, generation, as_of, filters)
        if evaluation is not None:
            evaluations[quarter] = evaluation
    return quarter_series(evaluations).collect()


@dataclass(frozen=True)
class Comparison:
    """A collected metrics.trends.QuarterComparison between two dates."""

    previous_as_of: dt.date
    current_as_of: dt.date
    headline: pl.DataFrame
    quadrant_moves: pl.DataFrame
    status_changes: pl.DataFrame
    started: pl.DataFrame
    delivered: pl.DataFrame
    cancelled: pl.DataFrame


@st.cache_resource(show_spinner=False, max_entries=64)
def comparison(
    url: str,
    generation: int,
    previous_as_of: dt.date,
    current_as_of: dt.date,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
) -> Comparison | None:
    """What moved between two snapshot dates, for the filtered projects."""
    from metrics.trends import compare

    before = filtered_evaluation(url, generation, previous_as_of, filters)
    after = filtered_evaluation(url, generation, current_as_of, filters)
    if before is None or after is None:
        return None
    result = compare(before, after)
    frames = pl.collect_all(
        [
            result.headline,
            result.quadrant_moves,
            result.status_changes,
            result.started,
            result.delivered,
            result.cancelled,
        ]
    )
    return Comparison(previous_as_of, current_as_of, *frames)


# Figures the pages lay out, each from one metrics/ function --------------------------------
Filters = tuple[tuple[str, tuple[str, ...]], ...]


@st.cache_resource(show_spinner=False, max_entries=64)
def headline_trends(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Headline figures with quarterly history and the change since the previous quarter."""
    from metrics.headline import headline_trends as trends

    result = evaluated(url, generation, as_of)
    if result is None:
        return pl.DataFrame()
    series = quarter_headlines(url, generation, filters)
    current = portfolio_figures(url, generation, as_of, filters)
    return trends(series.lazy(), current.lazy(), result.as_of).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def attention(url: str, generation: int, as_of: dt.date | None, filters: Filters) -> pl.DataFrame:
    """Watermelons, RAG mismatches, improbable dates and early warnings of the filtered
    projects, with the reason why."""
    from metrics.attention import needs_attention

    frames = filtered_frames(url, generation, as_of, filters)
    if frames is None:
        return pl.DataFrame()
    return needs_attention(frames[0].lazy(), frames[1].lazy()).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def quadrant_counts(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Active projects per quadrant (every quadrant, zero where none)."""
    from metrics.attention import quadrant_counts as counts

    frames = filtered_frames(url, generation, as_of, filters)
    if frames is None:
        return pl.DataFrame()
    return counts(frames[0].lazy()).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def funnel(url: str, generation: int, as_of: dt.date | None, filters: Filters) -> pl.DataFrame:
    """The commitments funnel (committed, kept, realizing) of the filtered projects."""
    from metrics.funnel import commitments_funnel

    return commitments_funnel(portfolio_figures(url, generation, as_of, filters).lazy()).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def status_mix(
    url: str, generation: int, as_of: dt.date | None, filters: Filters, by: str = "objective"
) -> pl.DataFrame:
    """Benefits per group and status."""
    from metrics.benefit_mix import status_mix as mix

    frames = filtered_frames(url, generation, as_of, filters)
    if frames is None:
        return pl.DataFrame()
    return mix(frames[0].lazy(), frames[1].lazy(), by).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def unmeasured_todo(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Due benefits nobody measures, with their owners."""
    from metrics.todo import unmeasured_todo as todo

    result = evaluated(url, generation, as_of)
    frames = filtered_frames(url, generation, as_of, filters)
    if result is None or frames is None:
        return pl.DataFrame()
    return todo(frames[0].lazy(), frames[1].lazy(), result.as_of).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def time_to_value(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Per benefit of delivered projects (days to value or days waiting), a summary, and
    the summary per objective."""
    from metrics.time_to_value import time_to_value as per_benefit
    from metrics.time_to_value import time_to_value_summary

    result = evaluated(url, generation, as_of)
    frames = filtered_frames(url, generation, as_of, filters)
    if result is None or frames is None:
        return pl.DataFrame(), pl.DataFrame(), pl.DataFrame()
    rows = per_benefit(frames[0].lazy(), frames[1].lazy(), result.as_of)
    detail, summary, by_objective = pl.collect_all(
        [rows, time_to_value_summary(rows), time_to_value_summary(rows, "objective")]
    )
    return detail, summary, by_objective


@st.cache_resource(show_spinner=False, max_entries=64)
def delivery_figures(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """On time, on budget, on scope, slip, overrun and CPI/SPI of the filtered projects."""
    from metrics.delivery import delivery_figures as figures

    frames = filtered_frames(url, generation, as_of, filters)
    if frames is None:
        return pl.DataFrame()
    return figures(frames[0].lazy()).collect()


@st.cache_resource(show_spinner=False, max_entries=32)
def trajectories(
    url: str, generation: int, as_of: dt.date | None, benefit_ids: tuple[str, ...]
) -> pl.DataFrame:
    """Expected line and measurements (on or before the date) of the given benefits."""
    from metrics.trajectory import trajectory

    result = evaluated(url, generation, as_of)
    if result is None:
        return pl.DataFrame()
    chosen = result.benefits.lazy().filter(pl.col("benefit_id").is_in(list(benefit_ids)))
    measurements = _store(url).measurements(upto=result.as_of).lazy()
    return trajectory(chosen, measurements).collect()


@st.cache_resource(show_spinner=False, max_entries=32)
def benefit_evidence(
    url: str, generation: int, as_of: dt.date | None, benefit_ids: tuple[str, ...]
) -> pl.DataFrame:
    """Per benefit of `benefit_ids` with a value, what its latest value rests on:
    `evidence` (sourced or typed), `measured_by` in words ("Sourced · sql: warehouse") and,
    for a sourced one, its `provenance` (when the run measured it, the query's hash and
    the raw result)."""
    from domain.measure import evidence_text, provenance_text
    from metrics.trajectory import latest_evidence

    points = trajectories(url, generation, as_of, benefit_ids)
    if points.height == 0:
        return pl.DataFrame(
            schema={
                "benefit_id": pl.String,
                "evidence": pl.String,
                "measured_by": pl.String,
                "provenance": pl.String,
            }
        )
    runs = (
        _store(url)
        .measurement_provenance()
        .filter(pl.col("benefit_id").is_in(list(benefit_ids)))
        .select("benefit_id", "measured_at", "ran_at", "query_hash", "raw_result")
    )
    return (
        latest_evidence(points)
        .join(runs, on=["benefit_id", "measured_at"], how="left")
        .select(
            "benefit_id",
            "evidence",
            evidence_text(pl.col("evidence"), pl.col("source")).alias("measured_by"),
            provenance_text(pl.col("ran_at"), pl.col("query_hash"), pl.col("raw_result")).alias(
                "provenance"
            ),
        )
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def source_status(url: str, generation: int, today: dt.date) -> pl.DataFrame:
    """Every measurement source in force, with its owner, last value or error, since when
    it fails and when it is next due (the Data page's list; failing ones first)."""
    from connectors.measure.run import sources_overview

    return sources_overview(_store(url), today)


@st.cache_resource(show_spinner=False, max_entries=8)
def snapshot_projects(url: str, generation: int) -> pl.DataFrame:
    """Every snapshot's evaluated projects, each as of its own date, in one frame."""
    from metrics.history import stack_projects

    evaluations = {}
    for as_of in snapshot_dates(url, generation):
        result = evaluated(url, generation, as_of)
        if result is not None:
            evaluations[as_of] = _as_evaluation(result)
    return stack_projects(evaluations).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def project_history(
    url: str, generation: int, project_id: str, upto: dt.date | None
) -> pl.DataFrame:
    """One project's figures in every snapshot up to the date, oldest first."""
    from metrics.history import project_history as history
    from metrics.history import with_changes

    rows = history(snapshot_projects(url, generation).lazy(), project_id, upto)
    return with_changes(rows).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def benefit_register(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Benefits of the filtered active projects with their project's context, worst first."""
    from metrics.forecast_words import benefit_forecast_notes
    from metrics.register import benefit_register as register

    result = evaluated(url, generation, as_of)
    frames = filtered_frames(url, generation, as_of, filters)
    if result is None or frames is None:
        return pl.DataFrame()
    rows = register(frames[0].lazy(), frames[1].lazy())
    return rows.with_columns(*benefit_forecast_notes(result.settings)).collect()


@st.cache_resource(show_spinner=False, max_entries=64)
def heading_for_miss(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Benefits of the filtered projects heading for a miss, early warnings first."""
    from metrics.forecast_lists import heading_for_miss as misses

    register = benefit_register(url, generation, as_of, filters)
    return misses(register.lazy()).collect() if register.width else register


@st.cache_resource(show_spinner=False, max_entries=64)
def improbable_dates(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Filtered projects whose reported date is improbable, with the chances in words."""
    from metrics.forecast_lists import improbable_dates as improbable
    from metrics.forecast_words import delivery_chances

    result = evaluated(url, generation, as_of)
    frames = filtered_frames(url, generation, as_of, filters)
    if result is None or frames is None:
        return pl.DataFrame()
    rows = frames[0].lazy().with_columns(*delivery_chances(result.settings))
    return improbable(rows).collect()


@dataclass(frozen=True)
class ProjectForecast:
    """One project's delivery forecast as the Project page draws it."""

    as_of: dt.date
    facts: dict[str, Any]  # its figures (remaining, finish_p50, ...) and their sentences
    curve: pl.DataFrame  # metrics.forecast_words.finish_curve
    marks: pl.DataFrame  # metrics.forecast_words.finish_marks


@st.cache_resource(show_spinner=False, max_entries=64)
def project_forecast(
    url: str, generation: int, as_of: dt.date | None, project_id: str
) -> ProjectForecast | None:
    """The delivery forecast of one project: its figures, curve and marks."""
    from metrics.forecast_words import delivery_chances, finish_curve, finish_marks

    result = evaluated(url, generation, as_of)
    if result is None:
        return None
    one = result.projects.lazy().filter(pl.col("project_id") == project_id)
    facts, curve, marks = pl.collect_all(
        [
            one.with_columns(*delivery_chances(result.settings)),
            finish_curve(one, result.as_of),
            finish_marks(one),
        ]
    )
    if facts.height == 0:
        return None
    return ProjectForecast(result.as_of, facts.row(0, named=True), curve, marks)


@st.cache_resource(show_spinner=False, max_entries=64)
def delivery_trends(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> pl.DataFrame:
    """Delivery figures with their quarterly history and change since the previous quarter."""
    from metrics.delivery import DELIVERY_KEYS, delivery_series
    from metrics.headline import figure_trends

    result = evaluated(url, generation, as_of)
    if result is None:
        return pl.DataFrame()
    evaluations = {}
    for quarter, day in quarter_dates(url, generation).items():
        evaluation = filtered_evaluation(url, generation, day, filters)
        if evaluation is not None:
            evaluations[quarter] = evaluation
    current = delivery_figures(url, generation, as_of, filters).lazy()
    return figure_trends(
        delivery_series(evaluations), current, result.as_of, DELIVERY_KEYS
    ).collect()
