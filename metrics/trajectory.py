"""A benefit's trajectory: the straight expected line and the measured points, in KPI units."""

from __future__ import annotations

import polars as pl


def trajectory(benefits: pl.LazyFrame, measurements: pl.LazyFrame) -> pl.LazyFrame:
    """Long frame per benefit: `series` is "expected" (two points: baseline at the start,
    target at the target date) or "measured" (every measurement on or before A, in date
    order), with `value` in KPI units and `attainment` (0 at baseline, 1 at target)."""
    keys = benefits.select("benefit_id", "baseline", "target", "start", "target_date")
    span = pl.col("target") - pl.col("baseline")
    expected = pl.concat(
        [
            keys.select(
                "benefit_id",
                pl.col("start").alias("date"),
                pl.col("baseline").alias("value"),
                pl.lit(0.0).alias("attainment"),
            ),
            keys.select(
                "benefit_id",
                pl.col("target_date").alias("date"),
                pl.col("target").alias("value"),
                pl.lit(1.0).alias("attainment"),
            ),
        ]
    ).with_columns(pl.lit("expected").alias("series"))
    measured = (
        measurements.select("benefit_id", "measured_at", "value")
        .join(keys, on="benefit_id", how="inner")
        .select(
            "benefit_id",
            pl.col("measured_at").alias("date"),
            "value",
            ((pl.col("value") - pl.col("baseline")) / span).alias("attainment"),
            pl.lit("measured").alias("series"),
        )
    )
    return (
        pl.concat([expected, measured], how="vertical_relaxed")
        .drop_nulls("date")
        .select("benefit_id", "series", "date", "value", "attainment")
        .sort("benefit_id", "series", "date")
    )
