"""The commitments funnel: due by now, kept, realizing value, as bars that shrink."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from charts.template import Fill, filled_chart, top
from charts.theme import OUTPUT_COLOR, PLAN_COLOR, QUADRANT_COLORS
from domain.figures import label
from domain.formats import percent_text

STAGE_COLORS = {
    label("committed"): PLAN_COLOR,
    label("kept"): OUTPUT_COLOR,
    label("realizing"): QUADRANT_COLORS["realizing"],
}


STAGES = "stages"


def _due(stages: pl.DataFrame) -> int:
    committed = stages.filter(pl.col("stage") == "committed").get_column("n")
    return int(committed.first() or 0) if committed.len() else 0


def funnel_caption(stages: pl.DataFrame) -> str:
    """Whom the funnel counts, in words: its shares are of the projects due by now, not of
    every project as the headline rates are."""
    return (
        f"Of the {_due(stages):,} projects due by now (their committed end date has passed): "
        f"how many were delivered on time and on budget ({label('kept').lower()}), and how "
        f"many of those are {label('realizing').lower()}."
    )


def funnel_fill(stages: pl.DataFrame) -> Fill:
    """The template's data: the stages with their labels ('32 of the 44'), the share of the
    projects due in the tooltip, and the longest bar."""
    data = stages.with_columns(
        pl.when(pl.col("stage") == "committed")
        .then(pl.format("{} projects", pl.col("n")))
        .otherwise(pl.format("{} of the {}", pl.col("n"), pl.lit(_due(stages))))
        .alias("text"),
        percent_text(pl.col("share_of_committed")).alias("share_text"),
    )
    return Fill({STAGES: data}, {"top": top(stages.get_column("n").max())})


def funnel_chart(stages: pl.DataFrame) -> dict[str, Any]:
    """The funnel of these stages as a complete Vega-Lite spec."""
    return filled_chart(funnel_template(), funnel_fill(stages))


def funnel_template() -> alt.LayerChart:
    """One bar per stage with its count and its share of the committed projects; room on
    the right of the longest bar (parameter `top`) for its label."""
    longest = alt.param(name="top", value=1.0)
    y = alt.Y(
        "label:N",
        title=None,
        sort=alt.EncodingSortField("order"),
        axis=alt.Axis(labelFontSize=14, labelColor="#1f2a37", labelFontWeight=600),
    )
    scale = alt.Scale(domainMin=0, domainMax=alt.ExprRef(expr="top * 1.45"), nice=False)
    x = alt.X("n:Q", title=None, axis=None, scale=scale)
    bars = (
        alt.Chart(alt.NamedData(name=STAGES))
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
                alt.Tooltip("text:N", title="Projects"),
                alt.Tooltip("share_text:N", title="Share of the projects due"),
            ],
        )
    )
    text = (
        alt.Chart(alt.NamedData(name=STAGES))
        .mark_text(align="left", dx=6, fontSize=14, fontWeight=600)
        .encode(y=y, x=x, text=alt.Text("text:N"))
    )
    return alt.layer(bars, text, height=alt.Step(46), width="container").add_params(longest)
