"""Delivery scatters: schedule slip against cost variance, CPI against SPI, one mark per project.

Marks are coloured by the project's quadrant, as everywhere in the app, so a watermelon
looks the same on the Overview and here.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.theme import INK, MUTED, QUADRANT_LABELS, quadrant_scale
from domain.formats import money_expr, percent_text, signed_percent_text

SELECTION = "pick"
SLIP_CAP = 365  # days: beyond a year the exact figure no longer changes the decision
CV_CAP = 0.6
EV_TICKS = [0.4, 0.6, 0.8, 1.0, 1.2, 1.4]


def _points(projects: pl.DataFrame, *required: str) -> pl.DataFrame:
    return (
        projects.filter(~pl.col("cancelled"))
        .drop_nulls(list(required))
        .with_columns(
            pl.col("quadrant").replace_strict(QUADRANT_LABELS).alias("quadrant_label"),
            pl.col("budget").fill_null(0.0).alias("size_budget"),
            money_expr(pl.col("budget")).alias("budget_text"),
            money_expr(pl.col("eac")).alias("eac_text"),
            signed_percent_text(pl.col("cost_variance")).alias("cost_variance_text"),
            percent_text(pl.col("completion")).alias("completion_text"),
        )
    )


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("name:N", title="Project"),
        alt.Tooltip("sponsor:N", title="Sponsor"),
        alt.Tooltip("quadrant_label:N", title="Verdict"),
        alt.Tooltip("budget_text:N", title="Budget"),
        alt.Tooltip("eac_text:N", title="Forecast cost"),
        alt.Tooltip("slip_days:Q", title="Slip (days)"),
        alt.Tooltip("cost_variance_text:N", title="Cost variance"),
        alt.Tooltip("completion_text:N", title="Scope complete"),
        alt.Tooltip("cpi:Q", title="CPI", format=".2f"),
        alt.Tooltip("spi:Q", title="SPI", format=".2f"),
    ]


def _marks(data: pl.DataFrame, x: alt.X, y: alt.Y) -> alt.Chart:
    pick = alt.selection_point(name=SELECTION, fields=["project_id"], on="click")
    return (
        alt.Chart(data)
        .mark_circle(opacity=0.85, stroke="white", strokeWidth=1, cursor="pointer")
        .encode(
            x=x,
            y=y,
            size=alt.Size("size_budget:Q", scale=alt.Scale(range=[50, 1100]), legend=None),
            color=alt.Color("quadrant_label:N", title=None, scale=quadrant_scale(), legend=None),
            tooltip=_tooltip(),
        )
        .add_params(pick)
    )


def _rule(axis: alt.X | alt.Y, value: float) -> alt.Chart:
    """A dashed tolerance line on the same scale as the marks (so it adds nothing to it)."""
    field = "x" if isinstance(axis, alt.X) else "y"
    data = pl.DataFrame({field: [float(value)]})
    return alt.Chart(data).mark_rule(color=MUTED, strokeDash=[4, 4]).encode(**{field: axis})


def _corner(x: alt.X, y: alt.Y, at: tuple[float, float], text: str, align: str) -> alt.Chart:
    data = pl.DataFrame({"x": [at[0]], "y": [at[1]], "text": [text]})
    return (
        alt.Chart(data)
        .mark_text(align=align, fontSize=13, fontWeight=600, color=INK, opacity=0.5)
        .encode(x=x, y=y, text=alt.Text("text:N"))
    )


def slip_cost_chart(
    projects: pl.DataFrame,
    schedule_tolerance_days: int,
    budget_tolerance: float,
    height: int = 400,
) -> alt.LayerChart:
    """Slip in days (x) against cost variance (y); the dashed lines are the tolerances."""
    data = _points(projects, "slip_days", "cost_variance").with_columns(
        pl.col("slip_days").clip(-60, SLIP_CAP).alias("x"),
        pl.col("cost_variance").clip(-CV_CAP / 2, CV_CAP).alias("y"),
    )
    x = alt.X(
        "x:Q",
        title="Schedule slip (days past the baseline end)",
        scale=alt.Scale(domain=[-60, SLIP_CAP + 20], nice=False),
        axis=alt.Axis(values=list(range(-60, SLIP_CAP + 1, 60))),
    )
    y = alt.Y(
        "y:Q",
        title="Cost variance (forecast against budget)",
        scale=alt.Scale(domain=[-CV_CAP / 2, CV_CAP + 0.05], nice=False),
        axis=alt.Axis(format="+.0%", values=[-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
    )
    return alt.layer(
        _rule(x, schedule_tolerance_days),
        _rule(y, budget_tolerance),
        _corner(x, y, (SLIP_CAP + 15, CV_CAP), "Late and over budget", "right"),
        _corner(x, y, (-55, -CV_CAP / 2 + 0.02), "On time, on budget", "left"),
        _marks(data, x, y),
        height=height,
        width="container",
    )


def cpi_spi_chart(projects: pl.DataFrame, height: int = 400) -> alt.LayerChart:
    """Earned value: schedule performance (x) against cost performance (y); 1 is on plan."""
    data = _points(projects, "cpi", "spi").with_columns(
        pl.col("spi").clip(0.3, 1.5).alias("x"),
        pl.col("cpi").clip(0.3, 1.5).alias("y"),
    )
    x = alt.X(
        "x:Q",
        title="SPI: work done against work planned by now",
        scale=alt.Scale(domain=[0.3, 1.55], nice=False),
        axis=alt.Axis(format=".1f", values=EV_TICKS),
    )
    y = alt.Y(
        "y:Q",
        title="CPI: work done against money spent",
        scale=alt.Scale(domain=[0.3, 1.55], nice=False),
        axis=alt.Axis(format=".1f", values=EV_TICKS),
    )
    return alt.layer(
        _rule(x, 1.0),
        _rule(y, 1.0),
        _corner(x, y, (1.53, 1.5), "Ahead, under cost", "right"),
        _corner(x, y, (0.33, 0.33), "Behind, over cost", "left"),
        _marks(data, x, y),
        height=height,
        width="container",
    )
