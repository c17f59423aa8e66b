"""Portfolio figures (docs/metrics.md, Portfolio), for the whole filter or per group."""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.measure import SOURCED, TYPED
from metrics.common import safe_ratio

PORTFOLIO_KEYS = (
    "output_rate",
    "outcome_rate",
    "gap_pts",
    "realization_to_date",
    "realization_of_plan",
    "value_at_risk",
    "unmeasured_share",
    "committed",
    "kept",
    "realizing",
    "value_per_cost",
    "forecast_shortfall",
    "heading_for_miss",
    "early_warnings",
    "forecast_improbable",
    "evidenced_share",
    "evidenced_value",
    "claimed_value",
)
# Portfolio figures that count projects or benefits (0 in a portfolio with none).
COUNT_KEYS = ("committed", "kept", "realizing", "heading_for_miss", "early_warnings",
              "forecast_improbable")  # fmt: skip
GROUPS = ("objective", "portfolio", "sponsor")
# Whom the rates count (the "45 of the 58" beside a 78%), and the sums behind the realization.
POPULATION_KEYS = (
    "n_output_judged",
    "n_output_ok",
    "n_outcome_judged",
    "n_outcome_ok",
    "realized_value_due",
    "expected_value_due",
)


def _mean_of_true(flag: pl.Expr, among: pl.Expr) -> pl.Expr:
    """Share of rows where `flag` is true, among rows selected by `among` (null if none)."""
    chosen = flag.filter(among)
    return pl.when(chosen.count() > 0).then(chosen.cast(pl.Float64).mean()).otherwise(None)


def portfolio_figures(
    projects: pl.LazyFrame,
    benefits: pl.LazyFrame,
    as_of: dt.date,
    by: str | None = None,
) -> pl.LazyFrame:
    """One row of portfolio figures, or one per value of `by` (objective, portfolio, sponsor).

    `projects` and `benefits` are the evaluated frames (metrics.evaluate). Cancelled
    projects count in no rate; their actual cost counts as spend without value.
    """
    keys = [by] if by else []
    active = ~pl.col("cancelled")
    committed = active & (pl.col("baseline_end") <= as_of).fill_null(False)
    kept = (
        committed
        & pl.col("delivered")
        & pl.col("on_time").fill_null(False)
        & pl.col("on_budget").fill_null(False)
    )
    realizing = kept & pl.col("outcome_ok").fill_null(False)

    project_figures = projects.group_by(keys or pl.lit(0).alias("_all")).agg(
        _mean_of_true(pl.col("delivery_ok"), active & pl.col("delivery_ok").is_not_null()).alias(
            "output_rate"
        ),
        _mean_of_true(pl.col("outcome_ok"), active & (pl.col("n_due") > 0)).alias("outcome_rate"),
        (active & pl.col("delivery_ok").is_not_null())
        .sum()
        .cast(pl.Int64)
        .alias("n_output_judged"),
        (active & pl.col("delivery_ok").fill_null(False)).sum().cast(pl.Int64).alias("n_output_ok"),
        (active & (pl.col("n_due") > 0).fill_null(False))
        .sum()
        .cast(pl.Int64)
        .alias("n_outcome_judged"),
        (active & (pl.col("n_due") > 0).fill_null(False) & pl.col("outcome_ok").fill_null(False))
        .sum()
        .cast(pl.Int64)
        .alias("n_outcome_ok"),
        committed.sum().cast(pl.Int64).alias("committed"),
        kept.sum().cast(pl.Int64).alias("kept"),
        realizing.sum().cast(pl.Int64).alias("realizing"),
        pl.col("actual_cost").sum().alias("_cost"),
        active.sum().cast(pl.Int64).alias("n_projects"),
        (active & (pl.col("quadrant") == "watermelon")).sum().cast(pl.Int64).alias("n_watermelons"),
        (active & pl.col("rag_mismatch")).sum().cast(pl.Int64).alias("n_rag_mismatches"),
        (active & pl.col("forecast_improbable").fill_null(False))
        .sum()
        .cast(pl.Int64)
        .alias("forecast_improbable"),
        pl.col("actual_cost").filter(~active).sum().alias("spend_without_value"),
    )

    group_of_project = projects.select("project_id", "cancelled", *keys)
    due_with_money = pl.col("due") & pl.col("planned_value").is_not_null()
    sourced = (pl.col("evidence") == SOURCED).fill_null(False)
    benefit_figures = (
        benefits.drop([c for c in ("cancelled", *keys) if c != "project_id"], strict=False)
        .join(group_of_project, on="project_id", how="inner")
        .filter(~pl.col("cancelled"))
        .group_by(keys or pl.lit(0).alias("_all"))
        .agg(
            pl.col("realized_value").filter(due_with_money).sum().alias("_realized_due"),
            pl.col("expected_value").filter(due_with_money).sum().alias("_expected_due"),
            pl.col("planned_value").filter(due_with_money).sum().alias("_planned_due"),
            pl.col("realized_value").sum().alias("_realized"),
            pl.col("value_at_risk").sum().alias("value_at_risk"),
            pl.col("due").sum().cast(pl.Int64).alias("n_due"),
            (pl.col("due") & (pl.col("status") == "unmeasured")).sum().alias("_unmeasured"),
            pl.len().cast(pl.Int64).alias("n_benefits"),
            pl.col("forecast_shortfall").sum().alias("forecast_shortfall"),
            pl.col("heading_for_miss")
            .fill_null(False)
            .sum()
            .cast(pl.Int64)
            .alias("heading_for_miss"),
            pl.col("early_warning").sum().cast(pl.Int64).alias("early_warnings"),
            # Evidence: how much of the value rests on a measured number
            (pl.col("due") & (pl.col("status") != "unmeasured") & sourced)
            .sum()
            .alias("_evidenced"),
            pl.col("realized_value")
            .filter(due_with_money & sourced)
            .sum()
            .alias("evidenced_value"),
            pl.col("realized_value")
            .filter(due_with_money & (pl.col("evidence") == TYPED))
            .sum()
            .alias("claimed_value"),
        )
    )
    join_keys = keys or ["_all"]
    combined = project_figures.join(benefit_figures, on=join_keys, how="left", nulls_equal=True)
    return combined.with_columns(
        (100 * (pl.col("output_rate") - pl.col("outcome_rate"))).alias("gap_pts"),
        safe_ratio(pl.col("_realized_due"), pl.col("_expected_due")).alias("realization_to_date"),
        safe_ratio(pl.col("_realized_due"), pl.col("_planned_due")).alias("realization_of_plan"),
        pl.col("_realized_due").alias("realized_value_due"),
        pl.col("_expected_due").alias("expected_value_due"),
        safe_ratio(pl.col("_unmeasured").cast(pl.Float64), pl.col("n_due")).alias(
            "unmeasured_share"
        ),
        safe_ratio(pl.col("_realized").fill_null(0.0), pl.col("_cost")).alias("value_per_cost"),
        pl.col("value_at_risk").fill_null(0.0),
        safe_ratio(pl.col("_evidenced").cast(pl.Float64), pl.col("n_due")).alias("evidenced_share"),
        pl.col("evidenced_value").fill_null(0.0),
        pl.col("claimed_value").fill_null(0.0),
        pl.col("forecast_shortfall").fill_null(0.0),
        pl.col("heading_for_miss").fill_null(0),
        pl.col("early_warnings").fill_null(0),
        pl.col("n_due").fill_null(0),
        pl.col("n_benefits").fill_null(0),
    ).select(
        *keys,
        *PORTFOLIO_KEYS,
        "n_projects",
        "n_benefits",
        "n_due",
        "n_watermelons",
        "n_rag_mismatches",
        "spend_without_value",
        *POPULATION_KEYS,
    )
