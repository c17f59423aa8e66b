"""What the forecasts ask someone to act on, as lists: the projects whose reported date is
improbable, the benefits heading for a miss (docs/metrics.md, Forecasts)."""

from __future__ import annotations

import polars as pl


def improbable_dates(projects: pl.LazyFrame) -> pl.LazyFrame:
    """Projects not cancelled whose reported date is improbable, the least likely first
    (then the largest budget): each with its chance and its finish dates."""
    return projects.filter(
        ~pl.col("cancelled") & pl.col("forecast_improbable").fill_null(False)
    ).sort(
        ["chance_by_forecast", "budget", "name"],
        descending=[False, True, False],
        nulls_last=True,
    )


def heading_for_miss(register: pl.LazyFrame) -> pl.LazyFrame:
    """Benefits of the register (metrics.register) heading for a miss: the early warnings
    (on track today) first, then the most money short by the target date."""
    return register.filter(pl.col("heading_for_miss").fill_null(False)).sort(
        ["early_warning", "forecast_shortfall", "kpi"],
        descending=[True, True, False],
        nulls_last=True,
    )
