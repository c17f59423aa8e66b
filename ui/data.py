"""Cached reads and metric results, keyed by store URL, store generation and date.

A write to the store appends to its audit log and so changes the generation: every
cache entry made before it is no longer asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import streamlit as st

from domain.settings import Settings
from metrics.evaluate import Evaluation, evaluate
from metrics.portfolio import PORTFOLIO_KEYS
from store import Store, open_store
from store.location import resolve_url
from ui.app_args import db_argument


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return open_store(url)


def store() -> Store:
    """The store this app serves (--db, COCKPIT_DB, or data/cockpit.duckdb)."""
    return _store(resolve_url(db_argument()))


def store_key() -> tuple[str, int]:
    """(url, generation): the part of every cache key that says which data it is."""
    current = store()
    return current.url, current.generation()


@st.cache_data(show_spinner=False, max_entries=16)
def snapshot_dates(url: str, generation: int) -> list[dt.date]:
    """As-of dates of the active portfolio snapshots, oldest first."""
    frame = _store(url).portfolio_snapshots()
    return frame.get_column("as_of").to_list()


@dataclass(frozen=True)
class Evaluated:
    """Collected metric results for one date: what pages lay out."""

    as_of: dt.date
    snapshot_as_of: dt.date | None
    settings: Settings
    projects: pl.DataFrame
    benefits: pl.DataFrame


@st.cache_data(show_spinner=False, max_entries=32)
def evaluated(url: str, generation: int, as_of: dt.date | None) -> Evaluated | None:
    """Every per-project and per-benefit figure as of a date; None when there is no data."""
    current = _store(url)
    portfolio = current.portfolio_input(as_of)
    if portfolio is None:
        return None
    settings = current.settings()
    evaluation = evaluate(portfolio, settings)
    projects, benefits = pl.collect_all([evaluation.projects, evaluation.benefits])
    return Evaluated(portfolio.as_of, portfolio.snapshot_as_of, settings, projects, benefits)


def _as_evaluation(result: Evaluated) -> Evaluation:
    return Evaluation(result.as_of, result.projects.lazy(), result.benefits.lazy())


@st.cache_data(show_spinner=False, max_entries=128)
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


@st.cache_data(show_spinner=False, max_entries=128)
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


def _filtered_evaluation(
    url: str,
    generation: int,
    as_of: dt.date,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
) -> Evaluation | None:
    result = evaluated(url, generation, as_of)
    if result is None:
        return None
    return _as_evaluation(result).filtered(**{k: list(v) for k, v in filters})


@st.cache_data(show_spinner=False, max_entries=64)
def quarter_headlines(
    url: str, generation: int, filters: tuple[tuple[str, tuple[str, ...]], ...]
) -> pl.DataFrame:
    """Portfolio figures per quarter for the filtered projects (sparklines, deltas)."""
    from metrics.trends import quarter_series

    evaluations = {}
    for quarter, as_of in quarter_dates(url, generation).items():
        evaluation = _filtered_evaluation(url, generation, as_of, filters)
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


@st.cache_data(show_spinner=False, max_entries=64)
def comparison(
    url: str,
    generation: int,
    previous_as_of: dt.date,
    current_as_of: dt.date,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
) -> Comparison | None:
    """What moved between two snapshot dates, for the filtered projects."""
    from metrics.trends import compare

    before = _filtered_evaluation(url, generation, previous_as_of, filters)
    after = _filtered_evaluation(url, generation, current_as_of, filters)
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
