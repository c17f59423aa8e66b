"""The commitments funnel: committed, kept, realizing, as bars that shrink."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.theme import OUTPUT_COLOR, PLAN_COLOR, QUADRANT_COLORS

STAGE_COLORS = {
    "Committed": PLAN_COLOR,
    "Kept": OUTPUT_COLOR,
    "Realizing": QUADRANT_COLORS["realizing"],
}


def funnel_chart(stages: pl.DataFrame) -> alt.LayerChart:
    """One bar per stage with its count and its share of the committed projects."""
    data = stages.with_columns(
        pl.when(pl.col("stage") == "committed")
        .then(pl.col("n").cast(pl.String))
        .otherwise(
            pl.format(
                "{} · {}%",
                pl.col("n"),
                (pl.col("share_of_committed") * 100).round(0).cast(pl.Int64),
            )
        )
        .fill_null(pl.col("n").cast(pl.String))
        .alias("text")
    )
    y = alt.Y(
        "label:N",
        title=None,
        sort=alt.EncodingSortField("order"),
        axis=alt.Axis(labelFontSize=14, labelColor="#1f2a37", labelFontWeight=600),
    )
    top = max(int(stages.get_column("n").max() or 1), 1)
    x = alt.X("n:Q", title=None, axis=None, scale=alt.Scale(domain=[0, top * 1.45], nice=False))
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.72}, cornerRadiusEnd=3)
        .encode(
            y=y,
            x=x,
            color=alt.Color(
                "label:N",
                scale=alt.Scale(domain=list(STAGE_COLORS), range=list(STAGE_COLORS.values())),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Stage"),
                alt.Tooltip("meaning:N", title="Means"),
                alt.Tooltip("n:Q", title="Projects"),
                alt.Tooltip("share_of_committed:Q", title="Of committed", format=".0%"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=14, fontWeight=600)
        .encode(y=y, x=x, text="text:N")
    )
    return alt.layer(bars, text).properties(height=alt.Step(46), width="container")
