"""Outcomes: is the promised value arriving, objective by objective and benefit by benefit?"""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts.bars import status_mix_chart
from charts.theme import STATUS_LABELS
from charts.time_to_value import time_to_value_chart
from charts.trajectory import trajectory_chart
from domain.bidi import BIDI_PATTERN
from domain.figures import FIGURES, label
from domain.formats import date_expr, money, percent_text
from ui import cache
from ui.portfolio.benefit_card import render_benefit_card
from ui.portfolio.how_we_measure import render_how_we_measure
from ui.shell.filters import current_view
from ui.shell.link_notices import quoted, unknown
from ui.shell.links import open_project, row_pick
from ui.widgets.chart import show_chart
from ui.widgets.downloads import table_downloads
from ui.widgets.empty import show_no_match, stop_if_empty
from ui.widgets.header import page_header
from ui.widgets.headline_tiles import VALUE_TILES
from ui.widgets.tables import show_table
from ui.widgets.text import md
from ui.widgets.tiles import render_tiles

view = current_view()
stop_if_empty(view, "Is the value arriving?")

key = (view.url, view.generation, view.as_of, view.filters)
result = cache.evaluated(view.url, view.generation, view.as_of)
register = cache.benefit_register(*key)
figures = cache.portfolio_figures(*key)
n_due = int(figures.get_column("n_due").first() or 0) if figures.height else 0
page_header("Is the value arriving?", view, f"{register.height} benefits, {n_due} due by now")
if register.height == 0:
    show_no_match()
    st.stop()

detail, summary, by_objective = cache.time_to_value(*key)
columns = st.columns(5)
render_tiles(cache.headline_trends(*key), VALUE_TILES, columns[:4])
median = summary.get_column("median_days").first() if summary.height else None
waiting = int(summary.get_column("n_waiting").first() or 0) if summary.height else 0
columns[4].metric(
    "Time to value",
    "—" if median is None else f"{median:.0f} days",
    help="Median days from a project's delivery to the first measurement showing half of a "
    "benefit's value.",
    delta=f"{waiting} still waiting" if waiting else None,
    delta_color="off",
    delta_arrow="off",
    border=True,
    height="stretch",
)

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Benefits by objective")
    st.caption("Where each objective's promised benefits stand today.")
    show_chart(status_mix_chart, cache.status_mix(*key, "objective"))
with right:
    st.subheader("Time to value")
    if detail.height:
        st.caption(
            "Days from delivery until half of a benefit's value showed (filled), and benefits "
            f"of delivered projects still waiting (hollow: {waiting}). The bar is the median."
        )
        show_chart(time_to_value_chart, detail, by_objective)
    else:
        st.info("No project in this view has been delivered yet.", icon=":material/schedule:")

st.subheader("Benefit trajectory")
chart_col, card_col = st.columns([2, 1], gap="large")
due = register.filter(pl.col("due"))
choices = due if due.height else register
labelled = choices.with_columns(
    pl.format("{} · {}", pl.col("kpi"), pl.col("project_name"))
    .str.replace_all(BIDI_PATTERN, "")
    .alias("label")
).unique("label", keep="first", maintain_order=True)
ids = dict(labelled.select("label", "benefit_id").iter_rows())
# The URL carries the label shown (a bound widget does), so a copied link reads well.
if stale := unknown("benefit", list(ids)):
    chart_col.warning(
        f"No benefit {quoted(stale)} in this view: showing the one with the most value at risk.",
        icon=":material/link_off:",
    )
shown = chart_col.selectbox(
    "Benefit",
    list(ids),
    key="benefit",
    bind="query-params",
    help="Due benefits, the most value at risk first.",
)
picked = ids[shown]
benefit = choices.filter(pl.col("benefit_id") == picked).row(0, named=True)
with chart_col:
    points = cache.trajectories(view.url, view.generation, view.as_of, (picked,))
    show_chart(
        trajectory_chart, points, choices.filter(pl.col("benefit_id") == picked), result.as_of
    )
    st.caption(
        "Dashed: the expected straight line from baseline (at the start) to target (at the "
        "target date). Solid: the measurements. Blue dots: the measured trend carried to the "
        "target date. The thin vertical line is the as-of date."
    )
    st.caption(md(benefit["forecast_words"] or benefit["forecast_reason"]))
with card_col:
    evidence = cache.benefit_evidence(view.url, view.generation, view.as_of, (picked,))
    render_benefit_card(benefit, evidence.get_column("measured_by").first())

misses = cache.heading_for_miss(*key)
st.subheader(f"{label('heading_for_miss')}: {misses.height}", help=FIGURES["heading_for_miss"].help)
if misses.height == 0:
    st.success(
        "No benefit's trend falls short of its target by its target date.",
        icon=":material/check_circle:",
    )
else:
    warned = int(misses.get_column("early_warning").sum())
    st.caption(
        f"Where each benefit's measured trend leads by its target date. {warned} of them are "
        f"on track today (⚠, {label('early_warnings').lower()}, listed first): their status "
        "cannot warn yet. Select a row to open the project; the downloads add each status "
        "and the date the trend reaches the target."
    )
    table = misses.select(
        "project_id",
        pl.col("owner").fill_null("⚠ No owner").alias("Owner"),
        pl.col("kpi").alias("Benefit"),
        pl.when(pl.col("early_warning"))
        .then(pl.lit("⚠ On track today"))
        .otherwise(pl.col("status").replace_strict(STATUS_LABELS))
        .alias("Status"),
        pl.format(
            "{} by {}",
            percent_text(pl.col("forecast_attainment")),
            date_expr(pl.col("target_date")),
        ).alias(label("forecast_attainment")),
        pl.col("forecast_shortfall").alias(label("forecast_shortfall")),
        date_expr(pl.col("forecast_reached_on"), "never").alias(label("forecast_reached_on")),
        pl.col("project_name").alias("Project"),
    )
    # Five columns fit beside the sidebar at 1280 px: an early warning's ⚠ leads its
    # benefit instead of a status column, and the date the target is reached stays in the
    # downloads (and on the Project page).
    shown = table.with_columns(
        pl.when(misses.get_column("early_warning"))
        .then(pl.format("⚠ {}", pl.col("Benefit")))
        .otherwise(pl.col("Benefit"))
        .alias("Benefit")
    )
    event = show_table(
        shown,
        formats={label("forecast_shortfall"): money},
        hide_index=True,
        column_order=[
            "Benefit",
            "Project",
            "Owner",
            label("forecast_attainment"),
            label("forecast_shortfall"),
        ],
        column_config={
            # widths that fit 1280 px beside the sidebar (the two figures size to their
            # headers); a longer name ends in an ellipsis, an owner's team first
            "Benefit": st.column_config.TextColumn(width=242),
            "Project": st.column_config.TextColumn(width=200),
            "Owner": st.column_config.TextColumn(width=150),
            **{
                label(name): st.column_config.Column(help=FIGURES[name].help)
                for name in ("forecast_attainment", "forecast_shortfall")
            },
        },
        on_select="rerun",
        selection_mode="single-row",
        key="outcomes_misses",
    )
    table_downloads(
        table, "Heading for a miss", "heading-for-a-miss", "benefits heading for a miss"
    )
    if project := row_pick(event, table):
        open_project(project)

todo = cache.unmeasured_todo(*key)
st.subheader(f"Unmeasured benefits: {todo.height}")
if todo.height == 0:
    st.success("Every benefit due has a recent measurement.", icon=":material/check_circle:")
else:
    missing = int(todo.get_column("owner_missing").sum())
    st.caption(
        "Due benefits with no measurement, or none recent enough to count: they count as 0% "
        f"until someone measures them. {missing} have no owner to ask. Select a row to open "
        "the project."
    )
    table = todo.select(
        "project_id",
        pl.when(pl.col("owner_missing"))
        .then(pl.lit("⚠ No owner"))
        .otherwise(pl.col("owner"))
        .alias("Owner"),
        pl.col("kpi").alias("Benefit"),
        pl.col("project_name").alias("Project"),
        date_expr(pl.col("last_measured_at"), "never").alias("Last measured"),
        date_expr(pl.col("due_since")).alias("Due since"),
        pl.col("value_at_risk").alias(label("value_at_risk")),
    )
    event = show_table(
        table,
        formats={label("value_at_risk"): money},
        fit=True,
        hide_index=True,
        column_order=[c for c in table.columns if c != "project_id"],
        on_select="rerun",
        selection_mode="single-row",
        key="outcomes_todo",
    )
    table_downloads(table, "Unmeasured benefits", "unmeasured-benefits", "unmeasured benefits")
    if project := row_pick(event, table):
        open_project(project)

render_how_we_measure(result.settings)
