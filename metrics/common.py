"""Small expression helpers shared by the metric modules."""

from __future__ import annotations

import datetime as dt

import polars as pl

# Ratios are compared with a tolerance this small so that a value exactly on a
# boundary (5% overrun at a 5% tolerance) is not lost to floating-point rounding.
EPS = 1e-9


def days_between(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    """Whole days from `earlier` to `later` (null if either is null)."""
    return (later - earlier).dt.total_days()


def share_of_span(as_of: dt.date, start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """clip((A - start) / (end - start), 0, 1): how far along a straight line A is.

    A span of zero or less (end on or before start) is a step: 1 from `start` on, else 0.
    """
    a = pl.lit(as_of)
    span = days_between(end, start).cast(pl.Float64)
    ran = days_between(a, start).cast(pl.Float64)
    return (
        pl.when(start.is_null() | end.is_null())
        .then(None)
        .when(span > 0)
        .then((ran / span).clip(0.0, 1.0))
        .otherwise((a >= start).cast(pl.Float64))
    )


def safe_ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator / denominator, null when the denominator is null or zero."""
    return (
        pl.when(denominator.is_null() | (denominator == 0))
        .then(None)
        .otherwise(numerator / denominator)
    )


def project_context(projects: pl.LazyFrame, *extra: str) -> pl.LazyFrame:
    """What a benefit's row shows of its project, for projects not cancelled: id, name (as
    `project_name`), sponsor, objective, portfolio, then the `extra` columns."""
    return projects.filter(~pl.col("cancelled")).select(
        "project_id",
        pl.col("name").alias("project_name"),
        "sponsor",
        "objective",
        "portfolio",
        *extra,
    )
