"""Over time: quarter series and the quarter-to-quarter comparison (docs/metrics.md, Over time).

A quarter's figures are those of the latest snapshot whose as-of date falls in it,
computed as of that date. The comparison says what moved and, in one line, why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from domain.formats import whole_expr
from domain.quarters import quarter_expr
from metrics.evaluate import Evaluation
from metrics.gap import QUADRANTS
from metrics.portfolio import PORTFOLIO_KEYS


def quarter_snapshots(snapshots: pl.LazyFrame) -> pl.LazyFrame:
    """Per quarter, the latest snapshot whose as_of falls in it (columns quarter, snapshot_id,
    as_of), oldest quarter first. Expects one active snapshot per as-of date."""
    return (
        snapshots.with_columns(quarter_expr(pl.col("as_of")).alias("quarter"))
        .sort("as_of", "snapshot_id")
        .group_by("quarter")
        .agg(pl.col("snapshot_id").last(), pl.col("as_of").last())
        .sort("as_of")
    )


def quarter_series(evaluations: Mapping[str, Evaluation]) -> pl.LazyFrame:
    """Portfolio figures per quarter, oldest first: one row per quarter."""
    frames = [
        evaluation.portfolio().with_columns(
            pl.lit(quarter).alias("quarter"), pl.lit(evaluation.as_of).alias("as_of")
        )
        for quarter, evaluation in evaluations.items()
    ]
    if not frames:
        return pl.LazyFrame(
            schema={
                "quarter": pl.String,
                "as_of": pl.Date,
                **{k: pl.Float64 for k in PORTFOLIO_KEYS},
            }
        )
    return pl.concat(frames, how="diagonal_relaxed").sort("as_of")


def headline_deltas(previous: pl.LazyFrame, current: pl.LazyFrame) -> pl.LazyFrame:
    """One row per portfolio figure: previous, current and the change (current - previous)."""

    def long(frame: pl.LazyFrame, name: str) -> pl.LazyFrame:
        return frame.select([pl.col(k).cast(pl.Float64) for k in PORTFOLIO_KEYS]).unpivot(
            variable_name="figure", value_name=name
        )

    order = pl.DataFrame({"figure": PORTFOLIO_KEYS, "_order": range(len(PORTFOLIO_KEYS))}).lazy()
    return (
        order.join(long(previous, "previous"), on="figure", how="left")
        .join(long(current, "current"), on="figure", how="left")
        .with_columns((pl.col("current") - pl.col("previous")).alias("delta"))
        .sort("_order")
        .drop("_order")
    )


def _whole_pct(share: pl.Expr) -> pl.Expr:
    return whole_expr(share * 100)


def _why_moved() -> pl.Expr:
    """One line that says why a project changed quadrant, from the figures that changed."""
    delivery_reason = (
        pl.when(pl.col("on_time").eq(False))  # null means unknown, not false
        .then(pl.format("{} days late", pl.col("slip_days")))
        .when(pl.col("on_budget").eq(False))
        .then(pl.format("{}% over budget", _whole_pct(pl.col("cost_variance"))))
        .when(pl.col("on_scope").eq(False))
        .then(pl.format("only {}% of scope done", _whole_pct(pl.col("completion"))))
        .otherwise(pl.lit("delivery off plan"))
    )
    value_line = pl.format(
        "{}% of the value expected by now ({}% attained)",
        _whole_pct(pl.col("expected_score")),
        _whole_pct(pl.col("outcome_score")),
    )
    delivery_fell = pl.col("prev_delivery_ok").eq(True) & pl.col("delivery_ok").eq(False)
    delivery_rose = pl.col("prev_delivery_ok").eq(False) & pl.col("delivery_ok").eq(True)
    value_fell = pl.col("prev_outcome_ok").eq(True) & pl.col("outcome_ok").eq(False)
    value_rose = pl.col("prev_outcome_ok").eq(False) & pl.col("outcome_ok").eq(True)
    return (
        pl.when(pl.col("from_quadrant").is_null())
        .then(pl.lit("new in this quarter's snapshot"))
        .when(pl.col("from_quadrant").is_in(["too_early", "no_outcome_defined"]))
        .then(pl.format("benefits came due: {}", value_line))
        .when(delivery_fell & value_fell)
        .then(
            pl.format(
                "delivery slipped ({}) and value fell behind: {}", delivery_reason, value_line
            )
        )
        .when(delivery_fell)
        .then(pl.format("delivery slipped: {}", delivery_reason))
        .when(value_fell)
        .then(pl.format("value fell behind: {}", value_line))
        .when(delivery_rose & value_rose)
        .then(pl.lit("back on plan for delivery and value"))
        .when(delivery_rose)
        .then(pl.lit("delivery back on plan"))
        .when(value_rose)
        .then(pl.format("value caught up: {}", value_line))
        .when(pl.col("quadrant") == "delivery_unknown")
        .then(pl.lit("delivery data went missing"))
        .otherwise(pl.lit("figures changed"))
    )


@dataclass(frozen=True)
class QuarterComparison:
    """What moved between two evaluations (normally two consecutive quarters)."""

    headline: pl.LazyFrame
    quadrant_moves: pl.LazyFrame
    status_changes: pl.LazyFrame
    started: pl.LazyFrame
    delivered: pl.LazyFrame
    cancelled: pl.LazyFrame


PROJECT_CONTEXT = ("project_id", "name", "sponsor", "objective", "portfolio", "budget")


def compare(previous: Evaluation, current: Evaluation) -> QuarterComparison:
    """Headline deltas, projects that changed quadrant, benefits that changed status,
    and projects started, delivered or cancelled between two evaluations."""
    before = previous.projects.select(
        "project_id",
        pl.col("quadrant").alias("from_quadrant"),
        pl.col("status").alias("prev_status"),
        pl.col("delivery_ok").alias("prev_delivery_ok"),
        pl.col("outcome_ok").alias("prev_outcome_ok"),
    )
    joined = current.projects.join(before, on="project_id", how="left")
    moves = (
        joined.filter(
            pl.col("from_quadrant").is_null() | (pl.col("from_quadrant") != pl.col("quadrant"))
        )
        .filter(
            pl.col("from_quadrant").is_not_null()
            | ~pl.col("quadrant").is_in(["too_early", "no_outcome_defined"])
        )
        .with_columns(
            pl.col("quadrant").alias("to_quadrant"),
            pl.col("from_quadrant").replace_strict(QUADRANTS, default=None).alias("from_label"),
            pl.col("quadrant").replace_strict(QUADRANTS).alias("to_label"),
            _why_moved().alias("why"),
        )
        .select(
            *PROJECT_CONTEXT,
            "from_quadrant",
            "to_quadrant",
            "from_label",
            "to_label",
            "why",
            "delivery_ok",
            "outcome_ok",
            "outcome_score",
            "expected_score",
            "slip_days",
            "cost_variance",
        )
        .sort("to_quadrant", "name")
    )
    status_changes = (
        current.benefits.join(
            previous.benefits.select(
                "benefit_id",
                pl.col("status").alias("from_status"),
                pl.col("attainment").alias("prev_attainment"),
            ),
            on="benefit_id",
            how="inner",
        )
        .filter(pl.col("from_status") != pl.col("status"))
        .join(
            current.projects.select("project_id", pl.col("name").alias("project_name")),
            on="project_id",
            how="left",
        )
        .select(
            "benefit_id",
            "project_id",
            "project_name",
            "kpi",
            "owner",
            "from_status",
            pl.col("status").alias("to_status"),
            "prev_attainment",
            "attainment",
            "expected",
            "planned_value",
        )
        .sort("project_id", "benefit_id")
    )
    was = pl.col("prev_status")
    now = pl.col("status")
    started = (
        joined.filter(
            now.is_in(["active", "on_hold", "delivered"]) & (was.is_null() | (was == "proposed"))
        )
        .select(*PROJECT_CONTEXT, "start_date", "baseline_end")
        .sort("project_id")
    )
    delivered = (
        joined.filter((now == "delivered") & (was.is_null() | (was != "delivered")))
        .select(*PROJECT_CONTEXT, "actual_end", "slip_days", "cost_variance")
        .sort("project_id")
    )
    cancelled = (
        joined.filter((now == "cancelled") & (was.is_null() | (was != "cancelled")))
        .select(*PROJECT_CONTEXT, "actual_cost")
        .sort("project_id")
    )
    return QuarterComparison(
        headline=headline_deltas(previous.portfolio(), current.portfolio()),
        quadrant_moves=moves,
        status_changes=status_changes,
        started=started,
        delivered=delivered,
        cancelled=cancelled,
    )
