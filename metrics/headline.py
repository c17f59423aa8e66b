"""Headline figures with their quarterly history: sparklines and deltas for the Overview."""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.portfolio import PORTFOLIO_KEYS
from metrics.trends import headline_deltas, previous_quarter, quarter_of


def headline_trends(series: pl.LazyFrame, current: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """One row per portfolio figure: `history` (the quarters before A's quarter, then the
    current value), the previous quarter's value, the current value and the change.

    `series` is metrics.trends.quarter_series output; `current` the one-row portfolio
    figures as of A. The delta compares A with the quarter before A's quarter, as the
    quarterly review does; it is null when that quarter has no snapshot.
    """
    quarter = quarter_of(as_of)
    deltas = headline_deltas(series.filter(pl.col("quarter") == previous_quarter(quarter)), current)
    earlier = series.filter(pl.col("quarter") < quarter).select(
        "quarter", *[pl.col(k).cast(pl.Float64) for k in PORTFOLIO_KEYS]
    )
    now = current.select(
        pl.lit(quarter).alias("quarter"), *[pl.col(k).cast(pl.Float64) for k in PORTFOLIO_KEYS]
    )
    history = (
        pl.concat([earlier, now], how="vertical_relaxed")
        .unpivot(index="quarter", variable_name="figure", value_name="value")
        .drop_nulls("value")
        .sort("quarter")
        .group_by("figure", maintain_order=True)
        .agg(pl.col("value").alias("history"))
    )
    return deltas.join(history, on="figure", how="left").with_columns(
        pl.col("history").fill_null(pl.lit([], dtype=pl.List(pl.Float64)))
    )
