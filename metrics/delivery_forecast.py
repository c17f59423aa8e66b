"""Delivery forecast per Jira-linked project (docs/metrics.md, Forecasts): when will the open
children be done, and how likely are the dates the project reports?

Polars picks the projects, counts the weeks and turns weeks into dates; the exact
convolution (metrics.finish_chance) runs once per forecast project.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.settings import Settings
from metrics.common import EPS, days_between
from metrics.finish_chance import QUANTILES, chance_at, finish_chances, first_week_reaching
from metrics.forecast_words import chance_words, reported_end
from metrics.jira import week_before

FINISH_COLUMNS = tuple(f"finish_p{round(q * 100)}" for q in QUANTILES)
_KERNEL_SCHEMA = pl.Schema(
    {
        "project_id": pl.String(),
        **{f"_w{round(q * 100)}": pl.Int64() for q in QUANTILES},
        "chance_by_baseline": pl.Float64(),
        "chance_by_forecast": pl.Float64(),
        "finish_chance": pl.List(pl.Float64()),
    }
)
# Under docs/metrics.md's names, in `python -m metrics report`: `weekly_done` is [k_1, ..., k_W]
# and `finish_chance` is [F(1), F(2), ...] up to the last week the forecast needed.
REPORTED = (
    "remaining",
    "weekly_done",
    *FINISH_COLUMNS,
    "chance_by_baseline",
    "chance_by_forecast",
    "finish_chance",
    "forecast_improbable",
)


def throughput_history(children: pl.LazyFrame, as_of: dt.date, weeks: int) -> pl.LazyFrame:
    """Per jira_key: `remaining` (children not done as of A, in issues), `weekly_done`
    ([k_1, ..., k_W], the week ending on A first) and `active_weeks` (weeks with k > 0).

    `children` holds each child created on or before A with `done_at` as of A
    (metrics.jira.child_states)."""
    week = pl.col("_week")
    return (
        children.with_columns(week_before(as_of).alias("_week"))
        .group_by("jira_key")
        .agg(
            pl.col("done_at").is_null().sum().cast(pl.Int64).alias("remaining"),
            pl.concat_list([(week == j).sum().cast(pl.Int64) for j in range(weeks)]).alias(
                "weekly_done"
            ),
            week.filter(week < weeks).n_unique().cast(pl.Int64).alias("active_weeks"),
        )
    )


def _weeks_until(day: pl.Expr, as_of: dt.date) -> pl.Expr:
    """floor((day - A) / 7 days)."""
    return days_between(day, pl.lit(as_of)) // 7


def _convolve(eligible: pl.DataFrame) -> pl.DataFrame:
    """The kernel, once per forecast project: finish weeks, chances, and the curve F(1..)."""
    rows = []
    for project_id, weekly, remaining, by_baseline, by_forecast in eligible.iter_rows():
        needed = max(by_baseline or 0, by_forecast or 0)
        curve = finish_chances(weekly, remaining, needed_week=needed)
        rows.append(
            (
                project_id,
                *(first_week_reaching(curve, q) for q in QUANTILES),
                None if by_baseline is None else chance_at(curve, by_baseline),
                None if by_forecast is None else chance_at(curve, by_forecast),
                curve[1:].tolist(),
            )
        )
    return pl.DataFrame(rows, schema=_KERNEL_SCHEMA, orient="row")


def delivery_forecast(
    projects: pl.LazyFrame,
    children: pl.LazyFrame | None,
    as_of: dt.date,
    settings: Settings,
) -> pl.LazyFrame:
    """Add REPORTED and `active_weeks` to each project (metrics.outputs frame: status, jira_key,
    baseline_end, forecast_end).

    Only a Jira-linked project that is neither delivered nor cancelled and whose key has
    children gets `remaining` and its weekly counts; it gets a forecast when something
    remains and at least `forecast_min_active_weeks` of the `forecast_window_weeks` weeks
    saw work done. Every other figure is null otherwise.
    """
    weeks = settings.forecast_window_weeks
    if children is None:
        children = pl.LazyFrame(
            schema={"jira_key": pl.String, "done_at": pl.Datetime("us")},
        )
    history = throughput_history(children, as_of, weeks)
    open_in_jira = pl.col("jira_key").is_not_null() & ~pl.col("status").is_in(
        ["delivered", "cancelled"]
    ).fill_null(False)
    staged = (
        projects.join(history, on="jira_key", how="left")
        .with_columns(
            *[
                pl.when(open_in_jira).then(pl.col(c)).alias(c)
                for c in ("remaining", "weekly_done", "active_weeks")
            ],
            _weeks_until(pl.col("baseline_end"), as_of).alias("_by_baseline"),
            _weeks_until(pl.coalesce("forecast_end", "baseline_end"), as_of).alias("_by_forecast"),
        )
        .with_columns(
            (
                (pl.col("remaining") > 0)
                & (pl.col("active_weeks") >= settings.forecast_min_active_weeks)
            )
            .fill_null(False)
            .alias("_forecast")
        )
    )
    kernel = (
        staged.filter("_forecast")
        .select("project_id", "weekly_done", "remaining", "_by_baseline", "_by_forecast")
        .map_batches(_convolve, schema=_KERNEL_SCHEMA)
    )
    finish_on = [
        (pl.lit(as_of) + pl.duration(days=7 * pl.col(f"_w{round(q * 100)}"))).alias(name)
        for q, name in zip(QUANTILES, FINISH_COLUMNS, strict=True)
    ]
    return (
        staged.join(kernel, on="project_id", how="left")
        .with_columns(
            *finish_on,
            (pl.col("chance_by_forecast") < 0.5 - EPS).alias("forecast_improbable"),
        )
        .drop(
            "_by_baseline",
            "_by_forecast",
            "_forecast",
            *[c for c in _KERNEL_SCHEMA if c[:2] == "_w"],
        )
    )


def improbable_date_reason() -> pl.Expr:
    """In words, for a project whose reported date is improbable: "6% chance of making
    29 Sep 2027" (the reported forecast end, else the baseline); null otherwise."""
    reported = chance_words(pl.col("chance_by_forecast"), reported_end())
    return pl.when(pl.col("forecast_improbable")).then(reported)
