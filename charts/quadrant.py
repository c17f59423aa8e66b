"""The output-by-outcome quadrant: one mark per project, where delivery meets value."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from charts.template import Fill, filled_chart
from charts.theme import INK, MUTED, QUADRANT_LABELS, quadrant_scale
from domain.formats import money_expr, percent_text, signed_percent_text
from metrics.gap import JUDGED

SELECTION = "pick"
POINTS = "projects"
CROWD = "crowd"
# Bubbles beyond this many are not read one by one (10,000 overlap into a blot) and cost a
# browser seconds to embed: the largest budgets are drawn, the rest shaded where they fall.
MAX_BUBBLES = 300
X_BIN, Y_BIN = 0.05, 10.0
# On a slide, the bubbles that matter carry their names: the largest budgets among the
# projects whose value is not arriving (watermelons, rescue or stop).
NAMED = 4
NAMED_QUADRANTS = ("watermelon", "rescue_or_stop")
X_SPLIT = 0.835  # between 2 of 3 criteria met and all of them
Y_FLOOR, Y_CEIL = -100.0, 60.0
SHARES = ("cost_variance", "completion", "outcome_score", "expected_score")  # tooltips, as text


def _jitter() -> pl.Expr:
    """A small, stable horizontal offset so projects with equal scores do not hide each other."""
    return ((pl.col("project_id").hash(seed=7) % 1000).cast(pl.Float64) / 1000 - 0.5) * 0.07


def quadrant_data(projects: pl.DataFrame) -> pl.DataFrame:
    """One row per judged project with only what the marks and tooltips show, rounded to
    what the eye can tell apart: at 10,000 projects this is the page's largest payload."""
    judged = projects.filter(pl.col("quadrant").is_in(JUDGED) & ~pl.col("cancelled"))
    lag = 100 * (pl.col("outcome_score") - pl.col("expected_score"))
    return judged.select(
        "project_id",
        "name",
        "sponsor",
        pl.col("quadrant").replace_strict(QUADRANT_LABELS).alias("quadrant_label"),
        (pl.col("output_score") + _jitter()).clip(-0.02, 1.03).round(4).alias("x"),
        lag.clip(Y_FLOOR, Y_CEIL).round(2).alias("y"),
        pl.col("budget").fill_null(0.0).round(0).alias("size_budget"),
        money_expr(pl.col("budget")).alias("budget_text"),
        "slip_days",
        signed_percent_text(pl.col("cost_variance")).alias("cost_variance_text"),
        *(percent_text(pl.col(c)).alias(f"{c}_text") for c in SHARES[1:]),
        pl.when(
            pl.col("quadrant").is_in(NAMED_QUADRANTS)
            & (
                pl.col("budget")
                .fill_null(0.0)
                .rank("ordinal", descending=True)
                .over(pl.col("quadrant").is_in(NAMED_QUADRANTS))
                <= NAMED
            )
        )
        .then(pl.col("name"))
        .alias("label"),
    )


def _crowd(rest: pl.DataFrame) -> pl.DataFrame:
    """How many of the projects not drawn as bubbles fall in each cell of a grid."""
    x0 = (pl.col("x") / X_BIN).floor() * X_BIN
    y0 = (pl.col("y") / Y_BIN).floor() * Y_BIN
    return (
        rest.group_by(x0.round(4).alias("x0"), y0.round(2).alias("y0"))
        .agg(pl.len().alias("n"))
        .with_columns(
            (pl.col("x0") + X_BIN).round(4).alias("x1"), (pl.col("y0") + Y_BIN).alias("y1")
        )
        .sort("x0", "y0")
    )


def quadrant_fill(projects: pl.DataFrame, max_bubbles: int = MAX_BUBBLES) -> Fill:
    """The template's data for these projects (see charts.template): a bubble for each of
    the `max_bubbles` largest budgets, the others counted per cell of a grid."""
    data = quadrant_data(projects).sort(
        ["size_budget", "project_id"], descending=[True, False], nulls_last=True
    )
    return Fill({POINTS: data.head(max_bubbles), CROWD: _crowd(data.slice(max_bubbles))})


def not_drawn(data: Fill) -> int:
    """How many judged projects are shaded, not drawn as bubbles."""
    crowd = data.datasets.get(CROWD)
    return int(crowd.get_column("n").sum()) if crowd is not None and crowd.height else 0


def crowd_note(data: Fill) -> str:
    """' The 300 largest budgets are bubbles; 7,620 more are shaded where they fall.' or ''."""
    more = not_drawn(data)
    if not more:
        return ""
    drawn = data.datasets[POINTS].height
    return (
        f" The {drawn:,} largest budgets are bubbles; {more:,} more projects are shaded "
        "grey where they fall (darker: more of them)."
    )


def quadrant_chart(
    projects: pl.DataFrame, outcome_tolerance: float, height: int = 430
) -> dict[str, Any]:
    """The quadrant of these projects as a complete Vega-Lite spec."""
    return filled_chart(quadrant_template(outcome_tolerance, height), quadrant_fill(projects))


def quadrant_template(
    outcome_tolerance: float, height: int = 430, named: bool = False
) -> alt.LayerChart:
    """Scatter of delivery score against outcome lag, with the quadrant lines and labels.

    The corner labels are written in their quadrant's colour and stand in for a legend.
    The projects are the named dataset POINTS (charts.template); `named` writes the names
    of the bubbles that matter (NAMED) beside them."""
    pick = alt.selection_point(name=SELECTION, fields=["project_id"], on="click")
    colors = quadrant_scale()
    y_split = -100 * outcome_tolerance
    x_axis = {
        "title": "Delivery: on time, on budget, on scope (share met)",
        # room beyond 0% and 100% for the largest bubble's radius: none is cut at the edge
        "scale": alt.Scale(domain=[-0.08, 1.12], nice=False),
        "axis": alt.Axis(format=".0%", values=[0, 1 / 3, 0.5, 2 / 3, 1]),
    }
    y_axis = {
        "title": "Value behind (−) or ahead (+) of plan, points",
        "scale": alt.Scale(domain=[Y_FLOOR - 10, Y_CEIL + 10], nice=False),
        "axis": alt.Axis(format="+d"),
    }
    x, y = alt.X("x:Q", **x_axis), alt.Y("y:Q", **y_axis)
    crowd = (
        alt.Chart(alt.NamedData(name=CROWD))
        .mark_rect(color=MUTED)
        .encode(
            x=alt.X("x0:Q", **x_axis),
            x2="x1:Q",
            y=alt.Y("y0:Q", **y_axis),
            y2="y1:Q",
            opacity=alt.Opacity("n:Q", scale=alt.Scale(range=[0.08, 0.55]), legend=None),
            tooltip=[alt.Tooltip("n:Q", title="Smaller projects here", format=",")],
        )
    )
    points = (
        alt.Chart(alt.NamedData(name=POINTS))
        .mark_circle(opacity=0.85, stroke="white", strokeWidth=1, cursor="pointer")
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "size_budget:Q", title="Budget", scale=alt.Scale(range=[60, 1400]), legend=None
            ),
            color=alt.Color("quadrant_label:N", title=None, scale=colors, legend=None),
            tooltip=[
                alt.Tooltip("name:N", title="Project"),
                alt.Tooltip("sponsor:N", title="Sponsor"),
                alt.Tooltip("quadrant_label:N", title="Verdict"),
                alt.Tooltip("budget_text:N", title="Budget"),
                alt.Tooltip("slip_days:Q", title="Slip (days)"),
                alt.Tooltip("cost_variance_text:N", title="Cost variance"),
                alt.Tooltip("completion_text:N", title="Scope complete"),
                alt.Tooltip("outcome_score_text:N", title="Value attained"),
                alt.Tooltip("expected_score_text:N", title="Expected by now"),
            ],
        )
        .add_params(pick)
    )
    rules = (
        alt.Chart(pl.DataFrame({"x": [X_SPLIT]}))
        .mark_rule(color=MUTED, strokeDash=[4, 4])
        .encode(x=alt.X("x:Q"))
    )
    hrule = (
        alt.Chart(pl.DataFrame({"y": [y_split]}))
        .mark_rule(color=MUTED, strokeDash=[4, 4])
        .encode(y=alt.Y("y:Q"))
    )
    corners = pl.DataFrame(
        {
            "x": [1.11, 1.11, -0.07, -0.07],
            "y": [Y_CEIL, Y_FLOOR, Y_CEIL, Y_FLOOR],
            "text": [
                QUADRANT_LABELS[q]
                for q in ("realizing", "watermelon", "late_but_realizing", "rescue_or_stop")
            ],
        }
    )
    corner_text = [
        alt.Chart(corners.filter(side))
        .mark_text(align=align, fontSize=14, fontWeight=700)
        .encode(
            x=alt.X("x:Q"),
            y=alt.Y("y:Q"),
            text=alt.Text("text:N"),
            color=alt.Color("text:N", scale=colors, legend=None),
        )
        for side, align in ((pl.col("x") > 0.5, "right"), (pl.col("x") < 0.5, "left"))
    ]
    names = [
        alt.Chart(alt.NamedData(name=POINTS))
        .transform_filter(f"isValid(datum.label) && datum.x {side} 0.5")
        .mark_text(align=align, dx=dx, fontSize=14, fontWeight=600, color=INK, limit=340)
        .encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), text=alt.Text("label:N"))
        for side, align, dx in ((">=", "right", -14), ("<", "left", 14))
    ]
    layers = [crowd, rules, hrule, *corner_text, points, *(names if named else [])]
    return alt.layer(*layers, height=height, width="container")
