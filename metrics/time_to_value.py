"""Time to value: how long after delivery half of a benefit shows, and who is still waiting."""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.common import days_between


def time_to_value(projects: pl.LazyFrame, benefits: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """Per benefit of a delivered project: `time_to_value_days` once half the value showed,
    else `waiting_days` since delivery. Longest waits and slowest values first."""
    delivered = projects.filter(pl.col("delivered") & ~pl.col("cancelled")).select(
        "project_id",
        pl.col("name").alias("project_name"),
        "objective",
        "portfolio",
        "sponsor",
        "actual_end",
    )
    reached = pl.col("time_to_value_days").is_not_null()
    return (
        benefits.select(
            "benefit_id", "project_id", "kpi", "owner", "first_value_at", "time_to_value_days"
        )
        .join(delivered, on="project_id", how="inner")
        .with_columns(
            reached.alias("reached"),
            pl.when(reached)
            .then(None)
            .otherwise(days_between(pl.lit(as_of), pl.col("actual_end")))
            .alias("waiting_days"),
        )
        .sort(
            ["reached", "waiting_days", "time_to_value_days"],
            descending=[False, True, True],
            nulls_last=True,
        )
    )


def time_to_value_summary(per_benefit: pl.LazyFrame, by: str | None = None) -> pl.LazyFrame:
    """Median and 85th percentile days to value over benefits that got there, and how many
    are still waiting (one row, or one per value of `by`)."""
    keys = [by] if by else [pl.lit("all").alias("_all")]
    days = pl.col("time_to_value_days").filter(pl.col("reached"))
    frame = per_benefit.group_by(keys).agg(
        pl.col("reached").sum().cast(pl.Int64).alias("n_reached"),
        (~pl.col("reached")).sum().cast(pl.Int64).alias("n_waiting"),
        days.median().alias("median_days"),
        days.quantile(0.85, interpolation="nearest").alias("p85_days"),
        pl.col("waiting_days").max().alias("longest_wait_days"),
    )
    return frame.sort(by) if by else frame.drop("_all")
