"""Which sources are due, and how each is doing: pure Polars over the sources in force and
the results of earlier runs.

A source is due when it never gave a value, when its query changed since its last value,
or when its schedule's period has passed since the date of its last value (daily: a day,
weekly: seven days, monthly: a calendar month). A failure does not count as a run: a
failing source is tried again at every run until it gives a value.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

PERIODS = {"daily": "1d", "weekly": "7d", "monthly": "1mo"}


def last_values(results: pl.DataFrame) -> pl.DataFrame:
    """Per benefit, the date and query hash of its last value (runs newest first)."""
    return (
        results.filter(pl.col("error").is_null())
        .sort("measured_at", "run_id", descending=True)
        .group_by("benefit_id", maintain_order=True)
        .first()
        .select(
            "benefit_id",
            pl.col("measured_at").alias("last_value_at"),
            pl.col("query_hash").alias("last_value_hash"),
        )
    )


def next_due(schedule: pl.Expr, last: pl.Expr) -> pl.Expr:
    """The first date a source with this schedule and last value date is due again."""
    expr = pl.lit(None, pl.Date)
    for name, period in PERIODS.items():
        expr = pl.when(schedule == name).then(last.dt.offset_by(period)).otherwise(expr)
    return expr


def with_due(sources: pl.DataFrame, results: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """The sources (with their `query_hash`) with `last_value_at`, `next_due` and `due` as
    of a date."""
    last = last_values(results)
    return (
        sources.join(last, on="benefit_id", how="left")
        .with_columns(
            pl.when(pl.col("last_value_hash") == pl.col("query_hash"))
            .then(next_due(pl.col("schedule"), pl.col("last_value_at")))
            .otherwise(None)
            .alias("next_due")
        )
        .with_columns((pl.col("next_due").is_null() | (pl.col("next_due") <= as_of)).alias("due"))
        .drop("last_value_hash")
    )


def source_status(
    sources: pl.DataFrame, results: pl.DataFrame, owners: pl.DataFrame, as_of: dt.date
) -> pl.DataFrame:
    """Per source in force: its definition, owner, last result (value or error, when it
    ran), since when it fails (the first failure after its last value; null when its
    last result is a value), and when it is next due. Failing sources first."""
    latest = (
        results.sort("run_id", descending=True)
        .group_by("benefit_id", maintain_order=True)
        .first()
        .select(
            "benefit_id",
            pl.col("ran_at").alias("last_ran_at"),
            pl.col("value").alias("last_value"),
            pl.col("error").alias("last_error"),
        )
    )
    last_ok = (
        results.filter(pl.col("error").is_null())
        .group_by("benefit_id")
        .agg(pl.col("run_id").max().alias("_ok_run"))
    )
    failing_since = (
        results.join(last_ok, on="benefit_id", how="left")
        .filter(
            pl.col("error").is_not_null() & (pl.col("run_id") > pl.col("_ok_run").fill_null(-1))
        )
        .group_by("benefit_id")
        .agg(pl.col("ran_at").min().alias("failing_since"))
    )
    return (
        with_due(sources, results, as_of)
        .join(owners, on="benefit_id", how="left")
        .join(latest, on="benefit_id", how="left")
        .join(failing_since, on="benefit_id", how="left")
        .with_columns(pl.col("last_error").is_not_null().alias("failing"))
        .sort("failing", "benefit_id", descending=[True, False])
    )
