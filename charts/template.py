"""Chart templates: a spec built once, its data filled in on every run.

Building and serialising an Altair chart costs tens of milliseconds; filling a template's
named datasets and parameter values costs almost nothing. The charts that re-render on
every filter change of the landing page are templates: their structure depends on
settings only, their data (named datasets) and data-driven numbers (top-level
parameters, such as the largest bar) are filled in per view.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import polars as pl


@dataclass(frozen=True)
class Fill:
    """What a template needs for one view: frames by dataset name, parameter values."""

    datasets: dict[str, pl.DataFrame]
    params: dict[str, float] = field(default_factory=dict)


def rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows (dates as ISO text), as Vega-Lite reads inline data."""
    return json.loads(frame.write_json())


def fill(spec: dict[str, Any], data: Fill) -> dict[str, Any]:
    """A copy of a template's spec with its datasets and parameter values filled in
    (the template itself is left as it was: it is cached and shared)."""
    out = dict(spec)
    out["datasets"] = {
        **spec.get("datasets", {}),
        **{name: rows(frame) for name, frame in data.datasets.items()},
    }
    if data.params:
        out["params"] = [
            {**p, "value": data.params[p["name"]]} if p.get("name") in data.params else p
            for p in spec.get("params", [])
        ]
    return out


def filled_chart(template: alt.TopLevelMixin, data: Fill) -> dict[str, Any]:
    """The complete spec of a template and its data (for tests and one-off uses)."""
    return fill(template.to_dict(), data)


def top(value: float | None, floor: float = 1.0) -> float:
    """The largest value a bar chart must show, never zero (a zero-width scale draws nothing)."""
    return max(float(value or 0.0), floor)
