"""One project across every snapshot: each snapshot's figures computed as of its own date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from metrics.evaluate import Evaluation
from metrics.gap import QUADRANTS


def stack_projects(evaluations: Mapping[dt.date, Evaluation]) -> pl.LazyFrame:
    """Evaluated projects of several dates in one frame, with their `as_of`, oldest first."""
    frames = [
        evaluation.projects.with_columns(pl.lit(as_of).alias("as_of"))
        for as_of, evaluation in evaluations.items()
    ]
    if not frames:
        return pl.LazyFrame(schema={"as_of": pl.Date, "project_id": pl.String})
    return pl.concat(frames, how="diagonal_relaxed").sort("as_of")


def project_history(
    stacked: pl.LazyFrame, project_id: str, upto: dt.date | None = None
) -> pl.LazyFrame:
    """The project's row in every snapshot up to `upto` (all when None), oldest first:
    dates (forecast drift), money, scope and the verdict of each snapshot."""
    shown = stacked if upto is None else stacked.filter(pl.col("as_of") <= upto)
    return (
        shown.filter(pl.col("project_id") == project_id)
        .with_columns(
            pl.col("quadrant").replace_strict(QUADRANTS, default=None).alias("quadrant_label"),
        )
        .sort("as_of")
    )


CHANGING = ("slip_days", "cost_variance", "eac", "completion", "outcome_score", "expected_score")


def with_changes(history: pl.LazyFrame) -> pl.LazyFrame:
    """Add `<figure>_change` (this snapshot minus the one before) for the figures that
    drift: slip, cost variance, cost at completion, completion and the outcome scores."""
    return history.sort("as_of").with_columns(
        (pl.col(c) - pl.col(c).shift(1)).alias(f"{c}_change") for c in CHANGING
    )
