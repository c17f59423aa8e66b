"""Outcomes per benefit and per project: did the business get the value it was promised?"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.measure import TYPED
from domain.settings import Settings
from metrics.common import EPS, days_between, share_of_span

STATUSES = ("not_due", "unmeasured", "achieved", "on_track", "at_risk", "off_track")
AT_RISK_STATUSES = ("at_risk", "off_track", "unmeasured")


def _latest_measurement(measurements: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """Per benefit, the measurement with the largest measured_at <= A, and its evidence
    (docs/metrics.md, Evidence: `sourced` or `typed`)."""
    return (
        measurements.filter(pl.col("measured_at") <= as_of)
        .group_by("benefit_id")
        .agg(
            pl.col("value").sort_by("measured_at").last().alias("value"),
            pl.col("evidence").sort_by("measured_at").last().alias("evidence"),
            pl.col("measured_at").max().alias("measured_at"),
            pl.len().alias("n_measurements"),
        )
    )


def _first_value_date(
    benefits: pl.LazyFrame, measurements: pl.LazyFrame, as_of: dt.date
) -> pl.LazyFrame:
    """Per benefit, the first measured_at <= A whose attainment reached 0.5."""
    return (
        measurements.filter(pl.col("measured_at") <= as_of)
        .join(benefits.select("benefit_id", "baseline", "target"), on="benefit_id", how="inner")
        .filter(
            (pl.col("value") - pl.col("baseline")) / (pl.col("target") - pl.col("baseline")) >= 0.5
        )
        .group_by("benefit_id")
        .agg(pl.col("measured_at").min().alias("first_value_at"))
    )


def benefit_outcomes(
    benefits: pl.LazyFrame,
    projects: pl.LazyFrame,
    measurements: pl.LazyFrame,
    as_of: dt.date,
    settings: Settings,
) -> pl.LazyFrame:
    """Add the figures of docs/metrics.md ("Outcomes: per benefit", and the evidence of each
    benefit's latest measurement) to each benefit. Measurements without an `evidence`
    column count as typed."""
    if "evidence" not in measurements.collect_schema().names():
        measurements = measurements.with_columns(pl.lit(TYPED).alias("evidence"))
    a = pl.lit(as_of)
    project_dates = projects.select(
        "project_id",
        pl.col("actual_end").alias("project_actual_end"),
        pl.col("forecast_end").alias("project_forecast_end"),
        pl.col("baseline_end").alias("project_baseline_end"),
    )
    p = pl.col("planned_value")
    attainment = (pl.col("value") - pl.col("baseline")) / (pl.col("target") - pl.col("baseline"))
    stale = days_between(a, pl.col("measured_at")) > settings.stale_after_days
    fresh = pl.col("value").is_not_null() & ~pl.col("stale")
    reached = (pl.col("attainment") >= 1.0).fill_null(False)
    gap = pl.col("expected") - pl.col("attainment")
    status = (
        pl.when((pl.col("start").is_null() | (a < pl.col("start"))) & ~reached)
        .then(pl.lit("not_due"))
        .when(pl.col("value").is_null() | pl.col("stale"))
        .then(pl.lit("unmeasured"))
        .when(reached)
        .then(pl.lit("achieved"))
        .when(gap <= settings.outcome_tolerance + EPS)
        .then(pl.lit("on_track"))
        .when(gap <= settings.outcome_risk_band + EPS)
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("off_track"))
    )
    return (
        benefits.join(project_dates, on="project_id", how="left")
        .join(_latest_measurement(measurements, as_of), on="benefit_id", how="left")
        .join(_first_value_date(benefits, measurements, as_of), on="benefit_id", how="left")
        .with_columns(
            pl.coalesce(
                "start_date", "project_actual_end", "project_forecast_end", "project_baseline_end"
            ).alias("start"),
            attainment.alias("attainment"),
            stale.fill_null(False).alias("stale"),
            pl.col("n_measurements").fill_null(0),
        )
        .with_columns(
            share_of_span(as_of, pl.col("start"), pl.col("target_date")).alias("expected"),
            pl.when(fresh).then(pl.col("attainment")).otherwise(0.0).alias("counted_attainment"),
        )
        .with_columns(
            status.alias("status"),
            (p * pl.col("expected")).alias("expected_value"),
            days_between(pl.col("first_value_at"), pl.col("project_actual_end")).alias(
                "time_to_value_days"
            ),
        )
        .with_columns(
            (pl.col("status") != "not_due").alias("due"),
            # A benefit not due and never measured has no attainment to value: null, not 0.
            pl.when((pl.col("status") == "not_due") & pl.col("value").is_null())
            .then(None)
            .otherwise(p * pl.col("counted_attainment").clip(0.0, 1.0))
            .alias("realized_value"),
        )
        .with_columns(
            # At risk only where the status says so (unknown there without P); else nothing
            # is at risk, whether or not P is known.
            pl.when(pl.col("status").is_in(AT_RISK_STATUSES))
            .then(p - pl.col("realized_value"))
            .otherwise(0.0)
            .alias("value_at_risk"),
        )
    )


def project_outcomes(benefit_outcomes: pl.LazyFrame, settings: Settings) -> pl.LazyFrame:
    """Per project, over its due benefits: outcome_score, expected_score, outcome_ok.

    Weights are planned values; equal weights where no due benefit has one (or all are 0).
    A benefit without a planned value then weighs nothing beside those that have one.
    """
    due = pl.col("due")
    money = pl.col("planned_value").fill_null(0.0)
    use_money = (money.filter(due).sum().over("project_id")) > 0
    weight = pl.when(~due).then(0.0).when(use_money).then(money).otherwise(1.0)
    weighted = benefit_outcomes.with_columns(weight.alias("_w"))
    total = pl.col("_w").sum()
    return (
        weighted.group_by("project_id")
        .agg(
            pl.len().alias("n_benefits"),
            due.sum().alias("n_due"),
            (pl.col("status") == "unmeasured").sum().alias("n_unmeasured"),
            pl.when(total > 0)
            .then((pl.col("_w") * pl.col("counted_attainment").clip(0.0, 1.0)).sum() / total)
            .otherwise(None)
            .alias("outcome_score"),
            pl.when(total > 0)
            .then((pl.col("_w") * pl.col("expected")).sum() / total)
            .otherwise(None)
            .alias("expected_score"),
        )
        .with_columns(
            (
                pl.col("expected_score") - pl.col("outcome_score")
                <= settings.outcome_tolerance + EPS
            ).alias("outcome_ok")
        )
    )
