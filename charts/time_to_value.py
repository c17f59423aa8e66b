"""Time to value: per objective, days from delivery to half the value, beside those waiting."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.theme import INK, STATUS_COLORS

REACHED = "Half the value showed"
WAITING = "Still waiting"


def time_to_value_chart(
    detail: pl.DataFrame, by_objective: pl.DataFrame, group: str = "objective"
) -> alt.LayerChart:
    """One dot per benefit of a delivered project; the black tick is the median time to value."""
    data = detail.with_columns(
        pl.when(pl.col("reached"))
        .then(pl.col("time_to_value_days"))
        .otherwise(pl.col("waiting_days"))
        .alias("days"),
        pl.when(pl.col("reached")).then(pl.lit(REACHED)).otherwise(pl.lit(WAITING)).alias("kind"),
        ((pl.col("benefit_id").hash(seed=3) % 1000).cast(pl.Float64) / 1000 - 0.5).alias("jitter"),
    )
    y = alt.Y(f"{group}:N", title=None, sort="ascending")
    top = float(data.get_column("days").max() or 0.0)
    x = alt.X(
        "days:Q",
        title="Days after delivery",
        scale=alt.Scale(domain=[0, max(top * 1.05, 30.0)], nice=False),
    )
    reached = STATUS_COLORS["on_track"]
    colors = alt.Scale(domain=[REACHED, WAITING], range=[reached, STATUS_COLORS["at_risk"]])
    dots = (
        alt.Chart(data)
        .mark_point(size=70, strokeWidth=2)
        .encode(
            y=y,
            x=x,
            yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1.2, 1.2])),
            color=alt.Color("kind:N", title=None, scale=colors, legend=alt.Legend(orient="bottom")),
            fill=alt.Fill(
                "kind:N",
                scale=alt.Scale(domain=[REACHED, WAITING], range=[reached, "white"]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("project_name:N", title="Project"),
                alt.Tooltip("kpi:N", title="Benefit"),
                alt.Tooltip("actual_end:T", title="Delivered", format="%-d %b %Y"),
                alt.Tooltip("first_value_at:T", title="Half the value by", format="%-d %b %Y"),
                alt.Tooltip("days:Q", title="Days"),
            ],
        )
    )
    medians = (
        alt.Chart(by_objective.drop_nulls("median_days"))
        .mark_tick(color=INK, thickness=3, size=34)
        .encode(
            y=y,
            x=alt.X("median_days:Q"),
            tooltip=[
                alt.Tooltip(f"{group}:N", title=group.capitalize()),
                alt.Tooltip("median_days:Q", title="Median days to value", format=".0f"),
                alt.Tooltip("n_reached:Q", title="Benefits with value"),
                alt.Tooltip("n_waiting:Q", title="Still waiting"),
            ],
        )
    )
    return alt.layer(dots, medians, height=alt.Step(56), width="container")
