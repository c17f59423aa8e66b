"""The gap by name: watermelons, status that hides bad news and what the forecasts warn of,
each with the reason why."""

from __future__ import annotations

import polars as pl

from domain.formats import date_expr, whole_expr
from metrics.delivery_forecast import improbable_date_reason
from metrics.gap import QUADRANTS


def _whole_pct(share: pl.Expr) -> pl.Expr:
    return whole_expr(share * 100)


def _delivery_reason() -> pl.Expr:
    """The first delivery criterion that fails, in words (null when delivery is fine)."""
    return (
        pl.when(pl.col("on_time") == False)  # noqa: E712 - null means unknown, not false
        .then(pl.format("{} days late", pl.col("slip_days")))
        .when(pl.col("on_budget") == False)  # noqa: E712
        .then(pl.format("{}% over budget", _whole_pct(pl.col("cost_variance"))))
        .when(pl.col("on_scope") == False)  # noqa: E712
        .then(pl.format("only {}% of scope done", _whole_pct(pl.col("completion"))))
        .otherwise(None)
    )


def _value_reason() -> pl.Expr:
    return pl.format(
        "value {}% of {}% expected",
        _whole_pct(pl.col("outcome_score")),
        _whole_pct(pl.col("expected_score")),
    )


def early_warnings(benefits: pl.LazyFrame) -> pl.LazyFrame:
    """Per project with an early warning (a benefit on track today whose trend heads for a
    miss): `early_warning_reason`, the one with the most money short in words, "early
    warning: Hours per month on track today, heading for 87% of target by 30 Sep 2027",
    and how many more there are."""
    sentence = pl.format(
        "early warning: {} on track today, heading for {}% of target by {}",
        pl.col("kpi"),
        _whole_pct(pl.col("forecast_attainment")),
        date_expr(pl.col("target_date")),
    )
    return (
        benefits.filter(pl.col("early_warning").fill_null(False))
        .sort("forecast_shortfall", "kpi", descending=[True, False], nulls_last=True)
        .group_by("project_id", maintain_order=True)
        .agg(sentence.first().alias("_first"), pl.len().alias("_n"))
        .select(
            "project_id",
            pl.when(pl.col("_n") > 1)
            .then(pl.format("{} (and {} more)", pl.col("_first"), pl.col("_n") - 1))
            .otherwise(pl.col("_first"))
            .alias("early_warning_reason"),
        )
    )


def needs_attention(projects: pl.LazyFrame, benefits: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """Active watermelons, RAG mismatches, improbable dates and early warnings, watermelons
    first, then by budget, each with a short `why`: the failing side in plain words, what
    the forecasts say, then what the project reports.

    An executive reads the list without opening each project: "Value 12% of 71% expected;
    reports green", "93 days late; value 0% of 42% expected; reports green", "6% chance of
    making 29 Sep 2027; reports green" (the delivery forecast makes its date improbable),
    "Early warning: Hours per month on track today, heading for 87% of target by 30 Sep
    2027" (`benefits`, the evaluated benefits, give the early warnings)."""
    if benefits is not None:
        projects = projects.join(early_warnings(benefits), on="project_id", how="left")
    else:
        projects = projects.with_columns(pl.lit(None, pl.String).alias("early_warning_reason"))
    warned = pl.col("early_warning_reason").is_not_null()
    improbable = pl.col("forecast_improbable").fill_null(False)
    watermelon = pl.col("quadrant") == "watermelon"
    delivery_bad = (pl.col("delivery_ok") == False).fill_null(False)  # noqa: E712
    value_bad = (pl.col("outcome_ok") == False).fill_null(False)  # noqa: E712
    why = pl.concat_str(
        [
            pl.when(delivery_bad).then(_delivery_reason()),
            pl.when(value_bad).then(_value_reason()),
            improbable_date_reason(),
            pl.col("early_warning_reason"),
            pl.when(pl.col("rag_mismatch")).then(pl.format("reports {}", pl.col("rag"))),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    capitalised = pl.concat_str([why.str.slice(0, 1).str.to_uppercase(), why.str.slice(1)])
    return (
        projects.filter(
            ~pl.col("cancelled") & (watermelon | pl.col("rag_mismatch") | improbable | warned)
        )
        .with_columns(
            watermelon.alias("watermelon"),
            improbable.alias("forecast_improbable"),
            warned.alias("early_warning"),
            pl.col("quadrant").replace_strict(QUADRANTS).alias("quadrant_label"),
            capitalised.alias("why"),
        )
        .select(
            "project_id",
            "name",
            "sponsor",
            "objective",
            "portfolio",
            "budget",
            "rag",
            "quadrant",
            "quadrant_label",
            "watermelon",
            "rag_mismatch",
            "forecast_improbable",
            "early_warning",
            "outcome_score",
            "expected_score",
            "why",
        )
        .sort(["watermelon", "budget"], descending=[True, True], nulls_last=True)
    )


def quadrant_counts(projects: pl.LazyFrame) -> pl.LazyFrame:
    """Active projects per quadrant, every quadrant listed (zero where none), in app order."""
    order = pl.LazyFrame(
        {
            "quadrant": list(QUADRANTS),
            "quadrant_label": list(QUADRANTS.values()),
            "_order": list(range(len(QUADRANTS))),
        }
    )
    counts = (
        projects.filter(~pl.col("cancelled"))
        .group_by("quadrant")
        .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("budget").sum().alias("budget"))
    )
    return (
        order.join(counts, on="quadrant", how="left")
        .with_columns(pl.col("n").fill_null(0), pl.col("budget").fill_null(0.0))
        .sort("_order")
        .drop("_order")
    )
