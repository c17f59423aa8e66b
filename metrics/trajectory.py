"""A benefit's trajectory: the straight expected line and the measured points, in KPI units."""

from __future__ import annotations

import polars as pl


def trajectory(benefits: pl.LazyFrame, measurements: pl.LazyFrame) -> pl.LazyFrame:
    """Long frame per benefit: `series` is "expected" (two points: baseline at the start,
    target at the target date), "measured" (every measurement on or before A, in date
    order) or "trend" (two points: the benefit forecast's Theil-Sen line at the start and
    at the target date, where it has one), with `value` in KPI units and `attainment` (0 at
    baseline, 1 at target).
    Measured points keep the measurement's `source` and `evidence` when it has them (null
    on the other series)."""
    keys = benefits.select("benefit_id", "baseline", "target", "start", "target_date")
    span = pl.col("target") - pl.col("baseline")
    fitted = benefits.filter(pl.col("forecast_attainment").is_not_null()).select(
        "benefit_id", "baseline", "target", "start", "target_date", "c", "forecast_attainment"
    )
    trend = pl.concat(
        [
            fitted.select(
                "benefit_id",
                pl.col(day).alias("date"),
                pl.col(share).alias("attainment"),
                "baseline",
                "target",
            )
            for day, share in (("start", "c"), ("target_date", "forecast_attainment"))
        ]
    ).select(
        "benefit_id",
        "date",
        (pl.col("baseline") + pl.col("attainment") * span).alias("value"),
        "attainment",
        pl.lit("trend").alias("series"),
    )
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
    names = measurements.collect_schema().names()
    carried = [
        pl.col(c) if c in names else pl.lit(None, pl.String).alias(c)
        for c in ("source", "evidence")
    ]
    measured = (
        measurements.select("benefit_id", "measured_at", "value", *carried)
        .join(keys, on="benefit_id", how="inner")
        .select(
            "benefit_id",
            pl.col("measured_at").alias("date"),
            "value",
            ((pl.col("value") - pl.col("baseline")) / span).alias("attainment"),
            pl.lit("measured").alias("series"),
            "source",
            "evidence",
        )
    )
    return (
        pl.concat([expected, measured, trend], how="diagonal_relaxed")
        .drop_nulls("date")
        .select("benefit_id", "series", "date", "value", "attainment", "source", "evidence")
        .sort("benefit_id", "series", "date")
    )


def latest_evidence(points: pl.DataFrame) -> pl.DataFrame:
    """Per benefit with a measured point, its latest one's date, `evidence` and `source`
    (the points of `trajectory`): what the value a page shows rests on."""
    return (
        points.filter(pl.col("series") == "measured")
        .sort("date")
        .group_by("benefit_id", maintain_order=True)
        .last()
        .select("benefit_id", pl.col("date").alias("measured_at"), "evidence", "source")
    )
