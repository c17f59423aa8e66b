"""The commitments funnel as stages: intentions, actions, results (docs/metrics.md, Portfolio)."""

from __future__ import annotations

import polars as pl

from domain.figures import FIGURES
from metrics.common import safe_ratio

STAGES = ("committed", "kept", "realizing")


def commitments_funnel(figures: pl.LazyFrame) -> pl.LazyFrame:
    """One row per stage of one row of portfolio figures, with its share of the committed."""
    stages = list(STAGES)
    labels = {s: FIGURES[s].label for s in stages}
    meanings = {s: FIGURES[s].help for s in stages}
    return (
        figures.select([pl.col(s).cast(pl.Int64) for s in stages])
        .unpivot(variable_name="stage", value_name="n")
        .with_columns(
            pl.col("n").fill_null(0),
            pl.col("stage").replace_strict(labels).alias("label"),
            pl.col("stage").replace_strict(meanings).alias("meaning"),
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
