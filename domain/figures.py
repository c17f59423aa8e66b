"""The portfolio figures by name: the one label each is shown under, how it is formatted and
what it counts. The app's tiles, the funnel, the charts' tooltips, "How we measure", the
narrative and the PDF all take their wording from here, so a measure has one name
everywhere ("Realizing value", never "Realizing outcomes" or "Outcome rate" elsewhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from domain.formats import (
    MISSING,
    date_text,
    gap_points,
    half_away,
    money,
    money_change,
    pct,
    points_change,
    pts,
    share_change,
)

Kind = Literal["share", "points", "money", "count", "ratio", "date"]


@dataclass(frozen=True)
class Figure:
    """How one portfolio figure is shown: its name (as in docs/metrics.md and the report),
    its label, its kind (which fixes its format and how its change is written), what it
    measures in one line (tooltips), which way is good, and how we measure it in the words
    of the app's "How we measure" (empty: the one line says it all)."""

    name: str
    label: str
    kind: Kind
    help: str
    higher_is_better: bool = True
    how: str = ""

    def how_we_measure(self) -> str:
        """The figure's line of "How we measure": its label in bold, then how."""
        return f"**{self.label}**: {self.how or self.help}"

    def shown(self, value: Any) -> str:
        return VALUE_FORMATS[self.kind](value)

    def change(self, current: Any, previous: Any) -> str:
        return CHANGE_FORMATS[self.kind](current, previous)


def _ratio(value: float | None) -> str:
    return MISSING if value is None or value != value else f"{half_away(value, 2):.2f}"


def _ratio_change(current: float | None, previous: float | None) -> str:
    if current is None or previous is None:
        return MISSING
    change = half_away(current, 2) - half_away(previous, 2)
    return f"{half_away(change, 2):+.2f}".replace("-0.00", "+0.00")


def _count(value: float | None) -> str:
    return MISSING if value is None or value != value else f"{int(value):,}"


def _count_change(current: float | None, previous: float | None) -> str:
    if current is None or previous is None:
        return MISSING
    return f"{int(current) - int(previous):+,d}"


def _date(value: dt.date | None) -> str:
    return date_text(value)


def _date_change(current: dt.date | None, previous: dt.date | None) -> str:
    """How many days later (+) or earlier (-) a date moved."""
    if current is None or previous is None:
        return MISSING
    return f"{(current - previous).days:+,d} days"


VALUE_FORMATS: dict[Kind, Callable[[Any], str]] = {
    "share": pct,
    "points": pts,
    "money": money,
    "count": _count,
    "ratio": _ratio,
    "date": _date,
}
CHANGE_FORMATS: dict[Kind, Callable[[Any, Any], str]] = {
    "share": share_change,
    "points": points_change,
    "money": money_change,
    "count": _count_change,
    "ratio": _ratio_change,
    "date": _date_change,
}

_FIGURES = (
    Figure(
        "output_rate",
        "Delivered to plan",
        "share",
        "The share of the projects with delivery figures that are on time, on budget and on "
        "scope (each as far as it is known).",
        how="the share of projects meeting every one of these that is known, among the "
        "projects with delivery figures. Cancelled projects are left out of every rate; what "
        "they spent counts as spend without value.",
    ),
    Figure(
        "outcome_rate",
        "Realizing value",
        "share",
        "The share of the projects with benefits due whose value keeps up with the expected "
        "trajectory (within the tolerance).",
        how="the share of projects with benefits due whose planned-value-weighted "
        "attainment keeps up with the expected line (within the tolerance).",
    ),
    Figure(
        "gap_pts",
        "The gap",
        "points",
        "Delivered to plan minus Realizing value, in percentage points, of the rates as shown. "
        "Positive: delivery looks better than the value it produces.",
        higher_is_better=False,
    ),
    Figure(
        "realization_to_date",
        "Value vs expected",
        "share",
        "The value realized so far over the value expected by now, for the benefits due that "
        "have a planned value.",
        how="realized value (planned value × attainment) over the value expected by now.",
    ),
    Figure(
        "realization_of_plan",
        "Planned value realized",
        "share",
        "The value realized so far over the full planned value of the benefits due.",
        how="the same over the full planned value.",
    ),
    Figure(
        "value_at_risk",
        "Value at risk",
        "money",
        "The planned value not yet realized of the benefits at risk, off track or unmeasured.",
        higher_is_better=False,
        how="the planned value not yet realized of benefits that are at risk, off track or "
        "unmeasured.",
    ),
    Figure(
        "unmeasured_share",
        "Unmeasured benefits",
        "share",
        "The share of the benefits due with no measurement, or none recent enough to count.",
        higher_is_better=False,
    ),
    Figure(
        "evidenced_share",
        "Evidenced",
        "share",
        "The share of the benefits due whose latest measurement, recent enough to count, came "
        "from a measurement source (a query, a Jira count, an API) rather than being typed in.",
    ),
    Figure(
        "evidenced_value",
        "Value evidenced",
        "money",
        "The value realized so far by benefits whose latest measurement came from a "
        "measurement source.",
    ),
    Figure(
        "claimed_value",
        "Value claimed",
        "money",
        "The value realized so far by benefits whose latest measurement was typed in (an "
        "upload or a person), not measured by a source. With the value evidenced it makes up "
        "the value realized.",
    ),
    Figure(
        "committed",
        "Due by now",
        "count",
        "Projects whose committed end date has passed.",
    ),
    Figure(
        "kept",
        "Kept",
        "count",
        "Of the projects due by now, those delivered on time and on budget.",
    ),
    Figure(
        "realizing",
        "Realizing value",
        "count",
        "Of the projects kept, those whose value keeps up with the expected trajectory.",
    ),
)
_DELIVERY_FIGURES = (
    Figure(
        "on_time_rate",
        "On time",
        "share",
        "The share of projects finished, or forecast to finish, by the committed end date "
        "(within the schedule tolerance).",
    ),
    Figure(
        "on_budget_rate",
        "On budget",
        "share",
        "The share of projects whose cost at completion stays within the budget tolerance.",
    ),
    Figure(
        "on_scope_rate",
        "On scope",
        "share",
        "The share of projects whose delivered scope keeps up with the time elapsed.",
    ),
    Figure(
        "overrun",
        "Forecast overrun",
        "money",
        "Cost at completion minus budget, summed over the projects.",
        higher_is_better=False,
    ),
    Figure(
        "cpi",
        "Cost performance",
        "ratio",
        "CPI: earned value over actual cost. 1.00 is on plan; below 1 means more spent than "
        "the work done is worth.",
    ),
)
# The forecasts (docs/metrics.md, Forecasts): where a project's and a benefit's own recent
# history leads.
_FORECAST_FIGURES = (
    Figure(
        "forecast_shortfall",
        "Forecast shortfall",
        "money",
        "The planned value the benefits' own trends will not reach by their target dates: "
        "for each benefit with a forecast, its planned value times the share of the target "
        "its trend falls short of.",
        higher_is_better=False,
    ),
    Figure(
        "heading_for_miss",
        "Heading for a miss",
        "count",
        "Benefits whose measured trend, projected to their target date, falls short of the "
        "target by more than the tolerance.",
        higher_is_better=False,
    ),
    Figure(
        "early_warnings",
        "Early warnings",
        "count",
        "Benefits on track today whose trend is heading for a miss: the warning a status "
        "cannot give.",
        higher_is_better=False,
    ),
    Figure(
        "forecast_improbable",
        "Improbable dates",
        "count",
        "Projects whose reported end date has less than an even chance at the pace their own "
        "Jira work has kept over the last weeks.",
        higher_is_better=False,
    ),
    Figure(
        "finish_p50",
        "P50 (even chance)",
        "date",
        "The date by which the open Jira work is done with a 50% chance, at the team's recent "
        "weekly pace.",
    ),
    Figure(
        "finish_p85",
        "P85 (likely)",
        "date",
        "The date by which the open Jira work is done with an 85% chance.",
    ),
    Figure(
        "finish_p95",
        "P95 (near certain)",
        "date",
        "The date by which the open Jira work is done with a 95% chance. Real throughput comes "
        "in spells, so read far-off P95 dates as likely rather than certain.",
    ),
    Figure(
        "chance_by_baseline",
        "Chance of the committed end",
        "share",
        "The chance that the open Jira work is done by the committed end date, at the recent "
        "weekly pace.",
    ),
    Figure(
        "chance_by_forecast",
        "Chance of the reported date",
        "share",
        "The chance that the open Jira work is done by the end date the project reports (its "
        "forecast end, else the committed one). Under 50% the date is improbable.",
    ),
    Figure(
        "forecast_attainment",
        "At the target date",
        "share",
        "Where the benefit's measured trend leads by its target date, as a share of the way "
        "from baseline to target.",
    ),
    Figure(
        "forecast_reached_on",
        "Target reached",
        "date",
        "When the benefit's measured trend reaches the target; none when the trend is flat or "
        "falling.",
    ),
)
FIGURES: dict[str, Figure] = {
    figure.name: figure for figure in (*_FIGURES, *_DELIVERY_FIGURES, *_FORECAST_FIGURES)
}


def label(name: str) -> str:
    """The label of figure `name`."""
    return FIGURES[name].label


def shown_values(rows: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Headline rows (figure -> {current, previous, ...}) as they are shown: the gap, now and
    before, becomes the difference of the shown rates, so 78% and 53% read as 25 points
    even where the unrounded gap is 24.6."""
    shown = {name: dict(row) for name, row in rows.items()}
    output, outcome = rows.get("output_rate", {}), rows.get("outcome_rate", {})
    if "gap_pts" in shown:
        for column in ("current", "previous"):
            gap = gap_points(output.get(column), outcome.get(column))
            shown["gap_pts"][column] = None if gap is None else float(gap)
    return shown
