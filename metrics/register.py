"""The benefit register: every benefit of the active projects with its project's context."""

from __future__ import annotations

import polars as pl

from metrics.common import project_context
from metrics.outcomes import STATUSES


def benefit_register(projects: pl.LazyFrame, benefits: pl.LazyFrame) -> pl.LazyFrame:
    """Benefits of non-cancelled projects with `project_name`, sponsor, objective, portfolio
    and the project's quadrant; due benefits first, then the most value at risk, so the
    first row is the one an executive should look at."""
    context = project_context(projects, "quadrant")
    order = {status: i for i, status in enumerate(STATUSES)}
    return (
        benefits.join(context, on="project_id", how="inner")
        .with_columns(pl.col("status").replace_strict(order).alias("_status_order"))
        .sort(
            ["due", "value_at_risk", "_status_order", "project_name", "kpi"],
            descending=[True, True, True, False, False],
            nulls_last=True,
        )
        .drop("_status_order")
    )
