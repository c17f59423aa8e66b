"""The headline figures as tiles, shared by the Overview and the Quarterly review so an
executive sees the same five figures, worded the same way, on both (and the Outcomes
page the same value tiles)."""

from __future__ import annotations

from charts.formats import money, pct, pts, share_pts, signed_money
from ui.tiles import Tile

VALUE_REALIZED = Tile(
    "realization_to_date",
    "Value realized",
    pct,
    share_pts,
    "Realized value over the value expected by now, for benefits due with a planned value.",
)
VALUE_AT_RISK = Tile(
    "value_at_risk",
    "Value at risk",
    money,
    signed_money,
    "Planned value not yet realized of benefits at risk, off track or unmeasured.",
    higher_is_better=False,
)

TILES = (
    Tile(
        "output_rate",
        "Delivered to plan",
        pct,
        share_pts,
        "Output rate: the share of projects on time, on budget and on scope (where known).",
    ),
    Tile(
        "outcome_rate",
        "Realizing value",
        pct,
        share_pts,
        "Outcome rate: the share of projects with benefits due whose value keeps up with "
        "the expected trajectory.",
    ),
    Tile(
        "gap_pts",
        "The gap",
        pts,
        pts,
        "Delivered to plan minus realizing their outcomes, in percentage points. Positive: "
        "delivery looks better than the value it produces.",
        higher_is_better=False,
    ),
    VALUE_REALIZED,
    VALUE_AT_RISK,
)
