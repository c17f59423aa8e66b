"""The machine-readable report: every figure of docs/metrics.md under its own name."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl

from metrics.benefit_forecast import REPORTED as BENEFIT_FORECAST_COLUMNS
from metrics.delivery_forecast import REPORTED as DELIVERY_FORECAST_COLUMNS
from metrics.evaluate import Evaluation
from metrics.portfolio import COUNT_KEYS, GROUPS, PORTFOLIO_KEYS

PROJECT_KEYS = (
    "project_id",
    "delivered",
    "slip_days",
    "on_time",
    "cost_variance",
    "on_budget",
    "completion",
    "on_scope",
    "delivery_ok",
    "output_score",
    "cpi",
    "spi",
    "outcome_score",
    "expected_score",
    "outcome_ok",
    "quadrant",
    "rag_mismatch",
    # Forecasts: the delivery forecast of a Jira-linked project not yet delivered
    *DELIVERY_FORECAST_COLUMNS,
)
BENEFIT_KEYS = (
    "benefit_id",
    "project_id",
    "attainment",
    "expected",
    "status",
    "realized_value",
    "expected_value",
    "value_at_risk",
    "time_to_value_days",
    "evidence",
    # Forecasts: the benefit's trend
    *BENEFIT_FORECAST_COLUMNS,
)


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null, dates become ISO text."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts: NaN and infinities become None, dates ISO text (done column-wise)."""
    cleaned = frame.with_columns(
        pl.when(pl.col(pl.Float64).is_finite()).then(pl.col(pl.Float64)).otherwise(None),
        pl.col(pl.Date).dt.to_string("%Y-%m-%d"),
    )
    return cleaned.to_dicts()


def _flat(frame: pl.LazyFrame) -> pl.LazyFrame:
    """For CSV, which has no lists: a list (weekly counts, the finish curve) becomes its
    values separated by semicolons, the first first."""
    return frame.with_columns(
        pl.col(pl.List).list.eval(pl.element().cast(pl.String)).list.join(";")
    )


def projects_table(evaluation: Evaluation) -> pl.DataFrame:
    """The per-project figures as a flat table (CSV)."""
    return _flat(evaluation.projects.select(PROJECT_KEYS).sort("project_id")).collect()


def benefits_table(evaluation: Evaluation) -> pl.DataFrame:
    """The per-benefit figures as a flat table (CSV)."""
    return _flat(
        evaluation.benefits.select(BENEFIT_KEYS).sort("project_id", "benefit_id")
    ).collect()


def portfolio_row(evaluation: Evaluation, by: str | None = None) -> pl.DataFrame:
    return evaluation.portfolio(by).collect()


def portfolio_table(evaluation: Evaluation, snapshot_as_of: dt.date | None) -> pl.DataFrame:
    """The portfolio figures as one row, after the dates they are as of (the CSV report)."""
    frame = evaluation.portfolio().select(PORTFOLIO_KEYS).collect()
    if frame.height == 0:
        frame = pl.DataFrame([empty_portfolio()], schema=frame.schema)
    return frame.select(
        pl.lit(evaluation.as_of, dtype=pl.Date).alias("as_of"),
        pl.lit(snapshot_as_of, dtype=pl.Date).alias("snapshot_as_of"),
        pl.all(),
    )


def empty_portfolio() -> dict[str, Any]:
    """Figures of a portfolio with no project: counts are 0, rates undefined."""
    money = {"value_at_risk", "forecast_shortfall", "evidenced_value", "claimed_value"}
    return {k: (0 if k in COUNT_KEYS else 0.0 if k in money else None) for k in PORTFOLIO_KEYS}


def build_report(evaluation: Evaluation, snapshot_as_of: dt.date | None) -> dict[str, Any]:
    """The report as plain data: `as_of`, `portfolio`, `projects`, `benefits`, and groups."""
    evaluation = evaluation.collected()
    frames = pl.collect_all(
        [
            evaluation.portfolio(),
            *[evaluation.portfolio(g) for g in GROUPS],
            evaluation.projects.select(PROJECT_KEYS).sort("project_id"),
            evaluation.benefits.select(BENEFIT_KEYS).sort("project_id", "benefit_id"),
        ]
    )
    portfolio, *groups, projects, benefits = frames
    portfolio_figures = (
        {k: _clean(v) for k, v in portfolio.select(PORTFOLIO_KEYS).row(0, named=True).items()}
        if portfolio.height
        else empty_portfolio()
    )
    return {
        "as_of": evaluation.as_of.isoformat(),
        "snapshot_as_of": snapshot_as_of.isoformat() if snapshot_as_of else None,
        "portfolio": portfolio_figures,
        "by": {
            group: _records(frame.select(group, *PORTFOLIO_KEYS).sort(group, nulls_last=True))
            for group, frame in zip(GROUPS, groups, strict=True)
        },
        "projects": _records(projects),
        "benefits": _records(benefits),
    }
