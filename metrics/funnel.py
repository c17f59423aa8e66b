"""The commitments funnel as stages: intentions, actions, results (METRICS.md, Portfolio)."""

from __future__ import annotations

import polars as pl

from metrics.common import safe_ratio

STAGES: dict[str, str] = {
    "committed": "Committed",
    "kept": "Kept",
    "realizing": "Realizing",
}
STAGE_HELP: dict[str, str] = {
    "committed": "due to be delivered by now",
    "kept": "delivered on time and on budget",
    "realizing": "and their value is arriving",
}


def commitments_funnel(figures: pl.LazyFrame) -> pl.LazyFrame:
    """One row per stage of one row of portfolio figures, with its share of the committed."""
    stages = list(STAGES)
    return (
        figures.select([pl.col(s).cast(pl.Int64) for s in stages])
        .unpivot(variable_name="stage", value_name="n")
        .with_columns(
            pl.col("n").fill_null(0),
            pl.col("stage").replace_strict(STAGES).alias("label"),
            pl.col("stage").replace_strict(STAGE_HELP).alias("meaning"),
            pl.col("stage").replace_strict({s: i for i, s in enumerate(stages)}).alias("order"),
        )
        .with_columns(
            safe_ratio(
                pl.col("n").cast(pl.Float64),
                pl.col("n").filter(pl.col("stage") == "committed").first().cast(pl.Float64),
            ).alias("share_of_committed")
        )
        .sort("order")
    )
