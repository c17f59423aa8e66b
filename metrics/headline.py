"""Headline figures with their quarterly history: sparklines and deltas for the tiles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from domain.quarters import previous_quarter, quarter_of
from metrics.portfolio import PORTFOLIO_KEYS


def _long(frame: pl.LazyFrame, keys: Sequence[str]) -> pl.LazyFrame:
    return frame.select("quarter", *[pl.col(k).cast(pl.Float64) for k in keys]).unpivot(
        index="quarter", variable_name="figure", value_name="value"
    )


def figure_trends(
    series: pl.LazyFrame, current: pl.LazyFrame, as_of: dt.date, keys: Sequence[str]
) -> pl.LazyFrame:
    """One row per figure in `keys`: `history` (the quarters before A's quarter, then the
    current value), the previous quarter's value, the current value and the change.

    `series` has one row per quarter (a `quarter` label and the figures); `current` is the
    one-row figures as of A. The delta compares A with the quarter before A's quarter, as
    the quarterly review does; it is null when that quarter has no snapshot.
    """
    quarter = quarter_of(as_of)
    before = _long(series, keys)
    now = _long(current.with_columns(pl.lit(quarter).alias("quarter")), keys)
    history = (
        pl.concat([before.filter(pl.col("quarter") < quarter), now])
        .drop_nulls("value")
        .sort("quarter")
        .group_by("figure")
        .agg(pl.col("value").alias("history"))
    )
    previous = before.filter(pl.col("quarter") == previous_quarter(quarter)).select(
        "figure", pl.col("value").alias("previous")
    )
    order = pl.LazyFrame({"figure": list(keys), "_order": list(range(len(keys)))})
    return (
        order.join(previous, on="figure", how="left")
        .join(now.select("figure", pl.col("value").alias("current")), on="figure", how="left")
        .join(history, on="figure", how="left")
        .with_columns(
            (pl.col("current") - pl.col("previous")).alias("delta"),
            pl.col("history").fill_null(pl.lit([], dtype=pl.List(pl.Float64))),
        )
        .sort("_order")
        .select("figure", "previous", "current", "delta", "history")
    )


def headline_trends(series: pl.LazyFrame, current: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """figure_trends of the portfolio figures (metrics.trends.quarter_series as `series`)."""
    return figure_trends(series, current, as_of, PORTFOLIO_KEYS)
