"""A hand-made portfolio in two quarters, for the tests of trends, reviews and briefings.

Previous quarter as of A0 = 2026-03-31, current as of A1 = 2026-06-30, default settings.
Benefits run 2026-01-01 -> 2026-12-27 (360 days) unless noted: expected 89/360 at A0
(2026-01-01 -> 2026-03-31 = 89 days) and 180/360 = 0.5 at A1.
"""

from __future__ import annotations

import datetime as dt

from domain.settings import Settings
from metrics.evaluate import evaluate
from tests.factories import benefit, measurement, portfolio_input, project

D = dt.date
A0, A1 = D(2026, 3, 31), D(2026, 6, 30)
YEAR = dict(start_date=D(2026, 1, 1), target_date=D(2026, 12, 27))

ON_PLAN = dict(start_date=D(2026, 1, 1), baseline_end=D(2026, 12, 31), budget=100.0,
               actual_cost=30.0, forecast_cost=100.0)  # fmt: skip

PREVIOUS = [
    # M1 delivery fine; value on track at A0 (0.25 vs 0.247).
    project("M1", forecast_end=D(2026, 12, 31), scope_planned=10.0, scope_delivered=3.0, **ON_PLAN),
    # M2 delivery fine; value at risk at A0 (0 vs 0.247): a watermelon.
    project("M2", forecast_end=D(2026, 12, 31), **ON_PLAN),
    # M3 late (baseline 2026-02-28, no forecast: 31 days late at A0); benefit starts 2026-05-01.
    project("M3", start_date=D(2025, 6, 1), baseline_end=D(2026, 2, 28)),
    # M4 proposed, benefit not due.
    project("M4", status="proposed", start_date=D(2026, 5, 1), baseline_end=D(2026, 12, 31)),
    # M5 on plan, value on track.
    project("M5", start_date=D(2025, 7, 1), baseline_end=D(2026, 6, 30),
            forecast_end=D(2026, 6, 30), budget=100.0, actual_cost=80.0, forecast_cost=100.0,
            scope_planned=10.0, scope_delivered=8.0),
    # M6 late, its benefit never measured: rescue or stop.
    project("M6", start_date=D(2025, 1, 1), baseline_end=D(2025, 12, 31), budget=100.0,
            actual_cost=60.0),
]  # fmt: skip

CURRENT = [
    # M1 unchanged delivery (5 of 10 done >= 0.9*180/364).
    project("M1", forecast_end=D(2026, 12, 31), scope_planned=10.0, scope_delivered=5.0, **ON_PLAN),
    # M2 forecast slips to 2027-02-28: 59 days late.
    project("M2", forecast_end=D(2027, 2, 28), **ON_PLAN),
    project("M3", start_date=D(2025, 6, 1), baseline_end=D(2026, 2, 28)),
    project("M4", status="active", start_date=D(2026, 5, 1), baseline_end=D(2026, 12, 31)),
    project("M5", status="delivered", start_date=D(2025, 7, 1), baseline_end=D(2026, 6, 30),
            actual_end=D(2026, 6, 15), budget=100.0, actual_cost=100.0,
            scope_planned=10.0, scope_delivered=10.0),
    project("M6", status="cancelled", start_date=D(2025, 1, 1), baseline_end=D(2025, 12, 31),
            budget=100.0, actual_cost=60.0),
    # M7 appears for the first time, on plan and realizing.
    project("M7", start_date=D(2025, 1, 1), baseline_end=D(2026, 12, 31), budget=100.0,
            actual_cost=50.0, forecast_cost=100.0, scope_planned=10.0, scope_delivered=8.0),
]  # fmt: skip

BENEFITS = [
    benefit("M1-B", "M1", **YEAR),
    benefit("M2-B", "M2", **YEAR),
    benefit("M3-B", "M3", start_date=D(2026, 5, 1), target_date=D(2027, 4, 26)),
    benefit("M4-B", "M4", target_date=D(2027, 12, 31)),
    benefit("M5-B", "M5", start_date=D(2025, 10, 1), target_date=D(2026, 9, 26)),
    benefit("M6-B", "M6", start_date=D(2025, 6, 1), target_date=D(2026, 5, 27)),
    benefit("M7-B", "M7", **YEAR),
]
MEASUREMENTS = [
    measurement("M1-B", A0, 25.0),
    measurement("M1-B", A1, 26.0),  # 0.26 vs 0.5: at risk
    measurement("M2-B", A0, 0.0),
    measurement("M2-B", A1, 5.0),  # 0.05 vs 0.5: off track
    measurement("M3-B", A1, 15.0),  # 0.15 vs 60/360: on track
    measurement("M5-B", A0, 50.0),  # 0.5 vs 181/360
    measurement("M5-B", A1, 72.0),  # 0.72 vs 272/360
    measurement("M7-B", A1, 50.0),
]


def evaluations():
    before = evaluate(portfolio_input(A0, PREVIOUS, BENEFITS[:6], MEASUREMENTS), Settings())
    after = evaluate(portfolio_input(A1, CURRENT, BENEFITS, MEASUREMENTS), Settings())
    return before, after
