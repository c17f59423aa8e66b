"""Delivery across the portfolio: on time, on budget, on scope, slip and earned value."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from metrics.common import safe_ratio
from metrics.evaluate import Evaluation


def _rate(flag: str) -> pl.Expr:
    known = pl.col(flag).drop_nulls()
    return pl.when(known.len() > 0).then(known.cast(pl.Float64).mean()).otherwise(None)


def delivery_figures(projects: pl.LazyFrame) -> pl.LazyFrame:
    """One row over the non-cancelled projects: the share on time, on budget and on scope
    (among those where it is known), the median slip, the overrun in money and the
    portfolio CPI/SPI (sums of earned value over sums of actual cost and planned value)."""
    with_ev = pl.col("ev").is_not_null()
    return (
        projects.filter(~pl.col("cancelled"))
        .select(
            pl.len().cast(pl.Int64).alias("n_projects"),
            _rate("on_time").alias("on_time_rate"),
            _rate("on_budget").alias("on_budget_rate"),
            _rate("on_scope").alias("on_scope_rate"),
            pl.col("slip_days").median().alias("median_slip_days"),
            (pl.col("on_time") == False).sum().cast(pl.Int64).alias("n_late"),  # noqa: E712
            (pl.col("on_budget") == False).sum().cast(pl.Int64).alias("n_over_budget"),  # noqa: E712
            pl.col("budget").sum().alias("budget"),
            pl.col("eac").sum().alias("eac"),
            (pl.col("eac") - pl.col("budget")).sum().alias("overrun"),
            pl.col("ev")
            .filter(with_ev & pl.col("actual_cost").is_not_null())
            .sum()
            .alias("_ev_ac"),
            pl.col("actual_cost").filter(with_ev).sum().alias("_ac"),
            pl.col("ev").filter(with_ev & pl.col("pv").is_not_null()).sum().alias("_ev_pv"),
            pl.col("pv").filter(with_ev).sum().alias("_pv"),
        )
        .with_columns(
            safe_ratio(pl.col("_ev_ac"), pl.col("_ac")).alias("cpi"),
            safe_ratio(pl.col("_ev_pv"), pl.col("_pv")).alias("spi"),
        )
        .drop("_ev_ac", "_ac", "_ev_pv", "_pv")
    )


DELIVERY_KEYS = (
    "on_time_rate",
    "on_budget_rate",
    "on_scope_rate",
    "median_slip_days",
    "overrun",
    "cpi",
    "spi",
)


def delivery_series(evaluations: Mapping[str, Evaluation]) -> pl.LazyFrame:
    """delivery_figures per quarter (one row per quarter label, oldest first)."""
    frames = [
        delivery_figures(evaluation.projects).with_columns(pl.lit(quarter).alias("quarter"))
        for quarter, evaluation in evaluations.items()
    ]
    if not frames:
        return pl.LazyFrame(schema={"quarter": pl.String, **{k: pl.Float64 for k in DELIVERY_KEYS}})
    return pl.concat(frames, how="diagonal_relaxed").sort("quarter")
