"""The headline figures as tiles, shared by the Overview and the Quarterly review so an
executive sees the same five figures, worded the same way, on both (and the Outcomes
page the same value tiles). Labels and formats: domain.figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.figures import label
from domain.formats import money

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
