"""One look for every chart: a colour-blind-safe palette and consistent quadrant colours."""

from __future__ import annotations

from typing import Any

import altair as alt

from metrics.gap import QUADRANTS

FONT = "Source Sans 3, Source Sans Pro, Helvetica Neue, Arial, sans-serif"
INK = "#1f2a37"
MUTED = "#6b7280"
GRID = "#e5e7eb"

# Okabe-Ito based: distinguishable with the common colour-vision deficiencies. The one
# declaration of the verdicts' colours, in the quadrant order every chart, legend and list
# follows; no two alike (tests/test_charts.py measures them): "delivery data missing" is
# indigo, not a second orange, and the two greys differ in lightness.
QUADRANT_COLORS: dict[str, str] = {
    "realizing": "#009E73",
    "watermelon": "#D55E00",
    "late_but_realizing": "#56B4E9",
    "rescue_or_stop": "#CC79A7",
    "delivery_unknown": "#332288",
    "too_early": "#D3D7DD",
    "no_outcome_defined": "#4B5563",
}
QUADRANT_ORDER = list(QUADRANT_COLORS)
QUADRANT_LABELS = QUADRANTS

# A benefit's status in the colours a board reads from status reports (blue, red, amber,
# green): achieved is blue, on track green, at risk amber, off track red; unmeasured a
# mid grey, not due yet a light one. No two alike, as the verdicts (tests/test_charts.py):
# at risk and off track are no longer two oranges.
STATUS_COLORS: dict[str, str] = {
    "achieved": "#0072B2",
    "on_track": "#009E73",
    "at_risk": "#E69F00",
    "off_track": "#B91C1C",
    "unmeasured": "#6B7280",
    "not_due": "#C9CED6",
}
STATUS_LABELS: dict[str, str] = {
    "achieved": "Achieved",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "unmeasured": "Unmeasured",
    "not_due": "Not due yet",
}
SERIES = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#000000"]
OUTPUT_COLOR = "#0072B2"
OUTCOME_COLOR = "#D55E00"
# Plan against reality in the history and trajectory charts: the plan is quiet grey,
# what happened is the delivery blue, targets are the realizing green.
PLAN_COLOR = "#8A919A"
ACTUAL_COLOR = OUTPUT_COLOR
TARGET_COLOR = QUADRANT_COLORS["realizing"]


def quadrant_scale() -> alt.Scale:
    return alt.Scale(
        domain=[QUADRANT_LABELS[q] for q in QUADRANT_ORDER],
        range=[QUADRANT_COLORS[q] for q in QUADRANT_ORDER],
    )


def status_scale() -> alt.Scale:
    return alt.Scale(
        domain=[STATUS_LABELS[s] for s in STATUS_COLORS],
        range=list(STATUS_COLORS.values()),
    )


# On a wall screen (presentation mode) chart text is at least this many pixels at 1920.
PRESENT_FONT = 20


def presented(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a chart spec for the wall screen: axis, legend and mark text at least
    PRESENT_FONT pixels (a text mark's own size grows by the same factor, never below)."""
    factor = PRESENT_FONT / 13
    config = dict(spec.get("config", {}))
    for part in ("axis", "legend", "header"):
        config[part] = {
            **config.get(part, {}),
            "labelFontSize": PRESENT_FONT,
            "titleFontSize": PRESENT_FONT,
            "labelLimit": 420,
        }
    config["text"] = {**config.get("text", {}), "fontSize": PRESENT_FONT}
    out = {**spec, "config": config}
    if "layer" in spec:
        out["layer"] = [presented_mark(layer, factor) for layer in spec["layer"]]
    return presented_mark(out, factor)


def presented_mark(spec: dict[str, Any], factor: float) -> dict[str, Any]:
    mark = spec.get("mark")
    if not isinstance(mark, dict) or "fontSize" not in mark:
        return spec
    size = max(PRESENT_FONT, round(mark["fontSize"] * factor))
    return {**spec, "mark": {**mark, "fontSize": size}}


@alt.theme.register("cockpit", enable=True)
def cockpit_theme() -> alt.theme.ThemeConfig:
    """Large, quiet type and light grids, readable on a laptop and on a projector."""
    return {
        "config": {
            "font": FONT,
            "background": "transparent",
            "view": {"stroke": None},
            "title": {"fontSize": 16, "fontWeight": 600, "color": INK, "anchor": "start"},
            "axis": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "titleFontWeight": 600,
                "labelColor": MUTED,
                "titleColor": INK,
                "gridColor": GRID,
                "domainColor": GRID,
                "tickColor": GRID,
                "labelLimit": 240,
                "titlePadding": 10,
            },
            "legend": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "titleFontWeight": 600,
                "labelColor": INK,
                "titleColor": INK,
                "symbolSize": 140,
                "labelLimit": 260,
            },
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "range": {"category": SERIES},
            "text": {"font": FONT, "fontSize": 13, "color": INK},
        }
    }
