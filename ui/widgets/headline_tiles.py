"""The headline figures as tiles, shared by the Overview and the Quarterly review so an
executive sees the same five figures, worded the same way, on both (and the Outcomes
page the same value tiles). Labels and formats: domain.figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.figures import FIGURES, label
from domain.formats import money
from ui.widgets.text import md

TILES = ("output_rate", "outcome_rate", "gap_pts", "realization_to_date", "value_at_risk")
VALUE_TILES = ("realization_to_date", "realization_of_plan", "value_at_risk", "unmeasured_share")


def _of(n: Any, total: Any, whom: str) -> str | None:
    if not total:
        return None
    return f"{int(n or 0):,} of the {int(total):,} {whom}"


def populations(figures: Mapping[str, Any]) -> str:
    """Whom each headline rate counts, from one row of portfolio figures: 'Delivered to
    plan: 45 of the 58 projects with delivery figures · Realizing value: 21 of the 40
    projects with benefits due · ...'."""
    parts = {
        "output_rate": _of(
            figures.get("n_output_ok"),
            figures.get("n_output_judged"),
            "projects with delivery figures",
        ),
        "outcome_rate": _of(
            figures.get("n_outcome_ok"),
            figures.get("n_outcome_judged"),
            "projects with benefits due",
        ),
        "realization_to_date": (
            f"{money(figures.get('realized_value_due'))} of the "
            f"{money(figures.get('expected_value_due'))} expected by now"
            if figures.get("expected_value_due")
            else None
        ),
    }
    return " · ".join(f"{label(name)}: {text}" for name, text in parts.items() if text)


def evidence_line(figures: Mapping[str, Any]) -> str | None:
    """How much of the value realized rests on measurement sources, from one row of
    portfolio figures: 'Value evidenced: $1.2M of the $3.0M realized rests on measurement
    sources; Value claimed: $1.8M was typed in · Evidenced: 40% of the benefits due'
    (Markdown of our own words and figures). None when no benefit is due."""
    share = figures.get("evidenced_share")
    if share is None or share != share:
        return None
    evidenced = float(figures.get("evidenced_value") or 0.0)
    claimed = float(figures.get("claimed_value") or 0.0)
    money_of = FIGURES["evidenced_value"].shown
    rate = f"**{label('evidenced_share')}: {FIGURES['evidenced_share'].shown(share)}**"
    if not evidenced + claimed:
        return f"{rate} of the benefits due are measured by a source; no value is realized yet."
    return (
        f"**{label('evidenced_value')}: {money_of(evidenced)}** of the "
        f"{money_of(evidenced + claimed)} realized rests on measurement sources; "
        f"**{label('claimed_value')}: {money_of(claimed)}** was typed in · {rate} of the "
        "benefits due"
    )


EVIDENCE_HELP = "  \n".join(
    f"**{label(n)}**: {FIGURES[n].help}"
    for n in ("evidenced_value", "claimed_value", "evidenced_share")
)


def _count(n: Any, one: str, many: str) -> str:
    n = int(n or 0)
    return f"{n:,} {one if n == 1 else many}"


def forecast_line(figures: Mapping[str, Any]) -> str:
    """Where the forecasts say the portfolio is heading, in one Markdown line, from one row
    of portfolio figures: the forecast shortfall in money, the benefits heading for a miss
    (and how many of them are on track today), the improbable dates."""
    shortfall = FIGURES["forecast_shortfall"]
    return (
        f"**{shortfall.label}: {md(shortfall.shown(figures.get('forecast_shortfall')))}** of "
        "planned value the benefits' own trends will not reach by their target dates · "
        f"**{label('heading_for_miss')}**: "
        f"{_count(figures.get('heading_for_miss'), 'benefit', 'benefits')}, "
        f"{int(figures.get('early_warnings') or 0):,} of them on track today "
        f"({label('early_warnings').lower()}) · **{label('forecast_improbable')}**: "
        f"{_count(figures.get('forecast_improbable'), 'project', 'projects')}"
    )
