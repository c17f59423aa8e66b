"""Overview: where is the gap between what we delivered and what it achieved?"""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts.formats import money, pct, pts
from charts.quadrant import quadrant_chart
from ui.data import evaluated, filtered_frames, portfolio_figures
from ui.empty import show_empty_store
from ui.filters import current_view
from ui.shell import ensure_app_shell

ensure_app_shell()

view = current_view()
st.title("Where is the gap?")
if view.empty:
    show_empty_store()
    st.stop()

result = evaluated(view.url, view.generation, view.as_of)
frames = filtered_frames(view.url, view.generation, view.as_of, view.filters)
figures = portfolio_figures(view.url, view.generation, view.as_of, view.filters)
assert result is not None and frames is not None
projects, _benefits = frames
headline = figures.row(0, named=True) if figures.height else {}

st.caption(
    f"As of {view.as_of:%d %b %Y} · {headline.get('n_projects', 0)} active projects · "
    "delivery (outputs) against value (outcomes)"
)

cols = st.columns(5)
cols[0].metric(
    "Delivered to plan",
    pct(headline.get("output_rate")),
    help="Output rate: share of projects on time, on budget and on scope (where known).",
    border=True,
)
cols[1].metric(
    "Realizing their outcomes",
    pct(headline.get("outcome_rate")),
    help="Outcome rate: share of projects with due benefits whose attainment keeps up "
    "with the expected trajectory.",
    border=True,
)
cols[2].metric(
    "The gap",
    pts(headline.get("gap_pts")),
    help="Output rate minus outcome rate, in percentage points. Positive: delivery looks "
    "better than the value it produces.",
    border=True,
)
cols[3].metric(
    "Value realized to date",
    pct(headline.get("realization_to_date")),
    help="Realized value over the value expected by now, for due benefits with a planned value.",
    border=True,
)
cols[4].metric(
    "Value at risk",
    money(headline.get("value_at_risk")),
    help="Planned value not yet realized of benefits at risk, off track or unmeasured.",
    border=True,
)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Delivery against value, project by project")
    st.altair_chart(
        quadrant_chart(projects, result.settings.outcome_tolerance),
        theme=None,
        width="stretch",
    )
with right:
    watermelons = projects.filter((pl.col("quadrant") == "watermelon") & ~pl.col("cancelled"))
    st.subheader(f"Watermelons: {watermelons.height}")
    st.caption("Green on delivery, missing their value.")
    st.dataframe(
        watermelons.sort("budget", descending=True, nulls_last=True).select(
            pl.col("name").alias("Project"),
            pl.col("sponsor").alias("Sponsor"),
            pl.col("budget").alias("Budget"),
            (pl.col("outcome_score") * 100).alias("Outcome %"),
            (pl.col("expected_score") * 100).alias("Expected %"),
        ),
        hide_index=True,
        column_config={
            "Budget": st.column_config.NumberColumn(format="dollar"),
            "Outcome %": st.column_config.ProgressColumn(
                min_value=0, max_value=100, format="%.0f%%"
            ),
            "Expected %": st.column_config.NumberColumn(format="%.0f%%"),
        },
    )
