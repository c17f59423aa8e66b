"""One project over its snapshots: plan (grey) against what happened (colour), per quarter."""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from charts.theme import ACTUAL_COLOR, INK, OUTCOME_COLOR, PLAN_COLOR, quadrant_scale
from domain.formats import money_expr, money_label_expr, percent_text
from domain.quarters import quarter_expr


def _x(history: pl.DataFrame) -> alt.X:
    """Snapshot dates, on one scale for every chart of the project (so they line up)."""
    first, last = history.get_column("as_of").min(), history.get_column("as_of").max()
    pad = dt.timedelta(days=20)
    domain = [(first - pad).isoformat(), (last + pad).isoformat()] if first else alt.Undefined
    return alt.X(
        "as_of:T",
        title=None,
        scale=alt.Scale(domain=domain),
        axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount={"interval": "month", "step": 6}),
    )


ENDS = ["Committed end", "Forecast end"]


def _long(history: pl.DataFrame, series: dict[str, str]) -> pl.DataFrame:
    return (
        history.select("as_of", *series)
        .unpivot(index="as_of", variable_name="column", value_name="value")
        .drop_nulls("value")
        .with_columns(pl.col("column").replace_strict(series).alias("series"))
    )


def _lines(
    history: pl.DataFrame,
    series: dict[str, str],
    colors: list[str],
    y: alt.Y,
    value_format: str,
    dashed: tuple[str, ...] = (),
    height: int = 220,
) -> alt.Chart:
    data = _long(history, series).with_columns(
        money_expr(pl.col("value")).alias("money"), percent_text(pl.col("value")).alias("percent")
    )
    labels = list(series.values())
    value_tooltip = (
        alt.Tooltip(f"{value_format}:N", title="Value")  # text from domain.formats
        if value_format in ("money", "percent")
        else alt.Tooltip("value:Q", title="Value", format=value_format)
    )
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=40), strokeWidth=2.5, interpolate="linear")
        .encode(
            x=_x(history),
            y=y,
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=labels, range=colors),
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(
                    domain=labels,
                    range=[[6, 4] if column in dashed else [1, 0] for column in series],
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("as_of:T", title="Snapshot", format="%-d %b %Y"),
                alt.Tooltip("series:N", title="Figure"),
                value_tooltip,
            ],
        )
        .properties(height=height, width="container")
    )


def drift_chart(history: pl.DataFrame) -> alt.Chart:
    """Committed end date against the forecast (or actual) end in every snapshot."""
    dates = history.with_columns(
        pl.col("baseline_end").cast(pl.String), pl.col("end_at").cast(pl.String)
    )
    data = _long(dates, DRIFT_SERIES)
    ends = history.select(
        pl.min_horizontal("baseline_end", "end_at").min().alias("lo"),
        pl.max_horizontal("baseline_end", "end_at").max().alias("hi"),
    ).row(0)
    pad = dt.timedelta(days=60)  # a flat line still gets a readable date axis around it
    domain = [(ends[0] - pad).isoformat(), (ends[1] + pad).isoformat()] if ends[0] else None
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=40))
        .encode(
            x=_x(history),
            # The commitment is drawn wide and pale beneath: visible even where the
            # forecast holds to it exactly.
            strokeWidth=alt.StrokeWidth(
                "series:N", scale=alt.Scale(domain=ENDS, range=[6, 2.5]), legend=None
            ),
            opacity=alt.Opacity(
                "series:N", scale=alt.Scale(domain=ENDS, range=[0.55, 1]), legend=None
            ),
            y=alt.Y(
                "value:T",
                title=None,
                scale=alt.Scale(domain=domain) if domain else alt.Undefined,
                axis=alt.Axis(format="%b %Y", tickCount=4),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=ENDS, range=[PLAN_COLOR, ACTUAL_COLOR]),
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("as_of:T", title="Snapshot", format="%-d %b %Y"),
                alt.Tooltip("series:N", title="Date"),
                alt.Tooltip("value:T", title="Value", format="%-d %b %Y"),
            ],
        )
        .properties(height=220, width="container")
    )


# What each chart of a project's history draws, so a page can tell a chart with nothing to
# draw (a project whose delivery data is missing) from one with a line.
DRIFT_SERIES = {"baseline_end": "Committed end", "end_at": "Forecast end"}
COST_SERIES = {"budget": "Budget", "actual_cost": "Spent", "eac": "Forecast cost"}
SCOPE_SERIES = {"scope_planned": "Planned", "scope_delivered": "Delivered"}
VALUE_SERIES = {"expected_score": "Expected by then", "outcome_score": "Attained"}


def has_values(history: pl.DataFrame, series: dict[str, str]) -> bool:
    """Whether any snapshot has a value of any of the chart's series (an empty chart would
    show a lone axis label such as 0.000000)."""
    present = [c for c in series if c in history.columns]
    return (
        bool(present)
        and history.select(pl.any_horizontal(pl.col(present).is_not_null().any())).item()
    )


def cost_chart(history: pl.DataFrame) -> alt.Chart:
    """Budget, spent so far and the estimate at completion in every snapshot."""
    return _lines(
        history,
        COST_SERIES,
        [PLAN_COLOR, INK, ACTUAL_COLOR],
        alt.Y(
            "value:Q",
            title=None,
            axis=alt.Axis(labelExpr=money_label_expr(), tickCount=4),
        ),
        "money",
        dashed=("eac",),
    )


def scope_chart(history: pl.DataFrame) -> alt.Chart:
    """Planned against delivered scope in every snapshot."""
    return _lines(
        history,
        SCOPE_SERIES,
        [PLAN_COLOR, ACTUAL_COLOR],
        alt.Y("value:Q", title=None, axis=alt.Axis(tickCount=4)),
        ",.0f",
    )


def value_chart(history: pl.DataFrame) -> alt.Chart:
    """Outcome attained against the outcome expected by then, in every snapshot."""
    return _lines(
        history,
        VALUE_SERIES,
        [PLAN_COLOR, OUTCOME_COLOR],
        alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        "percent",
        dashed=("expected_score",),
    )


def verdict_strip(history: pl.DataFrame) -> alt.LayerChart:
    """The quadrant in every snapshot, as a row of coloured tiles."""
    data = history.select(
        pl.col("as_of").cast(pl.String),
        quarter_expr(pl.col("as_of")).alias("quarter"),
        pl.col("quadrant_label").fill_null("Not in this snapshot"),
        pl.lit("Verdict").alias("row"),
    )
    x = alt.X("quarter:O", title=None, axis=alt.Axis(labelAngle=0, orient="top"))
    tiles = (
        alt.Chart(data)
        .mark_rect(cornerRadius=3, stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("row:N", title=None, axis=None),
            color=alt.Color("quadrant_label:N", title=None, scale=quadrant_scale(), legend=None),
            tooltip=[
                alt.Tooltip("as_of:T", title="Snapshot", format="%-d %b %Y"),
                alt.Tooltip("quadrant_label:N", title="Verdict"),
            ],
        )
    )
    # Streamlit fits the whole chart, axis labels included, into the height.
    return alt.layer(tiles, height=62, width="container")
