"""Everything a quarterly strategy review needs, from the evaluations of each quarter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from metrics.decisions import decisions, forecast_history, top_decisions
from metrics.evaluate import Evaluation
from metrics.trends import compare, quarter_series

# How good a benefit status is, for telling whether a change is a fall or a recovery.
STATUS_RANK = {"achieved": 0, "on_track": 1, "at_risk": 2, "off_track": 3, "unmeasured": 3}
CHANGE_KINDS = ("came_due", "fell_behind", "improved", "other")


def status_change_kinds(changes: pl.LazyFrame) -> pl.LazyFrame:
    """Each benefit status change classified: `came_due` (was not due), `fell_behind` (to a
    worse status), `improved` (to a better one), else `other`."""
    before = pl.col("from_status").replace_strict(STATUS_RANK, default=None)
    after = pl.col("to_status").replace_strict(STATUS_RANK, default=None)
    return changes.with_columns(
        pl.when(pl.col("from_status") == "not_due")
        .then(pl.lit("came_due"))
        .when(after > before)
        .then(pl.lit("fell_behind"))
        .when(after < before)
        .then(pl.lit("improved"))
        .otherwise(pl.lit("other"))
        .alias("change")
    )


@dataclass(frozen=True)
class QuarterReview:
    """One quarter against the one before it: figures, movers and the decisions to take."""

    quarter: str
    as_of: dt.date
    previous_quarter: str | None
    previous_as_of: dt.date | None
    series: pl.DataFrame
    headline: pl.DataFrame
    projects: pl.DataFrame
    quadrant_moves: pl.DataFrame
    status_changes: pl.DataFrame  # with `change`: came_due, fell_behind, improved, other
    started: pl.DataFrame
    delivered: pl.DataFrame
    cancelled: pl.DataFrame
    decisions: pl.DataFrame
    top: pl.DataFrame

    def figure(self, name: str, column: str = "current") -> float | None:
        row = self.headline.filter(pl.col("figure") == name)
        return row[column][0] if row.height else None


def quarter_review(evaluations: Mapping[str, Evaluation], quarter: str) -> QuarterReview:
    """The review of `quarter`; `evaluations` maps quarter labels to their evaluation (the
    quarters before it give the comparison and the forecast history)."""
    ordered = sorted(evaluations.items(), key=lambda item: item[1].as_of)
    labels = [label for label, _ in ordered]
    index = labels.index(quarter)
    upto = [e.collected() for _, e in ordered[: index + 1]]
    current = upto[-1]
    previous = upto[-2] if index > 0 else None
    found = decisions(current.projects, current.benefits, forecast_history(upto))
    baseline = previous if previous is not None else current
    comparison = compare(baseline, current)
    frames = pl.collect_all(
        [
            quarter_series(dict(zip(labels[: index + 1], upto, strict=True))),
            comparison.headline,
            current.projects,
            comparison.quadrant_moves,
            status_change_kinds(comparison.status_changes),
            comparison.started,
            comparison.delivered,
            comparison.cancelled,
            found,
            top_decisions(found),
        ]
    )
    series, headline, projects, moves, changes, started, delivered, cancelled, found_df, top = (
        frames
    )
    if previous is None:
        # No earlier quarter: there is nothing to compare with, so no movement and no delta.
        headline = headline.with_columns(
            pl.lit(None, pl.Float64).alias("previous"), pl.lit(None, pl.Float64).alias("delta")
        )
        moves, changes = moves.clear(), changes.clear()
        started, delivered, cancelled = started.clear(), delivered.clear(), cancelled.clear()
    return QuarterReview(
        quarter=quarter,
        as_of=current.as_of,
        previous_quarter=labels[index - 1] if previous is not None else None,
        previous_as_of=previous.as_of if previous is not None else None,
        series=series,
        headline=headline,
        projects=projects,
        quadrant_moves=moves,
        status_changes=changes,
        started=started,
        delivered=delivered,
        cancelled=cancelled,
        decisions=found_df,
        top=top,
    )
