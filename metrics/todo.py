"""Unmeasured benefits as a to-do list: what nobody measures, and who should."""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.common import days_between, project_context


def unmeasured_todo(projects: pl.LazyFrame, benefits: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """Due benefits without a current measurement, with their owner (missing owners first,
    then the most value at risk). `days_since_measured` is null when never measured."""
    context = project_context(projects)
    owner_missing = pl.col("owner").is_null() | (pl.col("owner").str.strip_chars() == "")
    return (
        benefits.filter(pl.col("status") == "unmeasured")
        .join(context, on="project_id", how="inner")
        .with_columns(
            owner_missing.alias("owner_missing"),
            pl.col("measured_at").alias("last_measured_at"),
            days_between(pl.lit(as_of), pl.col("measured_at")).alias("days_since_measured"),
            pl.col("start").alias("due_since"),
        )
        .select(
            "benefit_id",
            "kpi",
            "unit",
            "project_id",
            "project_name",
            "sponsor",
            "objective",
            "portfolio",
            "owner",
            "owner_missing",
            "last_measured_at",
            "days_since_measured",
            "due_since",
            "planned_value",
            "value_at_risk",
        )
        .sort(
            ["owner_missing", "value_at_risk", "kpi"],
            descending=[True, True, False],
            nulls_last=True,
        )
    )
