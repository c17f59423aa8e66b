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

# A small multiple's title runs the container's width (320 px where there is none, as
# when a spec is drawn outside a page).
TITLE_LIMIT = "containerSize()[0] > 0 ? containerSize()[0] - 8 : 320"

BENEFIT_COLUMNS = ("benefit_id", "kpi", "unit", "status", "baseline", "target")


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


# What the baseline and target lines are called on the chart.
LINE_LABELS = {"baseline": "Baseline", "target": "Target"}


def _line_labels(end: alt.Chart, x: alt.X, axis: alt.Axis) -> list[alt.Chart]:
    """The words "Baseline 36" and "Target 8" on their lines, ending at the target date
    (the future is empty there; the measurements are behind): the baseline's words on the
    far side from the target, the target's on the far side from the baseline. Numbers as
    the axis writes them (320,000, never 3.2e+5)."""
    rising = "datum.target >= datum.baseline"
    layers = []
    for field, color, weight in (("baseline", MUTED, 400), ("target", INK, 600)):
        words = f"'{LINE_LABELS[field]} ' + format(datum.{field}, ',.4~r')"
        for above in (True, False):
            # the target reads above its line when the KPI rises, the baseline below
            side = rising if above == (field == "target") else f"!({rising})"
            words_on_line = (
                end.transform_filter(side)
                .transform_calculate(label=words)
                .encode(
                    x=x,
                    y=alt.Y(f"{field}:Q", title=None, axis=axis),
                    text=alt.Text("label:N"),
                )
            )
            place = {
                "fontSize": 12,
                "fontWeight": weight,
                "align": "right",
                "baseline": "bottom" if above else "top",
                "dx": -2,
                "dy": -2 if above else 2,
            }
            # a white halo under the words keeps them legible where a trend runs through
            layers += [
                words_on_line.mark_text(stroke="white", strokeWidth=4, strokeJoin="round", **place),
                words_on_line.mark_text(color=color, **place),
            ]
    return layers


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
    # Baseline and target are named on their lines, each on the side away from the other
    # (outside the band the plan runs through, where the scale's padding leaves room): a
    # rising KPI has its target above, a falling one below.
    layers += _line_labels(target, x, axis)
    if labelled:
        layers += [
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
    both lines named, the measurements so far, the trend, and a rule at the as-of date.

    `compact` is the small-multiple form: the KPI as the chart's title, no trend or as-of
    labels. The chart takes its container's width and `height` for its plot: the title and
    axes come on top (autosize fit-x), so a tick at the top edge never pushes the title out
    of the frame as fitting the height does, and the title is cut (with an ellipsis) only
    at the container's width.
    """
    data = _data(points, benefit)
    kpi, unit = benefit.select("kpi", "unit").row(0) if benefit.height else (None, None)
    label = " ".join((f"{kpi} ({unit})" if unit else str(kpi or "")).split())  # one line
    title = alt.TitleParams(
        label or "", fontSize=14, fontWeight=600, limit=alt.ExprRef(TITLE_LIMIT)
    )
    return alt.layer(
        *_layers(as_of, labelled=not compact, y_title=None if compact else label, height=height),
        data=data,
        height=height,
        width="container",
        title=title if compact else alt.Undefined,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
