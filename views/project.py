"""Project: one project, delivery and value side by side, across every snapshot."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from charts.history import (
    COST_SERIES,
    DRIFT_SERIES,
    SCOPE_SERIES,
    VALUE_SERIES,
    cost_chart,
    drift_chart,
    has_values,
    scope_chart,
    value_chart,
    verdict_strip,
)
from charts.theme import QUADRANT_COLORS, QUADRANT_LABELS, STATUS_LABELS
from domain.figures import FIGURES, label
from domain.formats import date_expr, date_text, money, pct, percent_text, signed_pct
from ui import cache
from ui.portfolio.benefit_card import render_benefit_charts
from ui.portfolio.delivery_forecast import render_delivery_forecast
from ui.portfolio.how_we_measure import render_how_we_measure
from ui.portfolio.jira_children import render_jira_children
from ui.portfolio.project_picker import pick_project
from ui.shell.filters import current_view
from ui.widgets.chart import show_chart
from ui.widgets.empty import stop_if_empty
from ui.widgets.legend import quadrant_legend
from ui.widgets.swatch import tag
from ui.widgets.tables import show_table
from ui.widgets.text import html_text, md


def _change(value: float | None, fmt: Callable[[float], str]) -> str | None:
    """The change since the previous snapshot, formatted; None when there is none to see."""
    if value is None or value != value:
        return None
    text = fmt(value)
    return None if text.lstrip("+-").startswith("0 ") else text


view = current_view()
stop_if_empty(view, "Project")

result = cache.evaluated(view.url, view.generation, view.as_of)
projects = result.projects.sort("name")
key = (view.url, view.generation, view.as_of, view.filters)
attention = cache.attention(*key)
first = attention.get_column("project_id").first() if attention.height else None
options = projects.get_column("project_id").to_list()
names = dict(projects.select("project_id", "name").iter_rows())
picker, _ = st.columns([2, 3])
with picker:
    project_id = pick_project(options, names, first if first in options else options[0], view.as_of)
project = projects.filter(pl.col("project_id") == project_id).row(0, named=True)
only = (("project_id", (project_id,)),)
figures = cache.portfolio_figures(view.url, view.generation, view.as_of, only)
value = figures.row(0, named=True) if figures.height else {}
history = cache.project_history(view.url, view.generation, project_id, view.as_of)
now = history.row(-1, named=True) if history.height else {}
previous = history.row(-2, named=True)["as_of"] if history.height > 1 else None

st.title(md(project["name"]))
facts = [
    project["project_id"],
    project["portfolio"],
    project["objective"],
    f"sponsor {project['sponsor']}" if project["sponsor"] else None,
    f"owner {project['owner']}" if project["owner"] else None,
    (project["status"] or "").replace("_", " "),
    f"reports {project['rag']}" if project["rag"] else "no RAG reported",
]
as_of = f"as of {date_text(view.as_of)}"
st.caption(" · ".join(md(f) for f in facts if f) + " · " + as_of)
verdict = tag(QUADRANT_LABELS[project["quadrant"]], QUADRANT_COLORS[project["quadrant"]])
why = attention.filter(pl.col("project_id") == project_id).get_column("why")
st.html(verdict + (f" &nbsp; {html_text(why.first())}" if why.len() else ""))

since = f"Changes since the {date_text(previous)} snapshot." if previous else None
delivery_col, value_col = st.columns(2, gap="large")
with delivery_col:
    st.subheader("Delivery", help=since)
    cols = st.columns(3)
    cols[0].metric(
        "Slip (days)",
        "—" if project["slip_days"] is None else f"{project['slip_days']:+d}".replace("+0", "0"),
        delta=_change(now.get("slip_days_change"), lambda v: f"{v:+.0f} days"),
        delta_color="inverse",
        help="Days the (forecast) end falls after the committed end date.",
        border=True,
    )
    cols[1].metric(
        "Cost",
        signed_pct(project["cost_variance"]),
        delta=_change(now.get("cost_variance_change"), lambda v: f"{v * 100:+.0f} pts"),
        delta_color="inverse",
        help="Cost variance: cost at completion against budget.",
        border=True,
    )
    cols[2].metric(
        "Scope done",
        pct(project["completion"]),
        delta=_change(now.get("completion_change"), lambda v: f"{v * 100:+.0f} pts"),
        help=f"Delivered over planned scope; {pct(project['elapsed'])} of the time has elapsed.",
        border=True,
    )
with value_col:
    st.subheader("Value", help=since)
    cols = st.columns(3)
    cols[0].metric(
        "Attained",
        pct(project["outcome_score"]),
        delta=_change(now.get("outcome_score_change"), lambda v: f"{v * 100:+.0f} pts"),
        help=f"Weighted attainment of the benefits due; {pct(project['expected_score'])} was "
        "expected by now.",
        border=True,
    )
    cols[1].metric(
        "Expected",
        pct(project["expected_score"]),
        help="Expected by now: where the straight-line plans of its benefits due say it should be.",
        border=True,
    )
    cols[2].metric(
        "At risk",
        money(value.get("value_at_risk")),
        help=f"{label('value_at_risk')}: {FIGURES['value_at_risk'].help}",
        border=True,
    )

st.subheader("Verdict by quarter")
show_chart(verdict_strip, history)
st.markdown(quadrant_legend(), unsafe_allow_html=True)
st.space("small")

if history.height < 2:
    st.info(
        "This is the project's first snapshot: how its dates, cost, scope and value move "
        "shows from the next one on.",
        icon=":material/timeline:",
    )
else:
    left, right = st.columns(2, gap="large")
    for column, title, builder, series, missing in (
        (left, "**End date**: committed and forecast, per snapshot", drift_chart,
         DRIFT_SERIES, "No committed or forecast end date"),
        (right, "**Cost**: budget, spent and forecast at completion", cost_chart,
         COST_SERIES, "No budget, cost spent or forecast cost"),
        (left, "**Scope**: planned and delivered", scope_chart,
         SCOPE_SERIES, "No planned or delivered scope"),
        (right, "**Value**: attained and expected by then", value_chart,
         VALUE_SERIES, "No benefit due or measured"),
    ):  # fmt: skip
        with column:
            st.markdown(title)
            if has_values(history, series):
                show_chart(builder, history)
            else:
                st.caption(f"{missing} in any snapshot, so nothing to draw.")

render_delivery_forecast(
    cache.project_forecast(view.url, view.generation, view.as_of, project_id), result.settings
)

benefits = cache.benefit_register(view.url, view.generation, view.as_of, only)
st.subheader(f"Benefits: {benefits.height}")
if benefits.height == 0:
    st.warning(
        "This project promised no measurable benefit: nobody can tell whether it was worth it.",
        icon=":material/help:",
    )
else:
    st.caption(
        "Grey dashes: the expected line from the baseline to the target. Colour: what was "
        "measured. Blue dots: the measured trend carried to the target date (the benefit "
        "forecast)."
    )
    ids = benefits.get_column("benefit_id").to_list()
    points = cache.trajectories(view.url, view.generation, view.as_of, tuple(ids))
    render_benefit_charts(points, benefits, result.as_of)
    evidence = cache.benefit_evidence(view.url, view.generation, view.as_of, tuple(ids))
    show_table(
        benefits.join(
            evidence.select("benefit_id", "measured_by", "provenance"),
            on="benefit_id",
            how="left",
        ).select(
            pl.col("kpi").alias("Benefit"),
            pl.col("status").replace_strict(STATUS_LABELS).alias("Status"),
            percent_text(pl.col("attainment")).alias("Of the way to target"),
            percent_text(pl.col("expected")).alias("Expected by now"),
            # what the value rests on, beside it (the forecast and owner follow)
            date_expr(pl.col("measured_at"), "never").alias("Last measured"),
            pl.col("measured_by").alias("Measured by"),
            percent_text(pl.col("forecast_attainment")).alias(label("forecast_attainment")),
            date_expr(pl.col("forecast_reached_on")).alias(label("forecast_reached_on")),
            pl.col("owner").fill_null("⚠ No owner").alias("Owner"),
            pl.col("provenance").alias("Measurement run"),
        ),
        fit=True,
        hide_index=True,
        column_config={
            **{
                label(name): st.column_config.TextColumn(help=FIGURES[name].help)
                for name in ("forecast_attainment", "forecast_reached_on")
            },
            "Measured by": st.column_config.TextColumn(
                help="What the latest value rests on. **Sourced**: a measurement source "
                "(a query, a Jira count, an API) produced it, from the kind and connection "
                "named. **Typed**: it came in an upload, with the source the upload named. "
                "Hover a point of a trajectory above for each value's.",
            ),
            "Measurement run": st.column_config.TextColumn(
                help="For a sourced value: when the run measured it (UTC), the hash of the "
                "source's query then, and the raw result the number was read from.",
            ),
        },
    )

st.divider()
render_jira_children(view, project)
render_how_we_measure(result.settings)
