"""'How we measure': every figure the app shows, in plain words, with today's tolerances.

The definitions are docs/metrics.md's; this is their wording for executives, so that nobody
has to trust a number they cannot explain. Each figure's label and wording come from the
registry of figures (domain/figures.py).
"""

from __future__ import annotations

import streamlit as st

from charts.theme import QUADRANT_COLORS, QUADRANT_LABELS
from domain.figures import FIGURES, label
from domain.formats import pct
from domain.settings import Settings
from ui.widgets.swatch import swatch

QUADRANT_MEANING: dict[str, str] = {
    "realizing": "delivered to plan and the value is arriving.",
    "watermelon": "green on delivery, but the value is not arriving: look here first.",
    "late_but_realizing": "off plan on delivery, but the value is arriving.",
    "rescue_or_stop": "off plan on delivery and the value is not arriving.",
    "delivery_unknown": "benefits are due but the delivery figures are missing.",
    "too_early": "none of its benefits is due yet.",
    "no_outcome_defined": "it promised no measurable benefit.",
}


def _delivery(s: Settings) -> str:
    late = (
        "any day past"
        if s.schedule_tolerance_days == 0
        else f"more than {s.schedule_tolerance_days} days past"
    )
    return f"""
**Delivery (outputs): did we deliver what we said, when we said, for what we said?**

- **On time**: the project finished, or is forecast to finish, no later than its committed
  (baseline) end date. Late means {late} it. A project that is not finished cannot finish
  in the past: its end is never earlier than the as-of date.
- **On budget**: the cost at completion (actual cost once delivered, else the forecast)
  overruns the budget by at most {pct(s.budget_tolerance)}.
- **On scope**: the share of planned scope delivered keeps up with the time elapsed:
  at least {pct(s.scope_tolerance)} of what is due by now.
- {FIGURES["output_rate"].how_we_measure()}
- **CPI and SPI** (earned value): work done against money spent (CPI) and against work
  planned by now (SPI). 1.0 is on plan; below 1.0 is over cost or behind.
"""


def _value(s: Settings) -> str:
    return f"""
**Value (outcomes): did the business get the value it was promised?**

- Each benefit has a KPI with a **baseline** and a **target**, a start (when the value
  should begin to show, by default the project's end) and a target date.
- **Attainment**: how far the latest measurement has moved from baseline to target
  (0% at baseline, 100% at target; it works for KPIs that must go down).
- **Expected by now**: a straight line from the start (0%) to the target date (100%).
- A benefit is **on track** when attainment trails the expected line by at most
  {pct(s.outcome_tolerance)} points, **at risk** up to {pct(s.outcome_risk_band)} points,
  **off track** beyond; **achieved** once it reaches its target; **not due** before its start.
- **Unmeasured**: no measurement, or the latest is older than {s.stale_after_days} days.
  An unmeasured benefit counts as 0% in every score and value: value nobody measures is
  value nobody can claim.
- {FIGURES["outcome_rate"].how_we_measure()}
- {FIGURES["realization_to_date"].how_we_measure()}
  {FIGURES["realization_of_plan"].how_we_measure()}
  {FIGURES["value_at_risk"].how_we_measure()}
- **Time to value**: days from a project's delivery to the first measurement showing half
  of a benefit's value.
"""


def _evidence(s: Settings) -> str:
    return f"""
**Evidence: how much of the value rests on a measured number?**

- A measurement is **sourced** when a measurement source produced it: a read-only query on
  a database or files, a Jira count, a number from an API, run on a schedule or by
  "Run now" on the Data page. It is **typed** when it came in an
  upload or was entered by a person. Hover a measured point of a trajectory, or read the
  Project page's benefits, to see which, and from where.
- **{label("evidenced_share")}**: the share of the benefits due whose latest measurement,
  recent enough to count, is sourced.
- **{label("evidenced_value")}** and **{label("claimed_value")}**: the value realized by
  the benefits whose latest measurement is sourced, and by those whose latest is typed;
  together they make up the value realized.
- A source that fails records its error and writes no value, never a 0. One that keeps
  failing leaves its benefit's last value to grow stale: after {s.stale_after_days} days
  the benefit counts as unmeasured, as one nobody measures.
"""


GAP = f"""
**{label("gap_pts")}**

- **{label("gap_pts")}** is *{label("output_rate")}* minus *{label("outcome_rate")}*, in
  percentage points, of the rates as shown (every figure is rounded half away from zero).
  Positive means delivery looks better than the value it produces.
- **Commitments funnel**: *{label("committed").lower()}* are projects whose committed end
  date has passed; *{label("kept").lower()}* are those delivered on time and on budget;
  *{label("realizing").lower()}* are those of them whose value is arriving. Its shares are of
  the projects due by now, not of every project as the rates above.
- **RAG mismatch**: the self-reported status is green (or amber/green) while delivery or
  value is off plan. Status that hides bad news is the first thing to see.
"""


HOW_WE_MEASURE_KEY = "how_we_measure"


def _forecasts(s: Settings) -> str:
    return f"""
**Forecasts: where is it heading?**

- **Delivery forecast** (a project linked to a Jira epic, not yet delivered): the history
  is the number of the epic's issues finished in each of the last
  {s.forecast_window_weeks} weeks. Each coming week is assumed to finish as many as one of
  those weeks did, picked at random; the chance of being done by every date is then
  worked out exactly (no simulation: the same data always give the same dates). The
  **{label("finish_p50")}**, **{label("finish_p85")}** and **{label("finish_p95")}** dates are
  when the open issues are done with a 50%, 85% and 95% chance. The chance of the date the
  project reports is set beside it: under 50%, it is an **improbable date**, and a green
  status on it hides bad news. There is no forecast when nothing is open, when work was
  done in fewer than {s.forecast_min_active_weeks} of the {s.forecast_window_weeks} weeks
  (too little history), or for a project not in Jira. Real teams work in spells, so read
  far-off P95 dates as likely rather than certain.
- **Benefit forecast** (a benefit due and measured, not yet achieved): a straight trend
  through its measurements since its start (the median slope over every pair of them, so
  one odd reading cannot swing it), carried to the target date. It gives where the benefit
  will be by then (**{label("forecast_attainment")}**), when it reaches the target, and the
  **{label("forecast_shortfall").lower()}** in money. It assumes the recent pace goes on;
  it needs at least {s.forecast_min_points} measurements since the start. **Heading for a
  miss**: by the target date the trend ends short of {pct(1 - s.outcome_tolerance)} of the
  way from baseline to target. An **early warning** is a benefit on track today that is
  heading for a miss.
"""


def render_how_we_measure(settings: Settings, expanded: bool = False) -> None:
    """An expander with the definitions and the tolerances in force. Its text is written
    only once it is opened (a rerun): closed, it costs a page nothing to send or draw."""
    box = st.expander(
        "How we measure",
        icon=":material/menu_book:",
        expanded=expanded,
        key=HOW_WE_MEASURE_KEY,
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        left, right = st.columns(2, gap="large")
        left.markdown(_delivery(settings))
        left.markdown(GAP)
        left.markdown(_evidence(settings))
        right.markdown(_value(settings))
        verdicts = "\n".join(
            f"- {swatch(QUADRANT_COLORS[q])} **{QUADRANT_LABELS[q]}**: {meaning}"
            for q, meaning in QUADRANT_MEANING.items()
        )
        right.markdown("**The verdict per project**\n\n" + verdicts, unsafe_allow_html=True)
        st.markdown(_forecasts(settings))
        st.caption(
            "Tolerances are set by the PMO in the app's settings and apply to everyone "
            "who uses this data. Figures are computed as of the snapshot date you view."
        )


assert set(QUADRANT_MEANING) == set(QUADRANT_COLORS)
