"""Delivery: are projects delivering what they promised, when, and for what they promised?"""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts.delivery import cpi_spi_chart, slip_cost_chart
from charts.theme import QUADRANT_LABELS
from domain.figures import FIGURES, label
from domain.formats import date_expr, percent_text, signed_pct, whole_expr
from ui import cache
from ui.portfolio.delivery_flow import render_jira_flow
from ui.portfolio.delivery_forecast import FINISH_DATES
from ui.portfolio.how_we_measure import render_how_we_measure
from ui.shell.filters import current_view
from ui.shell.links import chart_pick, open_project, row_pick
from ui.widgets.chart import show_chart
from ui.widgets.downloads import table_downloads
from ui.widgets.empty import show_no_match, stop_if_empty
from ui.widgets.header import page_header
from ui.widgets.legend import quadrant_legend
from ui.widgets.tables import show_table
from ui.widgets.tiles import render_tiles

TILES = ("on_time_rate", "on_budget_rate", "on_scope_rate", "overrun", "cpi")

view = current_view()
stop_if_empty(view, "Are we delivering what we promised?")

key = (view.url, view.generation, view.as_of, view.filters)
result = cache.evaluated(view.url, view.generation, view.as_of)
projects, _benefits = cache.filtered_frames(*key)
active = projects.filter(~pl.col("cancelled"))
page_header("Are we delivering what we promised?", view, f"{active.height} active projects")
if active.height == 0:
    show_no_match()
    st.stop()

render_tiles(cache.delivery_trends(*key), TILES)
settings = result.settings

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Schedule slip against cost")
    st.caption(
        "One bubble per project, sized by budget and coloured by its verdict. The dashed lines "
        "are the tolerances: beyond them a project is late, or over budget. Click to open it."
    )
    event = show_chart(
        slip_cost_chart,
        projects,
        settings.schedule_tolerance_days,
        settings.budget_tolerance,
        key="delivery_slip",
        select="pick",
    )
    if picked := chart_pick(event):
        open_project(picked)
with right:
    st.subheader("Earned value: CPI and SPI")
    st.caption(
        "Work done against money spent (CPI) and against work planned by now (SPI), for "
        "projects with budget, cost and scope figures. Below 1.0: over cost, or behind."
    )
    with_ev = active.filter(pl.col("cpi").is_not_null() | pl.col("spi").is_not_null())
    if with_ev.height == 0:
        st.info(
            "**No project in this view has earned-value figures.** CPI and SPI need a "
            "project's budget, its actual cost and its planned and delivered scope "
            "(from the spreadsheet, or from Jira for a project linked to its Jira epic).",
            icon=":material/query_stats:",
        )
    else:
        event = show_chart(cpi_spi_chart, projects, key="delivery_ev", select="pick")
        if picked := chart_pick(event):
            open_project(picked)
st.markdown(quadrant_legend(), unsafe_allow_html=True)
st.space("small")

off_plan = active.filter(
    (pl.col("on_time") == False) | (pl.col("on_budget") == False)  # noqa: E712
).sort("slip_days", descending=True, nulls_last=True)
st.subheader(f"Late or over budget: {off_plan.height}")
if off_plan.height == 0:
    st.success("Every project is on time and on budget.", icon=":material/check_circle:")
else:
    st.caption("Latest first. Select a row to open the project.")
    table = off_plan.select(
        "project_id",
        pl.col("name").alias("Project"),
        pl.col("sponsor").alias("Sponsor"),
        pl.col("slip_days").alias("Slip (days)"),
        pl.col("cost_variance").alias("Cost variance"),
        whole_expr(pl.col("completion") * 100).alias("Scope done"),  # the bar prints it as is
        percent_text(pl.col("chance_by_forecast")).alias("Chance"),
        pl.col("quadrant").replace_strict(QUADRANT_LABELS).alias("Verdict"),
    )
    event = show_table(
        table,
        formats={"Cost variance": signed_pct},
        fit=True,
        hide_index=True,
        column_order=[c for c in table.columns if c != "project_id"],
        column_config={
            "Slip (days)": st.column_config.NumberColumn(format="%d"),
            "Scope done": st.column_config.ProgressColumn(
                min_value=0, max_value=100, format="%d%%"
            ),
            "Chance": st.column_config.TextColumn(
                help=f"{label('chance_by_forecast')}: {FIGURES['chance_by_forecast'].help} "
                "None without a Jira forecast."
            ),
        },
        on_select="rerun",
        selection_mode="single-row",
        key="delivery_off_plan",
    )
    table_downloads(table, "Late or over budget", "late-or-over-budget", "late or over budget")
    if picked := row_pick(event, table):
        open_project(picked)

improbable = cache.improbable_dates(*key)
st.subheader(
    f"{label('forecast_improbable')}: {improbable.height}",
    help=FIGURES["forecast_improbable"].help,
)
if improbable.height == 0:
    st.success(
        "Every date a project reports has at least an even chance at its team's own pace (or "
        "no Jira history to forecast from).",
        icon=":material/check_circle:",
    )
else:
    st.caption(
        "The end date each project reports, against the pace its own Jira work has kept: "
        "under an even chance. The least likely first. Select a row to open the project."
    )
    dates = improbable.select(
        "project_id",
        pl.col("name").alias("Project"),
        pl.col("sponsor").alias("Sponsor"),
        pl.col("rag").fill_null("—").alias("Reports"),
        date_expr(pl.col("reported_end")).alias("Reported end"),
        percent_text(pl.col("chance_by_forecast")).alias("Chance"),
        *[date_expr(pl.col(name)).alias(label(name)) for name in FINISH_DATES],
    )
    event = show_table(
        dates,
        fit=True,
        hide_index=True,
        column_order=[c for c in dates.columns if c != "project_id"],
        column_config={
            "Chance": st.column_config.TextColumn(
                help=f"{label('chance_by_forecast')}: {FIGURES['chance_by_forecast'].help}"
            ),
            **{
                label(name): st.column_config.TextColumn(help=FIGURES[name].help)
                for name in FINISH_DATES
            },
        },
        on_select="rerun",
        selection_mode="single-row",
        key="delivery_improbable",
    )
    table_downloads(dates, label("forecast_improbable"), "improbable-dates", "improbable dates")
    if picked := row_pick(event, dates):
        open_project(picked)

st.divider()
render_jira_flow(view)
render_how_we_measure(result.settings)
