"""The delivery forecast as a fan: the chance that the open Jira work is done by each week,
shaded by the finish date it falls within (P50, P85, P95), read against the dates the
project committed to and reports."""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from charts.theme import INK, MUTED
from domain.formats import date_expr, percent_text
from metrics.forecast_words import BEYOND, FINISH_BANDS

# From the most likely dates (dark) to the least (light): one blue, lighter as it fans out.
BAND_COLORS = {
    FINISH_BANDS["finish_p50"]: "#0072B2",
    FINISH_BANDS["finish_p85"]: "#56B4E9",
    FINISH_BANDS["finish_p95"]: "#B3DAF2",
    BEYOND: "#E5E7EB",
}
COMMITMENT_COLOR = "#D55E00"


def fan_data(curve: pl.DataFrame, marks: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What the fan draws: one block per week (from its date to the next) and the marks,
    with their dates and chances as text."""
    weeks = curve.select(
        pl.col("date").cast(pl.String),
        (pl.col("date") + pl.duration(days=7)).cast(pl.String).alias("until"),
        "chance",
        "band",
        date_expr(pl.col("date")).alias("date_text"),
        percent_text(pl.col("chance")).alias("chance_text"),
    )
    shown = marks.select(
        "kind",
        "label",
        pl.col("date").cast(pl.String),
        "chance",
        "words",
        date_expr(pl.col("date")).alias("date_text"),
        percent_text(pl.col("chance")).alias("chance_text"),
    )
    return weeks, shown


def delivery_fan_chart(
    curve: pl.DataFrame, marks: pl.DataFrame, as_of: dt.date, height: int = 300
) -> alt.LayerChart:
    """The chance of being done by each date (`curve`: date, chance, band, from
    metrics.forecast_words.finish_curve), with the finish dates and the committed and
    reported ends (`marks`: metrics.forecast_words.finish_marks) on it."""
    weeks, shown = fan_data(curve, marks)
    x = alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6, grid=False),
    )
    scale = alt.Scale(domain=[0, 1])
    axis = alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])
    on_curve = alt.Y("chance:Q", title="Chance of being done", scale=scale, axis=axis)
    color = alt.Color(
        "band:N",
        title=None,
        scale=alt.Scale(domain=list(BAND_COLORS), range=list(BAND_COLORS.values())),
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    blocks = (
        alt.Chart(weeks)
        .mark_rect(opacity=1)
        .encode(
            x=x,
            x2="until:T",
            y=on_curve,
            y2=alt.Y2(datum=0),
            color=color,
            tooltip=[
                alt.Tooltip("date_text:N", title="Done by"),
                alt.Tooltip("chance_text:N", title="Chance"),
                alt.Tooltip("band:N", title="Within"),
            ],
        )
    )
    finish = shown.filter(pl.col("kind") == "finish")
    commitments = shown.filter(pl.col("kind") == "commitment")
    layers = [
        blocks,
        alt.Chart(finish)
        .mark_rule(color=INK, strokeDash=[3, 3], strokeWidth=1)
        .encode(x=x, y=on_curve, y2=alt.Y2(datum=0)),
        alt.Chart(finish)
        .mark_text(align="right", dx=-5, dy=-7, fontSize=13, color=INK, fontWeight=600)
        .encode(x=x, y=on_curve, text="words:N"),
        alt.Chart(commitments)
        .mark_rule(color=COMMITMENT_COLOR, strokeWidth=2)
        .encode(
            x=x,
            tooltip=[
                alt.Tooltip("label:N", title="Date"),
                alt.Tooltip("date_text:N", title="On"),
                alt.Tooltip("chance_text:N", title="Chance of making it"),
            ],
        ),
        alt.Chart(commitments)
        .mark_point(filled=True, size=90, color=COMMITMENT_COLOR, opacity=1)
        .encode(x=x, y=on_curve),
        # The committed end's label a line below the others: the two are often days apart.
        *(
            alt.Chart(commitments)
            .transform_filter(test)
            .mark_text(align="left", dx=6, baseline="top", fontSize=13, color=COMMITMENT_COLOR)
            .encode(x=x, y=alt.YValue(top), text="label:N")
            for test, top in (
                (alt.datum.label != "Committed end", 2),
                (alt.datum.label == "Committed end", 20),
            )
        ),
        alt.Chart(pl.DataFrame({"date": [as_of.isoformat()], "t": ["As of"]}))
        .mark_text(align="left", dx=4, baseline="bottom", fontSize=12, color=MUTED)
        .encode(x=alt.X("date:T"), y=alt.YValue(height), text="t:N"),
    ]
    return alt.layer(*layers, height=height, width="container").resolve_scale(y="shared")
