"""Output rate against outcome rate, quarter by quarter: the gap as a shaded band."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.theme import OUTCOME_COLOR, OUTPUT_COLOR
from domain.figures import label
from domain.formats import percent_text

SERIES_LABELS = {name: label(name) for name in ("output_rate", "outcome_rate")}


def gap_trend_chart(series: pl.DataFrame, height: int = 260) -> alt.LayerChart:
    """`series` has one row per quarter with `quarter`, `output_rate`, `outcome_rate`."""
    data = series.select("quarter", "output_rate", "outcome_rate")
    long = data.unpivot(index="quarter", variable_name="measure", value_name="rate").with_columns(
        pl.col("measure").replace_strict(SERIES_LABELS), percent_text(pl.col("rate")).alias("shown")
    )
    # "Q3" over "2026": eight quarters fit a half-width chart at 1280 without running together
    x = alt.X(
        "quarter:O",
        title=None,
        axis=alt.Axis(
            labelAngle=0,
            labelExpr="[substring(datum.label, 5), substring(datum.label, 0, 4)]",
        ),
    )
    band = (
        alt.Chart(data.drop_nulls(["output_rate", "outcome_rate"]))  # shaded where both are
        .mark_area(color=OUTCOME_COLOR, opacity=0.12)
        .encode(x=x, y="output_rate:Q", y2="outcome_rate:Q")
    )
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y(
                "rate:Q", title=None, axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1])
            ),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=list(SERIES_LABELS.values()), range=[OUTPUT_COLOR, OUTCOME_COLOR]
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("shown:N", title="Share of projects"),
            ],
        )
    )
    return alt.layer(band, lines).properties(height=height)
