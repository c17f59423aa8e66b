"""Outputs per project: did we deliver what we said, when we said, for what we said?"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.settings import Settings
from metrics.common import EPS, days_between, safe_ratio, share_of_span

CRITERIA = ("on_time", "on_budget", "on_scope")


def _with_jira_scope(projects: pl.LazyFrame, jira_scope: pl.LazyFrame | None) -> pl.LazyFrame:
    """Where a Jira-linked project's spreadsheet leaves scope blank, take it from Jira."""
    if jira_scope is None:
        return projects.with_columns(
            pl.when(pl.col("scope_planned").is_not_null())
            .then(pl.lit("sheet"))
            .otherwise(None)
            .alias("scope_source")
        )
    from_jira = pl.col("scope_planned").is_null() & pl.col("jira_scope_planned").is_not_null()
    return (
        projects.join(
            jira_scope.select("jira_key", "jira_scope_planned", "jira_scope_delivered"),
            on="jira_key",
            how="left",
        )
        .with_columns(
            pl.when(from_jira)
            .then(pl.lit("jira"))
            .when(pl.col("scope_planned").is_not_null())
            .then(pl.lit("sheet"))
            .otherwise(None)
            .alias("scope_source"),
            pl.when(from_jira)
            .then(pl.col("jira_scope_planned"))
            .otherwise(pl.col("scope_planned"))
            .alias("scope_planned"),
            pl.when(from_jira)
            .then(pl.col("jira_scope_delivered"))
            .otherwise(pl.col("scope_delivered"))
            .alias("scope_delivered"),
        )
        .drop("jira_scope_planned", "jira_scope_delivered")
    )


def project_outputs(
    projects: pl.LazyFrame,
    as_of: dt.date,
    settings: Settings,
    jira_scope: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """Add the delivery figures of docs/metrics.md ("Outputs: per project") to each project."""
    a = pl.lit(as_of)
    delivered = pl.col("status") == "delivered"
    end_at = (
        pl.when(delivered)
        .then(pl.col("actual_end"))
        .otherwise(pl.max_horizontal(pl.coalesce("forecast_end", "baseline_end"), a))
    )
    eac = (
        pl.when(delivered)
        .then(pl.col("actual_cost"))
        .otherwise(pl.coalesce("forecast_cost", "actual_cost"))
    )
    budget = pl.col("budget")
    elapsed = (
        pl.when(delivered)
        .then(1.0)
        .otherwise(share_of_span(as_of, pl.col("start_date"), pl.col("baseline_end")))
    )
    completion = safe_ratio(pl.col("scope_delivered"), pl.col("scope_planned"))

    staged = (
        _with_jira_scope(projects, jira_scope)
        .with_columns(
            delivered.alias("delivered"),
            (pl.col("status") == "cancelled").alias("cancelled"),
            end_at.alias("end_at"),
            eac.alias("eac"),
            elapsed.alias("elapsed"),
        )
        .with_columns(
            days_between(pl.col("end_at"), pl.col("baseline_end")).alias("slip_days"),
            safe_ratio(pl.col("eac") - budget, budget).alias("cost_variance"),
            completion.alias("completion"),
        )
        .with_columns(
            (pl.col("slip_days") <= settings.schedule_tolerance_days).alias("on_time"),
            (pl.col("cost_variance") <= settings.budget_tolerance + EPS).alias("on_budget"),
            (pl.col("completion") >= settings.scope_tolerance * pl.col("elapsed") - EPS).alias(
                "on_scope"
            ),
            (budget * pl.col("completion").clip(upper_bound=1.0)).alias("ev"),
            (budget * pl.col("elapsed")).alias("pv"),
        )
    )
    known = pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in CRITERIA])
    true = pl.sum_horizontal([pl.col(c).fill_null(False).cast(pl.Int32) for c in CRITERIA])
    return staged.with_columns(
        pl.when(known == 0).then(None).otherwise(true == known).alias("delivery_ok"),
        pl.when(known == 0).then(None).otherwise(true / known).alias("output_score"),
        safe_ratio(pl.col("ev"), pl.col("actual_cost")).alias("cpi"),
        safe_ratio(pl.col("ev"), pl.col("pv")).alias("spi"),
    )
