"""Quarter series and the quarter-to-quarter comparison, on a hand-made two-snapshot portfolio.

Previous quarter as of A0 = 2026-03-31, current as of A1 = 2026-06-30, default settings.
Benefits run 2026-01-01 -> 2026-12-27 (360 days) unless noted: expected 89/360 at A0
(2026-01-01 -> 2026-03-31 = 89 days) and 180/360 = 0.5 at A1.
"""

from __future__ import annotations

import math

import polars as pl

from domain.quarters import previous_quarter, quarter_bounds, quarter_of
from metrics.trends import compare, quarter_series, quarter_snapshots
from tests.support.two_quarters import (
    D,
    evaluations,
)


def test_quarter_labels():
    assert quarter_of(D(2026, 9, 30)) == "2026-Q3"
    assert quarter_of(D(2026, 1, 1)) == "2026-Q1"
    assert quarter_bounds("2026-Q4") == (D(2026, 10, 1), D(2026, 12, 31))
    assert quarter_bounds("2024-Q1") == (D(2024, 1, 1), D(2024, 3, 31))
    assert previous_quarter("2026-Q1") == "2025-Q4"


def test_a_quarter_takes_its_latest_snapshot():
    snapshots = pl.LazyFrame(
        {
            "snapshot_id": [1, 2, 3, 4],
            "as_of": [D(2026, 1, 31), D(2026, 3, 31), D(2026, 2, 28), D(2026, 4, 30)],
        }
    )
    chosen = quarter_snapshots(snapshots).collect()
    assert chosen.to_dicts() == [
        {"quarter": "2026-Q1", "snapshot_id": 2, "as_of": D(2026, 3, 31)},
        {"quarter": "2026-Q2", "snapshot_id": 4, "as_of": D(2026, 4, 30)},
    ]


def test_headline_deltas():
    before, after = evaluations()
    headline = {r["figure"]: r for r in compare(before, after).headline.collect().to_dicts()}
    # Previous: delivery ok M1 M2 M4 M5 of 6 -> 4/6; outcome ok M1 M5 of M1 M2 M5 M6 -> 2/4.
    # Current: delivery ok M1 M4 M5 M7 of 6 (M6 cancelled) -> 4/6; outcome ok M3 M5 M7 of
    # M1 M2 M3 M5 M7 -> 3/5.
    assert math.isclose(headline["output_rate"]["previous"], 4 / 6)
    assert math.isclose(headline["output_rate"]["delta"], 0.0, abs_tol=1e-12)
    assert math.isclose(headline["outcome_rate"]["delta"], 3 / 5 - 2 / 4)
    assert math.isclose(headline["gap_pts"]["delta"], 100 * (4 / 6 - 3 / 5) - 100 * (4 / 6 - 2 / 4))
    assert list(headline)[:3] == ["output_rate", "outcome_rate", "gap_pts"]


def test_projects_that_changed_quadrant_and_why():
    before, after = evaluations()
    moves = {r["project_id"]: r for r in compare(before, after).quadrant_moves.collect().to_dicts()}
    assert set(moves) == {"M1", "M2", "M3", "M7"}  # M4 stays too early, M5 realizing, M6 rescue
    assert (moves["M1"]["from_quadrant"], moves["M1"]["to_quadrant"]) == ("realizing", "watermelon")
    assert (
        moves["M1"]["why"] == "value fell behind: 50% of the value expected by now (26% attained)"
    )
    assert (moves["M2"]["from_quadrant"], moves["M2"]["to_quadrant"]) == (
        "watermelon",
        "rescue_or_stop",
    )
    assert moves["M2"]["why"] == "delivery slipped: 59 days late"
    assert (moves["M3"]["from_quadrant"], moves["M3"]["to_quadrant"]) == (
        "too_early",
        "late_but_realizing",
    )
    assert (
        moves["M3"]["why"] == "benefits came due: 17% of the value expected by now (15% attained)"
    )
    assert moves["M7"]["from_quadrant"] is None and moves["M7"]["to_quadrant"] == "realizing"
    assert moves["M7"]["why"] == "new in this quarter's snapshot"
    assert moves["M1"]["to_label"] == "On plan, value missing"


def test_benefits_that_changed_status():
    before, after = evaluations()
    changes = compare(before, after).status_changes.collect()
    got = {r["benefit_id"]: (r["from_status"], r["to_status"]) for r in changes.to_dicts()}
    assert got == {
        "M1-B": ("on_track", "at_risk"),
        "M2-B": ("at_risk", "off_track"),
        "M3-B": ("not_due", "on_track"),
    }


def test_projects_started_delivered_cancelled():
    before, after = evaluations()
    result = compare(before, after)
    assert result.started.collect()["project_id"].to_list() == ["M4", "M7"]
    assert result.delivered.collect()["project_id"].to_list() == ["M5"]
    assert result.cancelled.collect()["project_id"].to_list() == ["M6"]


def test_quarter_series_is_one_row_per_quarter_in_order():
    before, after = evaluations()
    series = quarter_series({"2026-Q2": after, "2026-Q1": before}).collect()
    assert series["quarter"].to_list() == ["2026-Q1", "2026-Q2"]
    assert math.isclose(series["outcome_rate"][1], 3 / 5)


def test_benefit_status_changes_are_classified():
    from metrics.review import quarter_review

    before, after = evaluations()
    review = quarter_review({"2026-Q1": before, "2026-Q2": after}, "2026-Q2")
    kinds = dict(review.status_changes.select("benefit_id", "change").rows())
    assert kinds == {"M1-B": "fell_behind", "M2-B": "fell_behind", "M3-B": "came_due"}
