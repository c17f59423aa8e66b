"""What the Portfolio views show (Overview, Outcomes, Delivery, Project), each from one
metrics/ function applied to an evaluation. The app caches every function here by its
inputs (ui/cache.py); each takes what another already computed, so a figure computed
once for a view is not computed again for the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from domain.measure import evidence_text, provenance_text
from domain.quarters import previous_quarter, quarter_of
from metrics.attention import needs_attention
from metrics.attention import quadrant_counts as count_quadrants
from metrics.benefit_mix import status_mix as mix_of_statuses
from metrics.delivery import DELIVERY_KEYS, delivery_series
from metrics.delivery import delivery_figures as figures_of_delivery
from metrics.forecast_lists import heading_for_miss as misses_of
from metrics.forecast_lists import improbable_dates as improbable
from metrics.forecast_words import (
    benefit_forecast_notes,
    delivery_chances,
    finish_curve,
    finish_marks,
)
from metrics.funnel import commitments_funnel
from metrics.headline import figure_trends
from metrics.headline import headline_trends as trends_of_headlines
from metrics.history import project_history as history_of_project
from metrics.history import stack_projects, with_changes
from metrics.portfolio import PORTFOLIO_KEYS
from metrics.register import benefit_register as register_of_benefits
from metrics.time_to_value import time_to_value as per_benefit_time_to_value
from metrics.time_to_value import time_to_value_summary
from metrics.todo import unmeasured_todo as todo_of_unmeasured
from metrics.trajectory import latest_evidence, trajectory
from metrics.trends import compare, quarter_series
from service.evaluated import (
    Evaluated,
    Evaluator,
    Filters,
    filtered_evaluation,
    quarter_evaluations,
    snapshot_evaluations,
)
from store import Store

Frames = tuple[pl.DataFrame, pl.DataFrame]  # evaluated projects and benefits of a slice


def since_quarter(as_of: dt.date) -> str:
    """The quarter the views' arrows compare with: the one before the date's."""
    return previous_quarter(quarter_of(as_of))


def portfolio_figures(
    result: Evaluated | None, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Portfolio figures of the filtered projects (one row, or one per group)."""
    if result is None:
        return pl.DataFrame(schema={k: pl.Float64 for k in PORTFOLIO_KEYS})
    return result.evaluation(filters).portfolio(by).collect()


def filtered_frames(result: Evaluated | None, filters: Filters) -> Frames | None:
    """Evaluated projects and benefits restricted to the filters."""
    if result is None:
        return None
    evaluation = result.evaluation(filters)
    projects, benefits = pl.collect_all([evaluation.projects, evaluation.benefits])
    return projects, benefits


def quarter_headlines(
    quarters: Mapping[str, dt.date], evaluated: Evaluator, filters: Filters
) -> pl.DataFrame:
    """Portfolio figures per quarter for the filtered projects (sparklines, deltas)."""
    return quarter_series(quarter_evaluations(quarters, evaluated, filters)).collect()


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


def comparison(
    evaluated: Evaluator, previous_as_of: dt.date, current_as_of: dt.date, filters: Filters
) -> Comparison | None:
    """What moved between two snapshot dates, for the filtered projects."""
    before = filtered_evaluation(evaluated, previous_as_of, filters)
    after = filtered_evaluation(evaluated, current_as_of, filters)
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


def headline_trends(
    result: Evaluated | None, series: pl.DataFrame, current: pl.DataFrame
) -> pl.DataFrame:
    """Headline figures with quarterly history (`series`: quarter_headlines) and the
    change since the previous quarter (`current`: portfolio_figures)."""
    if result is None:
        return pl.DataFrame()
    return trends_of_headlines(series.lazy(), current.lazy(), result.as_of).collect()


def attention(frames: Frames | None) -> pl.DataFrame:
    """Watermelons, RAG mismatches, improbable dates and early warnings of the filtered
    projects, with the reason why."""
    if frames is None:
        return pl.DataFrame()
    return needs_attention(frames[0].lazy(), frames[1].lazy()).collect()


def quadrant_counts(frames: Frames | None) -> pl.DataFrame:
    """Active projects per quadrant (every quadrant, zero where none)."""
    if frames is None:
        return pl.DataFrame()
    return count_quadrants(frames[0].lazy()).collect()


def funnel(figures: pl.DataFrame) -> pl.DataFrame:
    """The commitments funnel (committed, kept, realizing) of portfolio_figures."""
    return commitments_funnel(figures.lazy()).collect()


def status_mix(frames: Frames | None, by: str = "objective") -> pl.DataFrame:
    """Benefits per group and status."""
    if frames is None:
        return pl.DataFrame()
    return mix_of_statuses(frames[0].lazy(), frames[1].lazy(), by).collect()


def unmeasured_todo(result: Evaluated | None, frames: Frames | None) -> pl.DataFrame:
    """Due benefits nobody measures, with their owners."""
    if result is None or frames is None:
        return pl.DataFrame()
    return todo_of_unmeasured(frames[0].lazy(), frames[1].lazy(), result.as_of).collect()


def time_to_value(
    result: Evaluated | None, frames: Frames | None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Per benefit of delivered projects (days to value or days waiting), a summary, and
    the summary per objective."""
    if result is None or frames is None:
        return pl.DataFrame(), pl.DataFrame(), pl.DataFrame()
    rows = per_benefit_time_to_value(frames[0].lazy(), frames[1].lazy(), result.as_of)
    detail, summary, by_objective = pl.collect_all(
        [rows, time_to_value_summary(rows), time_to_value_summary(rows, "objective")]
    )
    return detail, summary, by_objective


def delivery_figures(frames: Frames | None) -> pl.DataFrame:
    """On time, on budget, on scope, slip, overrun and CPI/SPI of the filtered projects."""
    if frames is None:
        return pl.DataFrame()
    return figures_of_delivery(frames[0].lazy()).collect()


def delivery_trends(
    result: Evaluated | None,
    quarters: Mapping[str, dt.date],
    evaluated: Evaluator,
    filters: Filters,
    current: pl.DataFrame,
) -> pl.DataFrame:
    """Delivery figures with their quarterly history and change since the previous quarter
    (`current`: delivery_figures of the view)."""
    if result is None:
        return pl.DataFrame()
    evaluations = quarter_evaluations(quarters, evaluated, filters)
    return figure_trends(
        delivery_series(evaluations), current.lazy(), result.as_of, DELIVERY_KEYS
    ).collect()


def trajectories(
    store: Store, result: Evaluated | None, benefit_ids: tuple[str, ...]
) -> pl.DataFrame:
    """Expected line and measurements (on or before the date) of the given benefits."""
    if result is None:
        return pl.DataFrame()
    chosen = result.benefits.lazy().filter(pl.col("benefit_id").is_in(list(benefit_ids)))
    measurements = store.measurements(upto=result.as_of).lazy()
    return trajectory(chosen, measurements).collect()


def benefit_evidence(
    store: Store, points: pl.DataFrame, benefit_ids: tuple[str, ...]
) -> pl.DataFrame:
    """Per benefit with a value among `points` (trajectories), what its latest value rests
    on: `evidence` (sourced or typed), `measured_by` in words ("Sourced · sql: warehouse")
    and, for a sourced one, its `provenance` (when the run measured it, the query's hash
    and the raw result)."""
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
        store.measurement_provenance()
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


def heading_for_miss(register: pl.DataFrame) -> pl.DataFrame:
    """Benefits of the register (benefit_register) heading for a miss, early warnings first."""
    return misses_of(register.lazy()).collect() if register.width else register


def improbable_dates(result: Evaluated | None, frames: Frames | None) -> pl.DataFrame:
    """Filtered projects whose reported date is improbable, with the chances in words."""
    if result is None or frames is None:
        return pl.DataFrame()
    rows = frames[0].lazy().with_columns(*delivery_chances(result.settings))
    return improbable(rows).collect()


def snapshot_projects(dates: list[dt.date], evaluated: Evaluator) -> pl.DataFrame:
    """Every snapshot's evaluated projects, each as of its own date, in one frame."""
    return stack_projects(snapshot_evaluations(dates, evaluated)).collect()


def project_history(snapshots: pl.DataFrame, project_id: str, upto: dt.date | None) -> pl.DataFrame:
    """One project's figures in every snapshot (`snapshots`: snapshot_projects) up to the
    date, oldest first."""
    return with_changes(history_of_project(snapshots.lazy(), project_id, upto)).collect()


def benefit_register(result: Evaluated | None, frames: Frames | None) -> pl.DataFrame:
    """Benefits of the filtered active projects with their project's context, worst first."""
    if result is None or frames is None:
        return pl.DataFrame()
    rows = register_of_benefits(frames[0].lazy(), frames[1].lazy())
    return rows.with_columns(*benefit_forecast_notes(result.settings)).collect()


@dataclass(frozen=True)
class ProjectForecast:
    """One project's delivery forecast as the Project view draws it."""

    as_of: dt.date
    facts: dict[str, Any]  # its figures (remaining, finish_p50, ...) and their sentences
    curve: pl.DataFrame  # metrics.forecast_words.finish_curve
    marks: pl.DataFrame  # metrics.forecast_words.finish_marks


def project_forecast(result: Evaluated | None, project_id: str) -> ProjectForecast | None:
    """The delivery forecast of one project: its figures, curve and marks."""
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
