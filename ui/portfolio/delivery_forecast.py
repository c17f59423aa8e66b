"""The Project page's delivery forecast: the chances in words, the finish dates, the fan
(charts.forecast); where there is no forecast, why not. Figures from ui.cache."""

from __future__ import annotations

import streamlit as st

from charts.forecast import delivery_fan_chart
from domain.figures import FIGURES
from domain.settings import Settings
from ui.cache import ProjectForecast
from ui.widgets.chart import show_chart
from ui.widgets.text import md

FAN_HEIGHT = 280
FINISH_DATES = ("finish_p50", "finish_p85", "finish_p95")


def _history_line(facts: dict, settings: Settings) -> str:
    """What the forecast read, in a sentence."""
    remaining = facts["remaining"]
    issues = "1 issue" if remaining == 1 else f"{remaining:,} issues"
    return (
        f"From the Jira epic {md(facts['jira_key'])}: {issues} open; work was done in "
        f"{facts['active_weeks']} of the last {settings.forecast_window_weeks} weeks. Each "
        "coming week is assumed to finish as many issues as one of those weeks did."
    )


def render_delivery_forecast(forecast: ProjectForecast | None, settings: Settings) -> None:
    """The section: chances and dates on the left, the fan on the right."""
    st.subheader(
        "Delivery forecast",
        help="When the open Jira work will be done at the team's own recent pace, and how "
        "likely the dates the project committed to and reports are. Exact, not sampled: "
        "the same data give the same dates.",
    )
    if forecast is None:
        return
    facts = forecast.facts
    if facts["forecast_reason"] is not None:
        st.info(md(facts["forecast_reason"]), icon=":material/event_busy:")
        return
    words, chart = st.columns([2, 3], gap="large")
    chart = chart.container(key="delivery_fan")
    with words:
        reported = FIGURES["chance_by_forecast"]
        tone = "red" if facts["forecast_improbable"] else "green"
        st.markdown(
            f"#### :{tone}[{md(facts['chance_reported_words'])}]",
            help=reported.help,
        )
        committed_differs = facts["forecast_end"] not in (None, facts["baseline_end"])
        st.markdown(
            "That is the end date the project reports. For its committed end: "
            f"{md(facts['chance_baseline_words'])}."
            if committed_differs
            else "That is the committed end date, which the project still reports."
        )
        st.markdown(
            "\n".join(
                f"- **{FIGURES[name].label}**: done by {FIGURES[name].shown(facts[name])}"
                for name in FINISH_DATES
            ),
            help=" ".join(FIGURES[name].help for name in FINISH_DATES[1:]),
        )
        st.caption(_history_line(facts, settings))
    with chart:
        show_chart(delivery_fan_chart, forecast.curve, forecast.marks, forecast.as_of, FAN_HEIGHT)
