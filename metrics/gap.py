"""The gap per project: the output-by-outcome quadrant and status that hides bad news."""

from __future__ import annotations

import polars as pl

from domain.contract import GREENISH_RAG

QUADRANTS: dict[str, str] = {
    "no_outcome_defined": "No outcome defined",
    "too_early": "Too early to tell",
    "delivery_unknown": "Delivery data missing",
    "realizing": "Delivered and realizing",
    "watermelon": "On plan, value missing",
    "late_but_realizing": "Late, but realizing",
    "rescue_or_stop": "Rescue or stop",
}
# Quadrants a project is placed in once delivery and value can both be judged (the
# quadrant chart's four corners), and those it waits in until they can.
JUDGED: tuple[str, ...] = ("realizing", "watermelon", "late_but_realizing", "rescue_or_stop")
NOT_JUDGED: tuple[str, ...] = ("too_early", "no_outcome_defined", "delivery_unknown")
assert set(JUDGED) | set(NOT_JUDGED) == set(QUADRANTS)


def project_gap(outputs: pl.LazyFrame, outcomes: pl.LazyFrame) -> pl.LazyFrame:
    """Join delivery and outcome figures and classify each project (docs/metrics.md, The gap).

    A green or amber/green status hides bad news when delivery or value is off, or when
    the delivery forecast makes the reported date improbable (docs/metrics.md, Forecasts)."""
    delivery_ok = pl.col("delivery_ok")
    outcome_ok = pl.col("outcome_ok")
    quadrant = (
        pl.when(pl.col("n_benefits") == 0)
        .then(pl.lit("no_outcome_defined"))
        .when(pl.col("n_due") == 0)
        .then(pl.lit("too_early"))
        .when(delivery_ok.is_null())
        .then(pl.lit("delivery_unknown"))
        .when(delivery_ok & outcome_ok)
        .then(pl.lit("realizing"))
        .when(delivery_ok)
        .then(pl.lit("watermelon"))
        .when(outcome_ok)
        .then(pl.lit("late_but_realizing"))
        .otherwise(pl.lit("rescue_or_stop"))
    )
    bad_news = (
        (~delivery_ok).fill_null(False)
        | (~outcome_ok).fill_null(False)
        | pl.col("forecast_improbable").fill_null(False)
    )
    return (
        outputs.join(outcomes, on="project_id", how="left")
        .with_columns(
            pl.col("n_benefits").fill_null(0),
            pl.col("n_due").fill_null(0),
            pl.col("n_unmeasured").fill_null(0),
        )
        .with_columns(
            quadrant.alias("quadrant"),
            (pl.col("rag").is_in(GREENISH_RAG).fill_null(False) & bad_news).alias("rag_mismatch"),
        )
    )
