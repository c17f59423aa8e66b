"""A 13-project portfolio worked out by hand from docs/metrics.md, checked to 1e-9.

As of A = 2026-06-30 with the default settings: schedule 0 days, budget 5%, scope 90%,
outcome tolerance 0.10, risk band 0.30, stale after 120 days.

Day counts used below (all checked on a calendar):
  2025-12-31 -> 2026-06-30 = 181      2026-01-01 -> 2026-06-30 = 180
  2026-01-01 -> 2026-12-31 = 364      2026-01-01 -> 2026-12-27 = 360
  2025-12-31 -> 2026-12-31 = 365      2026-01-01 -> 2027-01-01 = 365
  2026-03-31 -> 2026-06-30 = 91       2026-06-30 -> 2026-09-30 = 92
  2026-05-31 -> 2026-08-31 = 92       2026-01-31 -> 2026-06-30 = 150
  2025-01-01 -> 2026-06-30 = 545      2025-01-01 -> 2026-03-31 = 454
  2025-07-01 -> 2026-06-30 = 364      2025-07-01 -> 2026-07-01 = 365
  2025-06-01 -> 2026-06-30 = 394      2025-06-01 -> 2026-05-31 = 364
  2025-12-31 -> 2026-05-31 = 151      2026-01-30 -> 2026-01-31 = 1
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from domain.settings import Settings
from metrics.evaluate import evaluate
from metrics.report import build_report
from tests.compare import assert_same_report
from tests.factories import benefit, measurement, portfolio_input, project

D = dt.date
A = D(2026, 6, 30)

PROJECTS = [
    # P01 delivered on the baseline, at budget, full scope: realizing.
    project("P01", objective="Revenue", status="delivered", rag="green",
            start_date=D(2025, 1, 1), baseline_end=D(2025, 12, 31), actual_end=D(2025, 12, 31),
            budget=1000.0, actual_cost=1000.0, scope_planned=10.0, scope_delivered=10.0),
    # P02 on plan with a KPI that must go down and cost exactly on the 5% boundary: watermelon.
    project("P02", objective="Revenue", status="active", rag="green",
            start_date=D(2026, 1, 1), baseline_end=D(2026, 12, 31), forecast_end=D(2026, 12, 31),
            budget=2000.0, actual_cost=900.0, forecast_cost=2100.0,
            scope_planned=100.0, scope_delivered=45.0),
    # P03 undelivered past its baseline with no forecast, over budget: late but realizing.
    project("P03", objective="Revenue", status="active", rag="amber",
            start_date=D(2025, 1, 1), baseline_end=D(2026, 3, 31),
            budget=1000.0, actual_cost=1200.0),
    # P04 late, over budget, short on scope; benefits with and without planned value.
    project("P04", objective="Revenue", status="active", rag="green",
            start_date=D(2025, 7, 1), baseline_end=D(2026, 6, 30), forecast_end=D(2026, 9, 30),
            budget=1000.0, actual_cost=800.0, forecast_cost=1300.0,
            scope_planned=20.0, scope_delivered=10.0),
    # P05 cancelled: listed, in no rate; its cost is spend without value.
    project("P05", objective="Revenue", status="cancelled", rag="red",
            start_date=D(2025, 1, 1), baseline_end=D(2025, 12, 31),
            budget=500.0, actual_cost=400.0),
    # P06 proposed without a baseline (or any date): too early.
    project("P06", objective="Cost", status="proposed"),
    # P07 on plan but promised no benefit: no outcome defined.
    project("P07", objective="Cost", status="active", rag="green",
            start_date=D(2026, 1, 1), baseline_end=D(2026, 12, 31), forecast_end=D(2026, 12, 31),
            budget=100.0, actual_cost=40.0, forecast_cost=100.0,
            scope_planned=10.0, scope_delivered=5.0),
    # P08 proposed, no delivery data, but a benefit already due: delivery unknown.
    project("P08", objective="Cost", status="proposed"),
    # P09 on plan, one benefit achieved before it was due, one not due: realizing.
    project("P09", objective="Cost", status="active", rag="green",
            start_date=D(2026, 1, 1), baseline_end=D(2026, 12, 31), forecast_end=D(2026, 12, 31),
            budget=1000.0, actual_cost=500.0, forecast_cost=1000.0,
            scope_planned=10.0, scope_delivered=5.0),
    # P10 delivered 30 days late, scope exactly 90%, a stale measurement: rescue or stop.
    project("P10", objective="Risk", status="delivered", rag="amber/green",
            start_date=D(2025, 1, 1), baseline_end=D(2025, 12, 31), actual_end=D(2026, 1, 30),
            budget=1000.0, actual_cost=1000.0, scope_planned=10.0, scope_delivered=9.0),
    # P11 every delivery boundary met exactly; benefits on the tolerance and risk-band edges.
    project("P11", objective="Risk", status="active",
            start_date=D(2026, 1, 1), baseline_end=D(2026, 6, 30),
            budget=1000.0, actual_cost=700.0, forecast_cost=1000.0,
            scope_planned=10.0, scope_delivered=9.0),
    # P12 delivered early but 6% over budget; a falling KPI exactly on the project tolerance.
    project("P12", objective="Risk", status="delivered", rag="green",
            start_date=D(2025, 1, 1), baseline_end=D(2025, 12, 31), actual_end=D(2025, 12, 20),
            budget=1000.0, actual_cost=1060.0, scope_planned=10.0, scope_delivered=10.0),
    # P13 on hold, late, cost exactly on the boundary, a benefit never measured.
    project("P13", objective="Risk", status="on_hold", rag="amber",
            start_date=D(2025, 6, 1), baseline_end=D(2026, 5, 31), forecast_end=D(2026, 8, 31),
            budget=400.0, actual_cost=300.0, forecast_cost=420.0,
            scope_planned=8.0, scope_delivered=6.0),
]  # fmt: skip

BENEFITS = [
    benefit("B01a", "P01", baseline=100.0, target=200.0, target_date=D(2026, 12, 31),
            planned_value=1000.0),
    benefit("B01b", "P01", baseline=0.0, target=10.0, target_date=D(2026, 6, 30)),
    benefit("B02a", "P02", baseline=50.0, target=30.0, start_date=D(2026, 1, 1),
            target_date=D(2026, 12, 31), planned_value=500.0),
    benefit("B03a", "P03", baseline=0.0, target=10.0, start_date=D(2025, 7, 1),
            target_date=D(2026, 7, 1)),
    benefit("B04a", "P04", start_date=D(2026, 1, 1), target_date=D(2026, 12, 31),
            planned_value=300.0),
    benefit("B04b", "P04", start_date=D(2026, 1, 1), target_date=D(2026, 12, 31)),
    benefit("B05a", "P05", baseline=0.0, target=1.0, start_date=D(2025, 6, 1),
            target_date=D(2026, 6, 1), planned_value=100.0),
    benefit("B06a", "P06", baseline=0.0, target=1.0, target_date=D(2027, 12, 31)),
    benefit("B08a", "P08", start_date=D(2026, 1, 1), target_date=D(2027, 1, 1),
            planned_value=200.0),
    benefit("B09a", "P09", baseline=10.0, target=20.0, target_date=D(2027, 12, 31),
            planned_value=400.0),
    benefit("B09b", "P09", target_date=D(2027, 12, 31), planned_value=600.0),
    benefit("B10a", "P10", start_date=D(2025, 6, 1), target_date=D(2026, 6, 1),
            planned_value=1000.0),
    benefit("B10b", "P10", start_date=D(2026, 1, 1), target_date=D(2026, 12, 27)),
    benefit("B11a", "P11", start_date=D(2026, 1, 1), target_date=D(2026, 12, 27),
            planned_value=100.0),
    benefit("B11b", "P11", start_date=D(2026, 1, 1), target_date=D(2026, 12, 27),
            planned_value=100.0),
    benefit("B12a", "P12", baseline=10.0, target=5.0, start_date=D(2026, 1, 1),
            target_date=D(2026, 12, 27)),
    benefit("B13a", "P13", baseline=0.0, target=50.0, start_date=D(2026, 1, 1),
            target_date=D(2026, 12, 27), planned_value=250.0),
]  # fmt: skip

MEASUREMENTS = [
    measurement("B01a", D(2026, 3, 31), 130.0),
    measurement("B01a", D(2026, 6, 30), 160.0),
    measurement("B01b", D(2026, 5, 31), 10.0),
    measurement("B02a", D(2026, 6, 15), 48.0),
    measurement("B03a", D(2026, 6, 1), 9.6),
    measurement("B04a", D(2026, 6, 30), 10.0),
    measurement("B04b", D(2026, 6, 30), 40.0),
    measurement("B08a", D(2026, 6, 30), 20.0),
    measurement("B09a", D(2026, 6, 30), 21.0),
    measurement("B10a", D(2026, 1, 31), 80.0),
    measurement("B10b", D(2026, 6, 30), 40.0),
    measurement("B11a", D(2026, 6, 30), 20.0),
    measurement("B11b", D(2026, 6, 30), 40.0),
    measurement("B12a", D(2026, 3, 31), 9.0),
    measurement("B12a", D(2026, 6, 30), 8.0),
    # Dated after A: must change nothing.
    measurement("B02a", D(2026, 7, 31), 30.0),
    measurement("B13a", D(2026, 8, 31), 50.0),
]

# ---------------------------------------------------------------------------------------
# Expected per project. slip = end_A - baseline_end; end_A = actual_end if delivered, else
# max(coalesce(forecast_end, baseline_end), A). eac = actual_cost if delivered, else
# coalesce(forecast_cost, actual_cost). elapsed = 1 if delivered, else
# clip((A - start)/(baseline_end - start), 0, 1). EV = budget*min(completion, 1),
# PV = budget*elapsed, CPI = EV/actual_cost, SPI = EV/PV.
# ---------------------------------------------------------------------------------------
EXPECTED_PROJECTS = {
    # P01: slip 0 -> on time; cv (1000-1000)/1000 = 0; completion 1 >= 0.9*1.
    # EV 1000, PV 1000. Due: B01a (P=1000) and B01b (no P -> weight 0 beside a P).
    # outcome 0.6, expected 181/365; 181/365 - 0.6 = -0.104 <= 0.1 -> ok.
    "P01": dict(delivered=True, slip_days=0, on_time=True, cost_variance=0.0, on_budget=True,
                completion=1.0, on_scope=True, delivery_ok=True, output_score=1.0, cpi=1.0,
                spi=1.0, outcome_score=0.6, expected_score=181 / 365, outcome_ok=True,
                quadrant="realizing", rag_mismatch=False),
    # P02: end_A = max(2026-12-31, A) -> slip 0; eac 2100, cv 100/2000 = 0.05 <= 0.05 (boundary);
    # completion 0.45 >= 0.9 * 180/364 = 0.44505. EV 900, PV 2000*180/364.
    # B02a attainment (48-50)/(30-50) = 0.1 vs expected 180/364 -> not ok; green -> mismatch.
    "P02": dict(delivered=False, slip_days=0, on_time=True, cost_variance=0.05, on_budget=True,
                completion=0.45, on_scope=True, delivery_ok=True, output_score=1.0,
                cpi=900 / 900, spi=900 / (2000 * 180 / 364), outcome_score=0.1,
                expected_score=180 / 364, outcome_ok=False, quadrant="watermelon",
                rag_mismatch=True),
    # P03: no forecast -> end_A = max(2026-03-31, A) = A -> slip 91; eac = actual 1200 -> cv 0.2;
    # no scope -> on_scope null; 0 of 2 known criteria. elapsed clip(545/454) = 1, EV null.
    # B03a: 0.96 vs 364/365 -> ok (equal weights, no P).
    "P03": dict(delivered=False, slip_days=91, on_time=False, cost_variance=0.2,
                on_budget=False, completion=None, on_scope=None, delivery_ok=False,
                output_score=0.0, cpi=None, spi=None, outcome_score=0.96,
                expected_score=364 / 365, outcome_ok=True,
                quadrant="late_but_realizing", rag_mismatch=False),
    # P04: slip 92; cv 0.3; completion 0.5 < 0.9*1. EV 500, PV 1000, CPI 500/800, SPI 0.5.
    # Weights: B04a P=300, B04b no P -> 0. outcome 0.1, expected 180/364 -> not ok.
    "P04": dict(delivered=False, slip_days=92, on_time=False, cost_variance=0.3,
                on_budget=False, completion=0.5, on_scope=False, delivery_ok=False,
                output_score=0.0, cpi=500 / 800, spi=0.5, outcome_score=0.1,
                expected_score=180 / 364, outcome_ok=False, quadrant="rescue_or_stop",
                rag_mismatch=True),
    # P05 (cancelled): end_A = A -> slip 181; eac 400 -> cv -0.2; 1 of 2 known criteria.
    # B05a never measured -> unmeasured, counts 0; expected clip(394/365) = 1.
    "P05": dict(delivered=False, slip_days=181, on_time=False, cost_variance=-0.2,
                on_budget=True, completion=None, on_scope=None, delivery_ok=False,
                output_score=0.5, cpi=None, spi=None, outcome_score=0.0, expected_score=1.0,
                outcome_ok=False, quadrant="rescue_or_stop", rag_mismatch=False),
    # P06: nothing known; B06a has no start at all -> not due.
    "P06": dict(delivered=False, slip_days=None, on_time=None, cost_variance=None,
                on_budget=None, completion=None, on_scope=None, delivery_ok=None,
                output_score=None, cpi=None, spi=None, outcome_score=None,
                expected_score=None, outcome_ok=None, quadrant="too_early",
                rag_mismatch=False),
    # P07: slip 0, cv 0, completion 0.5 >= 0.9*180/364. EV 50, PV 100*180/364, CPI 50/40.
    "P07": dict(delivered=False, slip_days=0, on_time=True, cost_variance=0.0, on_budget=True,
                completion=0.5, on_scope=True, delivery_ok=True, output_score=1.0,
                cpi=50 / 40, spi=50 / (100 * 180 / 364), outcome_score=None,
                expected_score=None, outcome_ok=None, quadrant="no_outcome_defined",
                rag_mismatch=False),
    # P08: no delivery criterion known -> delivery unknown. B08a 0.2 vs 180/365 (gap 0.293
    # <= 0.3: at risk) -> project not ok.
    "P08": dict(delivered=False, slip_days=None, on_time=None, cost_variance=None,
                on_budget=None, completion=None, on_scope=None, delivery_ok=None,
                output_score=None, cpi=None, spi=None, outcome_score=0.2,
                expected_score=180 / 365, outcome_ok=False, quadrant="delivery_unknown",
                rag_mismatch=False),
    # P09: slip 0, cv 0, completion 0.5 on scope. EV 500, PV 1000*180/364, CPI 1.
    # B09a achieved before due (attainment 1.1, clipped to 1; expected 0); B09b not due.
    "P09": dict(delivered=False, slip_days=0, on_time=True, cost_variance=0.0, on_budget=True,
                completion=0.5, on_scope=True, delivery_ok=True, output_score=1.0, cpi=1.0,
                spi=500 / (1000 * 180 / 364), outcome_score=1.0, expected_score=0.0,
                outcome_ok=True, quadrant="realizing", rag_mismatch=False),
    # P10: delivered 30 days late; cv 0; completion 0.9 >= 0.9*1 (boundary). EV 900, PV 1000.
    # Weights: B10a P=1000 (stale -> 0), B10b no P -> 0. outcome 0, expected 1 -> not ok.
    # amber/green counts as green on the five-point scale -> mismatch.
    "P10": dict(delivered=True, slip_days=30, on_time=False, cost_variance=0.0,
                on_budget=True, completion=0.9, on_scope=True, delivery_ok=False,
                output_score=2 / 3, cpi=0.9, spi=0.9, outcome_score=0.0, expected_score=1.0,
                outcome_ok=False, quadrant="rescue_or_stop", rag_mismatch=True),
    # P11: end_A = max(2026-06-30, A) = A -> slip 0 (boundary); cv 0; elapsed 180/180 = 1,
    # completion 0.9 (boundary). EV 900, PV 1000, CPI 900/700.
    # B11a 0.2 and B11b 0.4 vs expected 0.5, equal P -> outcome 0.3, gap 0.2 -> not ok.
    "P11": dict(delivered=False, slip_days=0, on_time=True, cost_variance=0.0, on_budget=True,
                completion=0.9, on_scope=True, delivery_ok=True, output_score=1.0,
                cpi=900 / 700, spi=0.9, outcome_score=0.3, expected_score=0.5,
                outcome_ok=False, quadrant="watermelon", rag_mismatch=False),
    # P12: delivered 11 days early; cv 0.06 > 0.05; full scope. EV 1000, PV 1000, CPI 1000/1060.
    # B12a falling KPI (8-10)/(5-10) = 0.4 vs 0.5: project gap exactly 0.1 -> ok (boundary).
    "P12": dict(delivered=True, slip_days=-11, on_time=True, cost_variance=0.06,
                on_budget=False, completion=1.0, on_scope=True, delivery_ok=False,
                output_score=2 / 3, cpi=1000 / 1060, spi=1.0, outcome_score=0.4,
                expected_score=0.5, outcome_ok=True, quadrant="late_but_realizing",
                rag_mismatch=True),
    # P13: end_A = 2026-08-31 -> slip 92; cv 20/400 = 0.05 (boundary, on budget);
    # completion 0.75 < 0.9*clip(394/364) = 0.9. EV 300, PV 400, CPI 1, SPI 0.75.
    # B13a never measured (the later measurement is after A) -> outcome 0 vs 0.5.
    "P13": dict(delivered=False, slip_days=92, on_time=False, cost_variance=0.05,
                on_budget=True, completion=0.75, on_scope=False, delivery_ok=False,
                output_score=1 / 3, cpi=1.0, spi=0.75, outcome_score=0.0, expected_score=0.5,
                outcome_ok=False, quadrant="rescue_or_stop", rag_mismatch=False),
}  # fmt: skip

# ---------------------------------------------------------------------------------------
# Expected per benefit. S = own start, else project actual_end, forecast_end, baseline_end.
# attainment = (V-B)/(T-B); expected = clip((A-S)/(D-S), 0, 1); realized = P*clip(att, 0, 1)
# with stale/missing counting 0, null for a not_due benefit never measured; expected_value =
# P*expected; value_at_risk = P - realized for at_risk/off_track/unmeasured (null without P),
# else 0 whether or not P is known; time to value = days from the project's actual_end to
# the first measurement with attainment >= 0.5.
# ---------------------------------------------------------------------------------------
EXPECTED_BENEFITS = {
    # S = P01 actual_end 2025-12-31, D-S = 365, A-S = 181. Latest V=160 -> 0.6; first >= 0.5
    # is 2026-06-30 -> 181 days after 2025-12-31.
    "B01a": dict(attainment=0.6, expected=181 / 365, status="on_track", realized_value=600.0,
                 expected_value=1000 * 181 / 365, value_at_risk=0.0, time_to_value_days=181),
    # D-S = 181 -> expected 1; V=10 -> 1.0 achieved. First >= 0.5 on 2026-05-31: 151 days.
    # No P: realized value unknown, but an achieved benefit puts nothing at risk (0).
    "B01b": dict(attainment=1.0, expected=1.0, status="achieved", realized_value=None,
                 expected_value=None, value_at_risk=0.0, time_to_value_days=151),
    # Falling KPI: (48-50)/(30-50) = 0.1; expected 180/364 = 0.4945, gap 0.3945 > 0.3.
    "B02a": dict(attainment=0.1, expected=180 / 364, status="off_track", realized_value=50.0,
                 expected_value=500 * 180 / 364, value_at_risk=450.0, time_to_value_days=None),
    # 9.6/10 = 0.96; expected 364/365; gap 0.037 -> on track. No P.
    "B03a": dict(attainment=0.96, expected=364 / 365, status="on_track", realized_value=None,
                 expected_value=None, value_at_risk=0.0, time_to_value_days=None),
    "B04a": dict(attainment=0.1, expected=180 / 364, status="off_track", realized_value=30.0,
                 expected_value=300 * 180 / 364, value_at_risk=270.0, time_to_value_days=None),
    # gap 0.4945 - 0.4 = 0.0945 -> on track.
    "B04b": dict(attainment=0.4, expected=180 / 364, status="on_track", realized_value=None,
                 expected_value=None, value_at_risk=0.0, time_to_value_days=None),
    # Cancelled project's benefit, never measured.
    "B05a": dict(attainment=None, expected=1.0, status="unmeasured", realized_value=0.0,
                 expected_value=100.0, value_at_risk=100.0, time_to_value_days=None),
    # No start date anywhere -> not due; no P.
    "B06a": dict(attainment=None, expected=None, status="not_due", realized_value=None,
                 expected_value=None, value_at_risk=0.0, time_to_value_days=None),
    # 0.2 vs 180/365 = 0.4932: gap 0.2932 <= 0.3 -> at risk; risk 200 - 40.
    "B08a": dict(attainment=0.2, expected=180 / 365, status="at_risk", realized_value=40.0,
                 expected_value=200 * 180 / 365, value_at_risk=160.0, time_to_value_days=None),
    # S = forecast_end 2026-12-31 > A, but (21-10)/10 = 1.1 >= 1 -> achieved; expected 0.
    "B09a": dict(attainment=1.1, expected=0.0, status="achieved", realized_value=400.0,
                 expected_value=0.0, value_at_risk=0.0, time_to_value_days=None),
    # Not due and never measured: no attainment to value, so realized is null (P = 600).
    "B09b": dict(attainment=None, expected=0.0, status="not_due", realized_value=None,
                 expected_value=0.0, value_at_risk=0.0, time_to_value_days=None),
    # Measured 2026-01-31, 150 days before A > 120 -> stale: unmeasured, attainment still 0.8.
    # First >= 0.5 on 2026-01-31, 1 day after actual_end 2026-01-30.
    "B10a": dict(attainment=0.8, expected=1.0, status="unmeasured", realized_value=0.0,
                 expected_value=1000.0, value_at_risk=1000.0, time_to_value_days=1),
    # expected 180/360 = 0.5, attainment 0.4: gap exactly 0.1 -> on track.
    "B10b": dict(attainment=0.4, expected=0.5, status="on_track", realized_value=None,
                 expected_value=None, value_at_risk=0.0, time_to_value_days=None),
    # gap exactly 0.3 -> at risk.
    "B11a": dict(attainment=0.2, expected=0.5, status="at_risk", realized_value=20.0,
                 expected_value=50.0, value_at_risk=80.0, time_to_value_days=None),
    "B11b": dict(attainment=0.4, expected=0.5, status="on_track", realized_value=40.0,
                 expected_value=50.0, value_at_risk=0.0, time_to_value_days=None),
    # Falling KPI at 0.4 vs 0.5; no measurement reached 0.5.
    "B12a": dict(attainment=0.4, expected=0.5, status="on_track", realized_value=None,
                 expected_value=None, value_at_risk=0.0, time_to_value_days=None),
    "B13a": dict(attainment=None, expected=0.5, status="unmeasured", realized_value=0.0,
                 expected_value=125.0, value_at_risk=250.0, time_to_value_days=None),
}  # fmt: skip

# ---------------------------------------------------------------------------------------
# Portfolio, over the 12 non-cancelled projects.
# delivery_ok known for 10 (not P06, P08); true for P01 P02 P07 P09 P11 -> 5/10.
# outcome_ok over the 10 with due benefits (not P06, P07): true P01 P03 P09 P12 -> 4/10.
# Due benefits with P: B01a B02a B04a B08a B09a B10a B11a B11b B13a:
#   realized 600+50+30+40+400+0+20+40+0 = 1180;  P sum 3850;
#   expected 1000*181/365 + 500*180/364 + 300*180/364 + 200*180/365 + 0 + 1000 + 50 + 50 + 125.
# value at risk 450+270+160+1000+80+250 = 2210 (B05a belongs to the cancelled P05).
# Due benefits: 14, of which unmeasured B10a, B13a.
# Committed (baseline_end <= A): P01 P03 P04 P10 P11 P12 P13 = 7; kept (delivered, on time,
# on budget): P01 = 1; realizing (kept and outcome ok): P01 = 1.
# value per cost: 1180 / actual cost of all projects incl. cancelled (7900).
# ---------------------------------------------------------------------------------------
EXPECTED_EXPECTED_VALUE = (
    1000 * 181 / 365 + 500 * 180 / 364 + 300 * 180 / 364 + 200 * 180 / 365 + 1000 + 50 + 50 + 125
)
EXPECTED_PORTFOLIO = {
    "output_rate": 5 / 10,
    "outcome_rate": 4 / 10,
    "gap_pts": 100 * (5 / 10 - 4 / 10),
    "realization_to_date": 1180 / EXPECTED_EXPECTED_VALUE,
    "realization_of_plan": 1180 / 3850,
    "value_at_risk": 2210.0,
    "unmeasured_share": 2 / 14,
    "committed": 7,
    "kept": 1,
    "realizing": 1,
    "value_per_cost": 1180 / 7900,
}
# By objective: Revenue P01-P04 (P05 cancelled), Cost P06-P09, Risk P10-P13.
EXPECTED_BY_OBJECTIVE = {
    "Revenue": {"output_rate": 2 / 4, "outcome_rate": 2 / 4, "committed": 3, "kept": 1},
    "Cost": {"output_rate": 2 / 2, "outcome_rate": 1 / 2, "committed": 0, "kept": 0},
    "Risk": {"output_rate": 1 / 4, "outcome_rate": 1 / 4, "committed": 4, "kept": 0},
}


def close(actual: object, expected: object) -> bool:
    if expected is None or actual is None:
        return actual is expected
    if isinstance(expected, (bool, str)):
        return actual == expected
    return math.isclose(float(actual), float(expected), rel_tol=0, abs_tol=1e-9)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def report() -> dict:
    portfolio = portfolio_input(A, PROJECTS, BENEFITS, MEASUREMENTS)
    return build_report(evaluate(portfolio, Settings()), A)


@pytest.mark.parametrize("project_id", sorted(EXPECTED_PROJECTS))
def test_project_figures(report, project_id):
    actual = next(p for p in report["projects"] if p["project_id"] == project_id)
    wrong = {
        key: (actual[key], want)
        for key, want in EXPECTED_PROJECTS[project_id].items()
        if not close(actual[key], want)
    }
    assert not wrong, wrong


@pytest.mark.parametrize("benefit_id", sorted(EXPECTED_BENEFITS))
def test_benefit_figures(report, benefit_id):
    actual = next(b for b in report["benefits"] if b["benefit_id"] == benefit_id)
    wrong = {
        key: (actual[key], want)
        for key, want in EXPECTED_BENEFITS[benefit_id].items()
        if not close(actual[key], want)
    }
    assert not wrong, wrong


def test_portfolio_figures(report):
    wrong = {
        key: (report["portfolio"][key], want)
        for key, want in EXPECTED_PORTFOLIO.items()
        if not close(report["portfolio"][key], want)
    }
    assert not wrong, wrong


def test_portfolio_by_objective(report):
    rows = {row["objective"]: row for row in report["by"]["objective"]}
    assert set(rows) == set(EXPECTED_BY_OBJECTIVE)
    for objective, figures in EXPECTED_BY_OBJECTIVE.items():
        for key, want in figures.items():
            assert close(rows[objective][key], want), (objective, key, rows[objective][key], want)


def test_every_quadrant_and_rule_is_exercised(report):
    quadrants = {p["quadrant"] for p in report["projects"]}
    assert quadrants == {
        "no_outcome_defined", "too_early", "delivery_unknown", "realizing",
        "watermelon", "late_but_realizing", "rescue_or_stop",
    }  # fmt: skip
    statuses = {b["status"] for b in report["benefits"]}
    assert statuses == {"not_due", "unmeasured", "achieved", "on_track", "at_risk", "off_track"}


def test_measurements_after_the_date_change_nothing():
    before = [m for m in MEASUREMENTS if m["measured_at"] <= A]
    with_later = build_report(
        evaluate(portfolio_input(A, PROJECTS, BENEFITS, MEASUREMENTS), Settings()), A
    )
    without = build_report(evaluate(portfolio_input(A, PROJECTS, BENEFITS, before), Settings()), A)
    assert_same_report(with_later, without)


def test_tolerances_come_from_the_settings():
    # With a 10% budget tolerance P12 (6% over) is on budget, so delivery_ok becomes true.
    report = build_report(
        evaluate(
            portfolio_input(A, PROJECTS, BENEFITS, MEASUREMENTS), Settings(budget_tolerance=0.1)
        ),
        A,
    )
    p12 = next(p for p in report["projects"] if p["project_id"] == "P12")
    assert p12["on_budget"] is True and p12["quadrant"] == "realizing"
