"""Benefit trajectories in KPI units: baseline, target, the straight expected line, what was
measured, coloured by the benefit's status (the same colours as every status chart), and
the benefit forecast's trend carried to the target date."""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from charts.theme import ACTUAL_COLOR, INK, MUTED, PLAN_COLOR, STATUS_LABELS, status_scale
from domain.formats import percent_text
from domain.measure import evidence_text

# The benefit forecast's trend line: blue dots, apart from the plan's grey dashes, the
# target's dark dots and the measurements' status colours.
TREND_COLOR = ACTUAL_COLOR

BENEFIT_COLUMNS = ("benefit_id", "kpi", "unit", "status", "baseline")


def _data(points: pl.DataFrame, benefits: pl.DataFrame) -> pl.DataFrame:
    attrs = benefits.select(*BENEFIT_COLUMNS).with_columns(
        pl.col("status").replace_strict(STATUS_LABELS).alias("status_label"),
        pl.when(pl.col("unit").is_not_null())
        .then(pl.format("{} ({})", pl.col("kpi"), pl.col("unit")))
        .otherwise(pl.col("kpi"))
        .alias("title"),
    )
    last = pl.col("date") == pl.col("date").max().over("benefit_id", "series")
    return points.join(attrs, on="benefit_id", how="inner").with_columns(
        pl.col("date").cast(pl.String),
        percent_text(pl.col("attainment")).alias("attainment_text"),
        last.alias("is_end"),
        evidence_text(pl.col("evidence"), pl.col("source")).alias("evidence_text"),
    )


def _layers(
    as_of: dt.date, labelled: bool, y_title: str | None = None, height: int = 320
) -> list[alt.Chart]:
    ticks = 5 if labelled else 3  # small multiples are narrow
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=ticks))
    # The KPI names the axis, never an encoding: Vega-Lite writes encoding titles into
    # expressions (tooltips, ARIA descriptions), where a quote or line break breaks them.
    # A long KPI is cut to the chart's height (the picker above shows it whole).
    axis = alt.Axis(title=y_title, titleLimit=max(height - 20, 60))
    y = alt.Y("value:Q", title=None, axis=axis, scale=alt.Scale(zero=False, nice=True, padding=18))
    base = alt.Chart()
    expected = base.transform_filter(alt.datum.series == "expected")
    measured = base.transform_filter(alt.datum.series == "measured")
    trend = base.transform_filter(alt.datum.series == "trend")
    trend_tooltip = [
        alt.Tooltip("date:T", title="Date", format="%-d %b %Y"),
        alt.Tooltip("value:Q", title="Trend", format=",.4~g"),
        alt.Tooltip("attainment_text:N", title="Attainment"),
    ]
    baseline = expected.transform_filter(alt.datum.attainment == 0)
    target = expected.transform_filter(alt.datum.attainment == 1)
    layers = [
        baseline.mark_rule(color=PLAN_COLOR, strokeWidth=1).encode(y=y),
        target.mark_rule(color=INK, strokeWidth=1.5, strokeDash=[2, 3]).encode(y=y),
        expected.mark_line(color=PLAN_COLOR, strokeDash=[6, 4], strokeWidth=2).encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%-d %b %Y"),
                alt.Tooltip("value:Q", title="Planned", format=",.4~g"),
            ],
        ),
        alt.Chart(pl.DataFrame({"as_of": [as_of.isoformat()]}))
        .mark_rule(color=MUTED, strokeWidth=1)
        .encode(x=alt.X("as_of:T")),
        # The benefit forecast: its measured trend, carried to the target date.
        trend.mark_line(
            color=TREND_COLOR, strokeDash=[0.5, 4], strokeWidth=3.5, strokeCap="round"
        ).encode(x=x, y=y, tooltip=trend_tooltip),
        trend.transform_filter(alt.datum.is_end)
        .mark_point(shape="diamond", size=70, filled=True, color=TREND_COLOR, opacity=1)
        .encode(x=x, y=y, tooltip=trend_tooltip),
        measured.mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=36)).encode(
            x=x,
            y=y,
            color=alt.Color(
                "status_label:N",
                title=None,
                scale=status_scale(),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Measured", format="%-d %b %Y"),
                alt.Tooltip("value:Q", title="Value", format=",.4~g"),
                alt.Tooltip("attainment_text:N", title="Attainment"),
                alt.Tooltip("status_label:N", title="Status now"),
                alt.Tooltip("evidence_text:N", title="Measured by"),
            ],
        ),
    ]
    if labelled:
        text = {"dy": -8, "fontSize": 12}
        layers += [
            # Baseline written under its line at the target date: the future is empty there.
            target.mark_text(color=MUTED, align="right", dy=12, fontSize=12)
            .transform_calculate(label="'Baseline ' + format(datum.baseline, ',.4~g')")
            .encode(x=x, y=alt.Y("baseline:Q", title=None, axis=axis), text=alt.Text("label:N")),
            target.mark_text(color=INK, fontWeight=600, align="right", **text)
            .transform_calculate(label="'Target ' + format(datum.value, ',.4~g')")
            .encode(x=x, y=y, text=alt.Text("label:N")),
            trend.transform_filter(alt.datum.is_end)
            .mark_text(color=TREND_COLOR, align="right", dy=-10, fontSize=12)
            .transform_calculate(label="'Trend ' + datum.attainment_text")
            .encode(x=x, y=y, text=alt.Text("label:N")),
            alt.Chart(pl.DataFrame({"as_of": [as_of.isoformat()], "t": ["As of"]}))
            .mark_text(color=MUTED, align="left", dx=4, baseline="top", fontSize=12)
            .encode(x=alt.X("as_of:T"), y=alt.YValue(2), text=alt.Text("t:N")),
        ]
    return layers


def trajectory_chart(
    points: pl.DataFrame,
    benefit: pl.DataFrame,
    as_of: dt.date,
    height: int = 320,
    compact: bool = False,
) -> alt.LayerChart:
    """One benefit: dashed line from baseline (at its start) to target (at its target date),
    the measurements so far, and a rule at the as-of date.

    `compact` is the small-multiple form: the KPI as the chart's title, no value labels.
    """
    data = _data(points, benefit)
    kpi, unit = benefit.select("kpi", "unit").row(0) if benefit.height else (None, None)
    label = " ".join((f"{kpi} ({unit})" if unit else str(kpi or "")).split())  # one line
    title = alt.TitleParams(label or "", fontSize=14, fontWeight=600, limit=320)
    return alt.layer(
        *_layers(as_of, labelled=not compact, y_title=None if compact else label, height=height),
        data=data,
        height=height,
        width="container",
        title=title if compact else alt.Undefined,
    )
