"""Overview: where is the gap between what we delivered and what it achieved?"""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts.bars import value_at_risk_fill, value_at_risk_template
from charts.funnel import funnel_caption, funnel_fill, funnel_template
from charts.quadrant import crowd_note, quadrant_fill, quadrant_template
from domain.figures import FIGURES, label
from metrics.gap import JUDGED, NOT_JUDGED
from service.portfolio import since_quarter
from ui import cache
from ui.portfolio.attention_list import render_attention_list
from ui.portfolio.how_we_measure import render_how_we_measure
from ui.shell.filters import current_view
from ui.shell.links import chart_pick, open_project
from ui.widgets.chart import show_template
from ui.widgets.empty import show_no_match, show_nothing_judged, stop_if_empty
from ui.widgets.header import page_header
from ui.widgets.headline_tiles import (
    EVIDENCE_HELP,
    TILES,
    evidence_line,
    forecast_line,
    populations,
)
from ui.widgets.tiles import render_tiles

QUADRANT_HEIGHT = 400

view = current_view()
stop_if_empty(view, "Where is the gap?")

key = (view.url, view.generation, view.as_of, view.filters)
result = cache.evaluated(view.url, view.generation, view.as_of)
projects, benefits = cache.filtered_frames(*key)
figures = cache.portfolio_figures(*key)
n_active = int(figures.get_column("n_projects").first() or 0) if figures.height else 0
trends = cache.headline_trends(*key)
compared = trends.height > 0 and trends.get_column("delta").is_not_null().any()
since = since_quarter(view.as_of)
page_header(
    "Where is the gap?",
    view,
    f"{n_active} active projects"
    + (f" · arrows show the change since {since}" if compared else ""),
)
if n_active == 0:
    show_no_match()
    st.stop()

render_tiles(trends, TILES)
st.caption(populations(figures.row(0, named=True)))
if evidenced := evidence_line(figures.row(0, named=True)):
    st.markdown(f":material/verified: {evidenced}", help=EVIDENCE_HELP)
st.markdown(
    f":material/trending_down: {forecast_line(figures.row(0, named=True))}",
    help=" ".join(
        f"{label(name)}: {FIGURES[name].help}"
        for name in ("forecast_shortfall", "early_warnings", "forecast_improbable")
    ),
)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Delivery against value")
    counts = cache.quadrant_counts(*key)
    unplaced = counts.filter(pl.col("quadrant").is_in(NOT_JUDGED) & (pl.col("n") > 0))
    not_shown = ", ".join(
        f"{label.lower()} ({n})" for label, n in unplaced.select("quadrant_label", "n").iter_rows()
    )
    placed = int(counts.filter(pl.col("quadrant").is_in(JUDGED)).get_column("n").sum())
    bubbles = quadrant_fill(projects)
    st.caption(
        "One bubble per project, sized by budget: right is delivered to plan, up is value "
        "keeping up with what was expected by now. Click a bubble to open the project."
        + crowd_note(bubbles)
        + (f" Not shown: {not_shown}." if not_shown else "")
    )
    if placed == 0:
        without_benefits = counts.filter(pl.col("quadrant") == "no_outcome_defined")
        show_nothing_judged(n_active, int(without_benefits.get_column("n").sum()))
    else:
        event = show_template(
            quadrant_template,
            result.settings.outcome_tolerance,
            height=QUADRANT_HEIGHT,
            data=bubbles,
            data_key=key,
            key="overview_quadrant",
            select="pick",
        )
        if picked := chart_pick(event):
            open_project(picked)

with right:
    n_melons = int(figures.get_column("n_watermelons").first() or 0)
    n_mismatch = int(figures.get_column("n_rag_mismatches").first() or 0)
    n_warnings = int(figures.get_column("early_warnings").first() or 0)
    n_improbable = int(figures.get_column("forecast_improbable").first() or 0)
    st.subheader("Needs attention")
    st.caption(
        f"**{n_melons} watermelons** (on plan, value missing) · **{n_mismatch} report "
        "green** while off plan or on an improbable date · "
        f"**{label('early_warnings')}: {n_warnings}** (on track today, heading for a miss) · "
        f"**{label('forecast_improbable')}: {n_improbable}**"
    )
    render_attention_list(cache.attention(*key), height=QUADRANT_HEIGHT + 20)

left, right = st.columns([2, 3], gap="large")
with left:
    st.subheader("Commitments funnel")
    stages = cache.funnel(*key)
    st.caption(funnel_caption(stages))
    if int(stages.get_column("n").max() or 0) == 0:
        st.info("No project was due to be delivered by this date yet.", icon=":material/event:")
    else:
        show_template(funnel_template, data=funnel_fill(stages))
with right:
    st.subheader("Value at risk by objective")
    mix = cache.status_mix(*key, "objective")
    if benefits.height == 0:
        st.info(
            "No benefits in this view, so no planned value to put at risk.", icon=":material/flag:"
        )
    elif mix.filter(pl.col("value_at_risk") > 0).height:
        st.caption("Planned value not yet realized, by why it is at risk.")
        show_template(
            value_at_risk_template, "objective", data=value_at_risk_fill(mix, "objective")
        )
    else:
        st.success("No value at risk in this view.", icon=":material/check_circle:")

render_how_we_measure(result.settings)
