"""Benefit forecast (docs/metrics.md, Forecasts): where does each benefit's own measured trend
lead by its target date, and when does it reach the target?

The trend is Theil-Sen: the median of the slopes between every pair of trend points, so
one wild measurement cannot swing it; the intercept is the median of what each point
says it is. Pure Polars, frames in and out.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.settings import Settings
from metrics.common import EPS, days_between

# Statuses a trend can still change: not yet due, unmeasured (nothing current to trend)
# and achieved benefits get no forecast.
FORECAST_STATUSES = ("on_track", "at_risk", "off_track")
# Pairs of trend points up to this many measurements apart are built by shifting columns
# (each pair once); further apart, by a self-join (see _median_pair_slopes).
NEAR_PAIRS = 24
# Python's dates end here; a trend that needs longer never reaches the target in practice.
LAST_DATE = dt.date(9999, 12, 31)
# Under docs/metrics.md's names, in `python -m metrics report` (`slope` in attainment per day,
# `c` the trend's attainment at the start S).
REPORTED = (
    "trend_points",
    "slope",
    "c",
    "trend_per_year",
    "forecast_attainment",
    "forecast_reached_on",
    "forecast_shortfall",
    "heading_for_miss",
)


def forecast_candidates(benefits: pl.LazyFrame) -> pl.LazyFrame:
    """The benefits that could have a forecast (docs/metrics.md: not not_due, unmeasured or
    achieved), with what their trend points need, and `_code`: a number per benefit that is
    cheaper to join and group on than its id, and the same in every branch of a plan (a
    rank, not a row number)."""
    return (
        benefits.filter(pl.col("status").is_in(FORECAST_STATUSES))
        .select("benefit_id", "start", "baseline", "target")
        .with_columns(pl.col("benefit_id").rank("dense").cast(pl.UInt32).alias("_code"))
    )


def trend_points(
    candidates: pl.LazyFrame, measurements: pl.LazyFrame, as_of: dt.date
) -> pl.LazyFrame:
    """The trend points of each candidate (forecast_candidates), by `_code`: its
    measurements with S <= m <= A as `t` = m - S in days and `a` = attainment.
    `measurements` has one value per benefit and date (store.reads.measurements)."""
    attainment = (pl.col("value") - pl.col("baseline")) / (pl.col("target") - pl.col("baseline"))
    return (
        measurements.filter(pl.col("measured_at") <= as_of)
        .select("benefit_id", "measured_at", "value")
        .join(candidates, on="benefit_id", how="inner")
        .filter(pl.col("measured_at") >= pl.col("start"))
        .select(
            "_code",
            days_between(pl.col("measured_at"), pl.col("start")).cast(pl.Float64).alias("t"),
            attainment.alias("a"),
        )
    )


def theil_sen(points: pl.LazyFrame, min_points: int, key: str = "benefit_id") -> pl.LazyFrame:
    """Per `key` (one trend): `trend_points` (how many), and `slope` and `c` where there
    are at least `min_points` of them (null otherwise). `points` has key, t, a.

    slope = median over pairs i < j of (a_j - a_i) / (t_j - t_i); c = median of
    a_i - slope * t_i. Polars' median of an even count is the mean of the two middle values.
    """
    counted = points.select(key, "t", "a", pl.len().over(key).alias("trend_points"))
    pair_slopes = (
        counted.filter(pl.col("trend_points") >= min_points)
        .sort(key, "t")
        .map_batches(
            lambda sorted_points: _median_pair_slopes(sorted_points, key),
            schema={key: points.collect_schema()[key], "slope": pl.Float64()},
        )
    )
    # one pass over the points for the count, the slope and the intercept (null without one)
    return (
        counted.join(pair_slopes, on=key, how="left")
        .group_by(key)
        .agg(
            pl.col("trend_points").first().cast(pl.Int64),
            pl.col("slope").first(),
            (pl.col("a") - pl.col("slope") * pl.col("t")).median().alias("c"),
        )
    )


def _median_pair_slopes(points: pl.DataFrame, key: str) -> pl.DataFrame:
    """Per key, the median slope over its pairs of points i < j (rows sorted by key, then
    t; `trend_points` says how many rows each key has).

    The pairs d rows apart are one shift of the columns, so for d up to NEAR_PAIRS each
    pair is built once, none to be thrown away (a self-join builds n^2 rows per key to keep
    half); the pairs further apart, in keys with that many points, come from a self-join.
    Called once per evaluation with every benefit's points (metrics.theil_sen)."""
    most = int(points.get_column("trend_points").max() or 0)
    slope = (pl.col("a_j") - pl.col("a")) / (pl.col("t_j") - pl.col("t"))
    near = [
        points.lazy()
        .filter(pl.col("trend_points") > d)  # whole keys: the rows of a key stay together
        .select(
            key,
            "t",
            "a",
            pl.col("t").shift(-d).alias("t_j"),
            pl.col("a").shift(-d).alias("a_j"),
            (pl.col(key).shift(-d) == pl.col(key)).alias("_same"),
        )
        .filter("_same")
        .select(key, slope.alias("s"))
        for d in range(1, min(most, NEAR_PAIRS + 1))
    ]
    far = []
    if most > NEAR_PAIRS + 1:
        big = (
            points.lazy()
            .filter(pl.col("trend_points") > NEAR_PAIRS + 1)
            .select(key, "t", "a", pl.int_range(pl.len()).over(key).alias("_i"))
        )
        far = [
            big.join(big, on=key, suffix="_j")
            .filter(pl.col("_i_j") - pl.col("_i") > NEAR_PAIRS)
            .select(key, slope.alias("s"))
        ]
    if not near:
        return pl.DataFrame(schema={key: points.schema[key], "slope": pl.Float64()})
    return pl.concat([*near, *far]).group_by(key).agg(pl.col("s").median().alias("slope")).collect()


def benefit_forecast(
    benefits: pl.LazyFrame,
    measurements: pl.LazyFrame,
    as_of: dt.date,
    settings: Settings,
) -> pl.LazyFrame:
    """Add REPORTED and `early_warning` to each benefit of the metrics.outcomes frame
    (read twice: pass it collected or cached, as metrics.evaluate does).

    `trend_points` is there for every benefit that could have a forecast (on track, at
    risk, off track: 0 when none of its measurements is since its start); the other
    figures only where a trend was fitted. `early_warning`: on track today, heading for a
    miss.
    """
    candidates = forecast_candidates(benefits)
    fitted = candidates.select("_code", "benefit_id").join(
        theil_sen(
            trend_points(candidates, measurements, as_of), settings.forecast_min_points, "_code"
        ),
        on="_code",
        how="left",
    )
    slope, c = pl.col("slope"), pl.col("c")
    span = days_between(pl.col("target_date"), pl.col("start")).cast(pl.Float64)
    to_target = (1.0 - c) / slope  # days from S until the trend line reaches attainment 1
    room = days_between(pl.lit(LAST_DATE), pl.col("start")).cast(pl.Float64)
    # Clipped to [A, LAST_DATE] before it becomes a date (null is chosen past LAST_DATE).
    since_start = days_between(pl.lit(as_of), pl.col("start")).cast(pl.Float64)
    days = (to_target - EPS).ceil().clip(since_start, room).cast(pl.Int64, strict=False)
    reached = pl.col("start") + pl.duration(days=days)
    forecast = pl.col("forecast_attainment")
    candidate = pl.col("status").is_in(FORECAST_STATUSES)
    return (
        benefits.join(fitted.drop("_code"), on="benefit_id", how="left")
        .with_columns(
            pl.when(candidate).then(pl.col("trend_points").fill_null(0)).alias("trend_points"),
            (365.0 * slope).alias("trend_per_year"),
            (c + slope * span).alias("forecast_attainment"),
            pl.when((slope > 0) & (to_target <= room)).then(reached).alias("forecast_reached_on"),
        )
        .with_columns(
            (pl.col("planned_value") * (1.0 - forecast.clip(0.0, 1.0))).alias("forecast_shortfall"),
            (forecast < 1.0 - settings.outcome_tolerance - EPS).alias("heading_for_miss"),
        )
        .with_columns(
            (pl.col("heading_for_miss") & (pl.col("status") == "on_track"))
            .fill_null(False)
            .alias("early_warning")
        )
    )
