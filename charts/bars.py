"""Bar charts of benefits by group: status mix and value at risk, in the status colours."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from charts.template import Fill, filled_chart, top
from charts.theme import STATUS_LABELS, status_scale
from domain.figures import label
from domain.formats import money_expr, money_label_expr, percent_text
from metrics.outcomes import AT_RISK_STATUSES


def _labelled(mix: pl.DataFrame) -> pl.DataFrame:
    return mix.with_columns(
        pl.col("status").replace_strict(STATUS_LABELS).alias("status_label"),
        money_expr(pl.col("planned_value")).alias("planned_text"),
        money_expr(pl.col("value_at_risk")).alias("at_risk_text"),
        percent_text(pl.col("share")).alias("share_text"),
    )


def status_mix_chart(mix: pl.DataFrame, group: str = "objective", title: str = "") -> alt.Chart:
    """Stacked bars: how many benefits of each group are achieved, on track, ... not due."""
    data = _labelled(mix)
    return (
        alt.Chart(data, title=title)
        .mark_bar(height={"band": 0.7})
        .encode(
            y=alt.Y(f"{group}:N", title=None, sort="ascending"),
            x=alt.X(
                "n:Q", title="Benefits", stack="zero", axis=alt.Axis(tickMinStep=1, tickCount=6)
            ),
            color=alt.Color(
                "status_label:N",
                title=None,
                scale=status_scale(),
                legend=alt.Legend(orient="bottom", columns=3, symbolType="square"),
            ),
            order=alt.Order("status_order:Q"),
            tooltip=[
                alt.Tooltip(f"{group}:N", title=group.capitalize()),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("n:Q", title="Benefits"),
                alt.Tooltip("share_text:N", title="Share"),
                alt.Tooltip("planned_text:N", title="Planned value"),
            ],
        )
        .properties(height=alt.Step(44), width="container")
    )


SEGMENTS, TOTALS = "segments", "totals"


def value_at_risk_fill(mix: pl.DataFrame, group: str = "objective") -> Fill:
    """The template's data: one segment per group and status at risk, one total per group."""
    at_risk = mix.filter(pl.col("status").is_in(AT_RISK_STATUSES) & (pl.col("value_at_risk") > 0))
    totals = (
        at_risk.select(group, pl.col("group_value_at_risk").alias("total"))
        .unique(group, maintain_order=True)
        .with_columns(money_expr(pl.col("total")).alias("total_text"))
    )
    segments = _labelled(at_risk).join(totals.select(group, "total"), on=group)
    return Fill({SEGMENTS: segments, TOTALS: totals}, {"top": top(totals["total"].max())})


def value_at_risk_chart(mix: pl.DataFrame, group: str = "objective") -> dict[str, Any]:
    """Value at risk per group as a complete Vega-Lite spec."""
    return filled_chart(value_at_risk_template(group), value_at_risk_fill(mix, group))


def value_at_risk_template(group: str = "objective") -> alt.LayerChart:
    """Stacked bars of value at risk per group, split by why: behind, far behind, unmeasured;
    the total at the end of each bar (room for it: parameter `top`, the largest total)."""
    largest = alt.param(name="top", value=1.0)
    y = alt.Y(f"{group}:N", title=None, sort=alt.EncodingSortField("total", order="descending"))
    scale = alt.Scale(domainMin=0, domainMax=alt.ExprRef(expr="top * 1.2"), nice=False)
    bars = (
        alt.Chart(alt.NamedData(name=SEGMENTS))
        .mark_bar(height={"band": 0.7})
        .encode(
            y=y,
            x=alt.X(
                "value_at_risk:Q",
                title=label("value_at_risk"),
                stack="zero",
                scale=scale,
                axis=alt.Axis(labelExpr=money_label_expr(), tickCount=4),
            ),
            color=alt.Color(
                "status_label:N",
                title=None,
                scale=status_scale(),
                legend=alt.Legend(
                    orient="bottom",
                    symbolType="square",
                    values=[STATUS_LABELS[s] for s in AT_RISK_STATUSES],
                ),
            ),
            order=alt.Order("status_order:Q"),
            tooltip=[
                alt.Tooltip(f"{group}:N", title=group.capitalize()),
                alt.Tooltip("status_label:N", title="Benefits"),
                alt.Tooltip("n:Q", title="How many"),
                alt.Tooltip("at_risk_text:N", title=label("value_at_risk")),
            ],
        )
    )
    labels = (
        alt.Chart(alt.NamedData(name=TOTALS))
        .mark_text(align="left", dx=6, fontWeight=600)
        .encode(y=y, x=alt.X("total:Q", scale=scale), text=alt.Text("total_text:N"))
    )
    return alt.layer(bars, labels, height=alt.Step(44), width="container").add_params(largest)
