"""Benefits by group and status: where the promised value stands, objective by objective."""

from __future__ import annotations

import polars as pl

from metrics.outcomes import STATUSES

STATUS_ORDER: dict[str, int] = {
    "achieved": 0,
    "on_track": 1,
    "at_risk": 2,
    "off_track": 3,
    "unmeasured": 4,
    "not_due": 5,
}
assert set(STATUS_ORDER) == set(STATUSES)


def status_mix(
    projects: pl.LazyFrame, benefits: pl.LazyFrame, by: str = "objective"
) -> pl.LazyFrame:
    """Per group and status: benefits (`n`), their planned value and value at risk, their
    share of the group's benefits, and the group's whole value at risk.
    Benefits of cancelled projects are left out, as in every rate."""
    groups = projects.filter(~pl.col("cancelled")).select("project_id", by)
    return (
        benefits.select("project_id", "status", "planned_value", "value_at_risk")
        .join(groups, on="project_id", how="inner")
        .group_by(by, "status")
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            pl.col("planned_value").sum().alias("planned_value"),
            pl.col("value_at_risk").sum().alias("value_at_risk"),
        )
        .with_columns(
            (pl.col("n") / pl.col("n").sum().over(by)).alias("share"),
            pl.col("value_at_risk").sum().over(by).alias("group_value_at_risk"),
            pl.col("status").replace_strict(STATUS_ORDER).alias("status_order"),
        )
        .sort(by, "status_order", nulls_last=True)
    )
