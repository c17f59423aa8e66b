"""The three places docs/metrics.md spells out, worked by hand, and the portfolio sums over them.

As of A = 2026-06-30 with the default settings (stale after 120 days, tolerance 0.10, risk
band 0.30). Every benefit runs from S = 2026-01-01 to D = 2026-12-27 (360 days) unless it
says otherwise, so on A (180 days in) expected = 0.5; baseline 0, target 100.

- `realized_value` is null for a `not_due` benefit with no measurement (there is no
  attainment to value), and P * clip(attainment) for a not-due benefit that has one.
- `value_at_risk` is P - realized for at_risk, off_track and unmeasured (null when P is
  null), and 0 for every other status whether or not P is known.
- `value_per_cost` divides by the cost of every project, cancelled ones included.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from domain.settings import Settings
from metrics.evaluate import evaluate
from metrics.report import build_report
from tests.factories import benefit, measurement, portfolio_input, project

D = dt.date
A = D(2026, 6, 30)
S, END = D(2026, 1, 1), D(2026, 12, 27)
LATER = D(2026, 9, 1)  # a start after A: not due

PROJECTS = [
    project("LIVE", status="active", baseline_end=D(2026, 12, 31), actual_cost=1000.0),
    project("GONE", status="cancelled", baseline_end=D(2026, 3, 31), actual_cost=500.0),
]

BENEFITS = [
    # Not due, never measured: realized null, at risk 0 (with or without P).
    benefit("ND-P", "LIVE", start_date=LATER, target_date=END, planned_value=600.0),
    benefit("ND-NOP", "LIVE", start_date=LATER, target_date=END),
    # Not due but measured at 40 before its start: realized 0.4 * 300 = 120, at risk 0.
    benefit("ND-M", "LIVE", start_date=LATER, target_date=END, planned_value=300.0),
    # On track (0.45 vs 0.5) and achieved (1.0), without P: at risk 0, realized null.
    benefit("OT-NOP", "LIVE", start_date=S, target_date=END),
    benefit("AC-NOP", "LIVE", start_date=S, target_date=END),
    # At risk (0.3 vs 0.5: trails by 0.2), off track (0.1: trails by 0.4), unmeasured,
    # all without P: at risk null.
    benefit("AR-NOP", "LIVE", start_date=S, target_date=END),
    benefit("OF-NOP", "LIVE", start_date=S, target_date=END),
    benefit("UN-NOP", "LIVE", start_date=S, target_date=END),
    # The same with P: at risk P - realized.
    benefit("AR-P", "LIVE", start_date=S, target_date=END, planned_value=1000.0),  # 1000 - 300
    benefit("OF-P", "LIVE", start_date=S, target_date=END, planned_value=200.0),  # 200 - 20
    benefit("UN-P", "LIVE", start_date=S, target_date=END, planned_value=400.0),  # 400 - 0
    # On track with P: realized 0.45 * 100 = 45, at risk 0.
    benefit("OT-P", "LIVE", start_date=S, target_date=END, planned_value=100.0),
    # The cancelled project's benefit counts in no sum; its cost counts in value per cost.
    benefit("GONE-P", "GONE", start_date=S, target_date=END, planned_value=900.0),
]

MEASUREMENTS = [
    measurement("ND-M", D(2026, 6, 1), 40.0),
    measurement("OT-NOP", A, 45.0),
    measurement("AC-NOP", A, 100.0),
    measurement("AR-NOP", A, 30.0),
    measurement("OF-NOP", A, 10.0),
    measurement("AR-P", A, 30.0),
    measurement("OF-P", A, 10.0),
    measurement("OT-P", A, 45.0),
    measurement("GONE-P", A, 50.0),
]

EXPECTED = {
    "ND-P": dict(status="not_due", realized_value=None, value_at_risk=0.0),
    "ND-NOP": dict(status="not_due", realized_value=None, value_at_risk=0.0),
    "ND-M": dict(status="not_due", realized_value=120.0, value_at_risk=0.0),
    "OT-NOP": dict(status="on_track", realized_value=None, value_at_risk=0.0),
    "AC-NOP": dict(status="achieved", realized_value=None, value_at_risk=0.0),
    "AR-NOP": dict(status="at_risk", realized_value=None, value_at_risk=None),
    "OF-NOP": dict(status="off_track", realized_value=None, value_at_risk=None),
    "UN-NOP": dict(status="unmeasured", realized_value=None, value_at_risk=None),
    "AR-P": dict(status="at_risk", realized_value=300.0, value_at_risk=700.0),
    "OF-P": dict(status="off_track", realized_value=20.0, value_at_risk=180.0),
    "UN-P": dict(status="unmeasured", realized_value=0.0, value_at_risk=400.0),
    "OT-P": dict(status="on_track", realized_value=45.0, value_at_risk=0.0),
    "GONE-P": dict(status="on_track", realized_value=450.0, value_at_risk=0.0),
}


@pytest.fixture(scope="module")
def report() -> dict:
    portfolio = portfolio_input(A, PROJECTS, BENEFITS, MEASUREMENTS)
    return build_report(evaluate(portfolio, Settings()), A)


def _same(actual: object, expected: object) -> bool:
    if expected is None or actual is None:
        return actual is expected
    if isinstance(expected, str):
        return actual == expected
    return math.isclose(float(actual), float(expected), abs_tol=1e-9)  # type: ignore[arg-type]


@pytest.mark.parametrize("benefit_id", sorted(EXPECTED))
def test_each_benefit_as_worked_by_hand(report, benefit_id):
    actual = next(b for b in report["benefits"] if b["benefit_id"] == benefit_id)
    wrong = {
        key: (actual[key], want)
        for key, want in EXPECTED[benefit_id].items()
        if not _same(actual[key], want)
    }
    assert not wrong, wrong


def test_the_portfolio_sums_skip_the_nulls(report):
    """Over LIVE only (GONE is cancelled):
    value at risk 700 + 180 + 400 = 1280 (the nulls add nothing, the zeros nothing);
    due benefits with P: AR-P, OF-P, UN-P, OT-P; realized 300 + 20 + 0 + 45 = 365,
    expected 0.5 * (1000 + 200 + 400 + 100) = 850, planned 1700;
    realized over every benefit of LIVE: 365 + 120 (ND-M) = 485, over the cost of both
    projects, the cancelled one included: 485 / 1500;
    due benefits: the 9 that are not ND-*, of which UN-NOP and UN-P are unmeasured."""
    figures = report["portfolio"]
    assert figures["value_at_risk"] == pytest.approx(1280.0)
    assert figures["realization_to_date"] == pytest.approx(365 / 850)
    assert figures["realization_of_plan"] == pytest.approx(365 / 1700)
    assert figures["value_per_cost"] == pytest.approx(485 / 1500)
    assert figures["unmeasured_share"] == pytest.approx(2 / 9)


def test_value_at_risk_of_benefits_without_any_planned_value_is_zero_not_null():
    """A portfolio whose only at-risk benefit has no P still sums to 0 at risk, a number."""
    portfolio = portfolio_input(
        A,
        [project("LIVE", status="active", baseline_end=D(2026, 12, 31))],
        [benefit("AR-NOP", "LIVE", start_date=S, target_date=END)],
        [measurement("AR-NOP", A, 30.0)],
    )
    report = build_report(evaluate(portfolio, Settings()), A)
    assert report["benefits"][0]["value_at_risk"] is None
    assert report["portfolio"]["value_at_risk"] == 0.0
    assert report["portfolio"]["realization_to_date"] is None  # no due benefit has a P
