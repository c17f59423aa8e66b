"""The forecasts in words (docs/metrics.md, Forecasts), for the pages, the narrative and the PDF:
"31% chance of making 31 Dec 2026", and, where there is no forecast, why not.

Expressions over the evaluated frames (metrics.evaluate); one wording everywhere.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.figures import label
from domain.formats import date_expr, whole_expr
from domain.settings import Settings
from metrics.finish_chance import HORIZON_WEEKS, QUANTILES

# The finish dates' bands, from the most likely to the least: the label each is shown under.
FINISH_BANDS = {column: label(column) for column in ("finish_p50", "finish_p85", "finish_p95")}
# Rows of a finish curve after the last band: the chance still rising toward the dates asked.
BEYOND = "Beyond P95"


def chance_words(chance: pl.Expr, day: pl.Expr) -> pl.Expr:
    """ "31% chance of making 31 Dec 2026" (null when either is unknown)."""
    return pl.when(chance.is_not_null() & day.is_not_null()).then(
        pl.format("{}% chance of making {}", whole_expr(chance * 100), date_expr(day))
    )


def reported_end() -> pl.Expr:
    """The date a project reports: its forecast end, else its baseline."""
    return pl.coalesce("forecast_end", "baseline_end")


def delivery_no_forecast_reason(settings: Settings) -> pl.Expr:
    """Why a project has no delivery forecast, in a sentence; null when it has one (or
    when it is forecast but even P50 lies beyond the horizon, which is said as such)."""
    window, needed = settings.forecast_window_weeks, settings.forecast_min_active_weeks
    years = HORIZON_WEEKS // 52
    return (
        pl.when(pl.col("finish_p50").is_not_null())
        .then(None)
        .when(pl.col("status") == "delivered")
        .then(pl.lit("Delivered: no work left to forecast."))
        .when(pl.col("status") == "cancelled")
        .then(pl.lit("Cancelled: no work left to forecast."))
        .when(pl.col("jira_key").is_null())
        .then(
            pl.lit(
                "No delivery forecast: the project is not linked to a Jira epic, and the "
                "forecast reads the weekly throughput of the epic's issues."
            )
        )
        .when(pl.col("remaining").is_null())
        .then(pl.format("No delivery forecast: no issues under {} in Jira.", pl.col("jira_key")))
        .when(pl.col("remaining") == 0)
        .then(
            pl.format(
                "No delivery forecast: every issue under {} is done; nothing remains open.",
                pl.col("jira_key"),
            )
        )
        .when(pl.col("active_weeks") < needed)
        .then(
            pl.format(
                "No delivery forecast yet: too little history. Work was done in {} of the last "
                "{} weeks; a forecast needs {}.",
                pl.col("active_weeks"),
                pl.lit(window),
                pl.lit(needed),
            )
        )
        .otherwise(
            pl.format(
                "At its recent pace the {} open issues would take more than {} years: no "
                "date can be given.",
                pl.col("remaining"),
                pl.lit(years),
            )
        )
    )


def delivery_chances(settings: Settings) -> list[pl.Expr]:
    """The delivery forecast's sentences: `reported_end` (the date they are read against),
    `forecast_reason` (why there is none),
    `chance_baseline_words` ("62% chance of making 30 Sep 2027", the committed end) and
    `chance_reported_words` (the same for the date the project reports)."""
    return [
        reported_end().alias("reported_end"),
        delivery_no_forecast_reason(settings).alias("forecast_reason"),
        chance_words(pl.col("chance_by_baseline"), pl.col("baseline_end")).alias(
            "chance_baseline_words"
        ),
        chance_words(pl.col("chance_by_forecast"), reported_end()).alias("chance_reported_words"),
    ]


def finish_curve(projects: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """The delivery forecast's curve per forecast project, one row per week: `project_id`,
    `week` (w from A), `date` (A + 7w), `chance` (F(w)) and `band`: the finish date it lies
    on or before (FINISH_BANDS' labels, BEYOND after P95). Starts at A with chance 0.
    A forecast that reaches no finish date within the horizon has no curve to read (its
    `forecast_reason` says so)."""
    date = pl.lit(as_of) + pl.duration(days=7 * pl.col("week"))
    (first, first_shown), *later = FINISH_BANDS.items()
    band = pl.when(date <= pl.col(first)).then(pl.lit(first_shown))
    for column, shown in later:
        band = band.when(date <= pl.col(column)).then(pl.lit(shown))
    return (
        projects.filter(pl.col("finish_p50").is_not_null())
        .select(
            "project_id",
            *FINISH_BANDS,
            pl.concat_list(pl.lit([0.0]), "finish_chance").alias("chance"),
        )
        .explode("chance")
        .with_columns(pl.int_range(pl.len()).over("project_id").cast(pl.Int64).alias("week"))
        .select(
            "project_id",
            "week",
            date.alias("date"),
            "chance",
            band.otherwise(pl.lit(BEYOND)).alias("band"),
        )
    )


def finish_marks(projects: pl.LazyFrame) -> pl.LazyFrame:
    """The dates a delivery forecast is read against, one row each: the finish dates
    (P50, P85, P95) and the committed and reported ends with their chances. Columns
    `project_id`, `kind` ("finish" or "commitment"), `label`, `date`, `chance`, `words`;
    for the projects with a curve (finish_curve)."""
    projects = projects.filter(pl.col("finish_p50").is_not_null())
    finish = [
        projects.select(
            "project_id",
            pl.lit("finish").alias("kind"),
            pl.lit(shown).alias("label"),
            pl.col(column).alias("date"),
            pl.lit(q).alias("chance"),
            pl.format("{}: {}", pl.lit(shown.split(" ")[0]), date_expr(pl.col(column))).alias(
                "words"
            ),
        )
        for (column, shown), q in zip(FINISH_BANDS.items(), QUANTILES, strict=True)
    ]
    same = pl.col("forecast_end").is_null() | (pl.col("forecast_end") == pl.col("baseline_end"))
    committed = projects.select(
        "project_id",
        pl.lit("commitment").alias("kind"),
        pl.when(same)
        .then(pl.lit("Committed and reported end"))
        .otherwise(pl.lit("Committed end"))
        .alias("label"),
        pl.col("baseline_end").alias("date"),
        pl.col("chance_by_baseline").alias("chance"),
        chance_words(pl.col("chance_by_baseline"), pl.col("baseline_end")).alias("words"),
    )
    reported = projects.filter(~same).select(
        "project_id",
        pl.lit("commitment").alias("kind"),
        pl.lit("Reported end").alias("label"),
        pl.col("forecast_end").alias("date"),
        pl.col("chance_by_forecast").alias("chance"),
        chance_words(pl.col("chance_by_forecast"), pl.col("forecast_end")).alias("words"),
    )
    return (
        pl.concat([*finish, committed, reported], how="vertical_relaxed")
        .filter(pl.col("date").is_not_null() & pl.col("chance").is_not_null())
        .sort("project_id", "date", "kind")
    )


def benefit_no_forecast_reason(settings: Settings) -> pl.Expr:
    """Why a benefit has no forecast, in a sentence; null when it has one."""
    needed = settings.forecast_min_points
    points = pl.col("trend_points").fill_null(0)
    return (
        pl.when(pl.col("slope").is_not_null())
        .then(None)
        .when(pl.col("status") == "achieved")
        .then(pl.lit("Achieved: no forecast needed."))
        .when(pl.col("status") == "not_due")
        .then(pl.lit("Not due yet: no forecast before its start date."))
        .when(pl.col("status") == "unmeasured")
        .then(pl.lit("No forecast: no current measurement to draw a trend through."))
        .otherwise(
            pl.format(
                "No forecast yet: too little history. {} since its start; a trend needs {}.",
                pl.when(points == 1)
                .then(pl.lit("1 measurement"))
                .otherwise(pl.format("{} measurements", points)),
                pl.lit(needed),
            )
        )
    )


def benefit_forecast_words() -> pl.Expr:
    """ "At this trend: 87% of target by 30 Jun 2027; target reached 22 Dec 2027" (or
    "never reached: the trend is flat or falling"); null without a forecast."""
    reached = (
        pl.when(pl.col("forecast_reached_on").is_not_null())
        .then(pl.format("target reached {}", date_expr(pl.col("forecast_reached_on"))))
        .otherwise(pl.lit("target never reached: the trend is flat or falling"))
    )
    return pl.when(pl.col("forecast_attainment").is_not_null()).then(
        pl.format(
            "At this trend: {}% of target by {}; {}",
            whole_expr(pl.col("forecast_attainment") * 100),
            date_expr(pl.col("target_date")),
            reached,
        )
    )


def benefit_forecast_notes(settings: Settings) -> list[pl.Expr]:
    """A benefit's forecast in words: `forecast_words` where it has one, `forecast_reason`
    (why not) where it has none."""
    return [
        benefit_forecast_words().alias("forecast_words"),
        benefit_no_forecast_reason(settings).alias("forecast_reason"),
    ]
