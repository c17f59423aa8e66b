"""Flow from Jira: weekly throughput as a strip per project, cycle time as a range."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.theme import MUTED, OUTPUT_COLOR

THROUGHPUT_SCHEME = "blues"
# A week with nothing done is a gap, in grey: no shade of the scale, which starts at one.
EMPTY_WEEK = "#E5E7EB"


def throughput_range(weekly: pl.DataFrame) -> list[int]:
    """The colour scale's domain: from one issue to the most any project did in a week of
    the chart (at least one), so the scale spans what the chart shows, whatever it is."""
    top = weekly.get_column("done").max() if weekly.height else None
    return [1, max(int(top or 0), 1)]


def throughput_chart(weekly: pl.DataFrame, height_per_project: int = 26) -> alt.Chart:
    """`weekly`: name, week_end, done (the 12 weeks up to A). One row per project, one cell
    per week, darker for more issues done over the range this data has (from one to its
    busiest week: a quiet portfolio is not washed out, a busy one not clipped); weeks with
    nothing done are grey, so gaps show (exact counts are in the tooltip)."""
    data = weekly.select("name", "week_end", "done")
    low, high = throughput_range(data)
    base = alt.Chart(data).encode(
        x=alt.X(
            "yearmonthdate(week_end):O",
            title="Week ending",
            axis=alt.Axis(labelAngle=-40, format="%-d %b", labelAlign="right"),
        ),
        y=alt.Y("name:N", title=None, sort="ascending"),
    )
    shade = alt.Color(
        "done:Q",
        title="Issues done in the week",
        # the palest blues are left out: one issue must read apart from the grey of none
        scale=alt.Scale(
            scheme=alt.SchemeParams(THROUGHPUT_SCHEME, extent=[0.25, 1]),
            domain=[low, high],
            clamp=True,
        ),
        legend=alt.Legend(
            orient="top",
            gradientLength=160,
            format="d",
            values=sorted({low, (low + high) // 2, high}),
        ),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.condition(alt.datum.done > 0, shade, alt.value(EMPTY_WEEK)),
        tooltip=[
            alt.Tooltip("name:N", title="Project"),
            alt.Tooltip("week_end:T", title="Week ending", format="%-d %b %Y"),
            alt.Tooltip("done:Q", title="Issues done"),
        ],
    )
    return cells.properties(height=alt.Step(height_per_project))


def cycle_time_chart(flow: pl.DataFrame, height_per_project: int = 26) -> alt.LayerChart:
    """`flow`: name, cycle_time_p50_days, cycle_time_p85_days, cycle_time_n. A bar to the
    85th percentile with the median marked: how long work takes, and how long it can take."""
    data = flow.drop_nulls(["cycle_time_p50_days"]).select(
        "name", "cycle_time_p50_days", "cycle_time_p85_days", "cycle_time_n"
    )
    y = alt.Y(
        "name:N", title=None, sort=alt.EncodingSortField("cycle_time_p85_days", order="descending")
    )
    tooltip = [
        alt.Tooltip("name:N", title="Project"),
        alt.Tooltip("cycle_time_p50_days:Q", title="Median (days)", format=".1f"),
        alt.Tooltip("cycle_time_p85_days:Q", title="85th percentile (days)", format=".1f"),
        alt.Tooltip("cycle_time_n:Q", title="Issues"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(color=OUTPUT_COLOR, opacity=0.25, height=14)
        .encode(
            x=alt.X("cycle_time_p85_days:Q", title="Days from start to done"), y=y, tooltip=tooltip
        )
    )
    median = (
        alt.Chart(data)
        .mark_tick(color=OUTPUT_COLOR, thickness=3, size=18)
        .encode(x="cycle_time_p50_days:Q", y=y, tooltip=tooltip)
    )
    note = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=11, color=MUTED)
        .encode(
            x="cycle_time_p85_days:Q", y=y, text=alt.Text("cycle_time_p85_days:Q", format=".0f")
        )
    )
    return alt.layer(bars, median, note).properties(height=max(data.height, 1) * height_per_project)
