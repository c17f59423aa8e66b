"""One benefit in a few lines (status, attainment against expectation, money, owner), and
the Project page's benefit trajectories as small multiples."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import streamlit as st

from charts.theme import STATUS_COLORS, STATUS_LABELS
from charts.trajectory import trajectory_chart
from domain.figures import FIGURES, label
from domain.formats import date_text, money, pct
from ui.widgets.chart import show_chart
from ui.widgets.swatch import tag
from ui.widgets.text import md


def _date(value: Any) -> str:
    return date_text(value) if value else "never"


def render_benefit_card(benefit: dict[str, Any], measured_by: str | None = None) -> None:
    """The figures behind a trajectory, beside it, in the words of How we measure;
    `measured_by` says what its latest value rests on ("Sourced · sql: warehouse")."""
    status = benefit["status"]
    st.markdown(
        tag(STATUS_LABELS[status], STATUS_COLORS[status])
        + (" &nbsp;<small>latest value is stale</small>" if benefit.get("stale") else ""),
        unsafe_allow_html=True,
    )
    left, right = st.columns(2)
    # "of the way to target": beside a KPI that is itself a percentage, "Attained 32%"
    # would read as the KPI's own value
    left.metric(
        "Of the way to target",
        pct(benefit["attainment"]),
        help=f"{pct(benefit['attainment'])} of the way from the baseline (0%) to the target "
        "(100%).",
    )
    right.metric("Expected by now", pct(benefit["expected"]), help="The straight-line plan.")
    left.metric("Planned value", money(benefit["planned_value"]))
    right.metric(
        label("value_at_risk"),
        money(benefit["value_at_risk"]),
        help=FIGURES["value_at_risk"].help,
    )
    owner = md(benefit["owner"]) if benefit.get("owner") else "**No owner**"
    unit = benefit.get("unit") or ""
    unit = unit if unit in ("", "%") else f" {unit}"
    baseline = md(f"{benefit['baseline']:,.4g}{unit}")
    target = md(f"{benefit['target']:,.4g}{unit}")
    st.markdown(
        f"Baseline **{baseline}** → target **{target}** by {_date(benefit['target_date'])}  \n"
        f"Owner: {owner}  \n"
        f"Last measured: {_date(benefit['measured_at'])}"
        + (f"  \nMeasured by: {md(measured_by)}" if measured_by else "")
    )


def charts_per_row(count: int) -> int:
    """Benefit charts side by side: all of them up to three, four as two rows of two. A
    project with one benefit gives it the page's width, not a third of it."""
    return 2 if count == 4 else max(min(count, 3), 1)


def render_benefit_charts(points: pl.DataFrame, benefits: pl.DataFrame, as_of: dt.date) -> None:
    """Each benefit's trajectory (baseline and target named on their lines, the trend to
    the target date), as wide as its share of the row, with the forecast in words below."""
    ids = benefits.get_column("benefit_id").to_list()
    per_row = charts_per_row(len(ids))
    height = 200 if per_row == 3 else 240
    for start in range(0, len(ids), per_row):
        row = ids[start : start + per_row]
        for column, benefit_id in zip(st.columns(per_row, gap="medium"), row, strict=False):
            one = pl.col("benefit_id") == benefit_id
            benefit = benefits.filter(one)
            with column:
                show_chart(
                    trajectory_chart, points.filter(one), benefit, as_of, height, compact=True
                )
                note = benefit.select(pl.coalesce("forecast_words", "forecast_reason")).item()
                st.caption(md(note))
