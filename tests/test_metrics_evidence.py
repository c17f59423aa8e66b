"""Evidence (docs/metrics.md): how much of the realized value rests on a measured number, worked
out by hand on a small portfolio as of A = 2026-06-30 (stale after 120 days).

Every benefit runs from 2026-01-01 to 2026-12-31, baseline 0, target 100, unless said.

| benefit | P | latest measurement | evidence | status | realized |
|---|---|---|---|---|---|
| B1 | 1000 | 2026-06-30: 40 | sourced | due, measured | 400 |
| B2 | 2000 | 2026-06-01: 25 (a sourced 20 before it) | typed | due, measured | 500 |
| B3 | 500 | 2026-01-15: 10, 166 days old | sourced | unmeasured (stale) | 0 |
| B4 | none | 2026-06-15: 50 | sourced | due, measured | null |
| B5 | 800 | none | null | unmeasured | 0 |
| B6 | 300 | 2026-06-30: 10, starts 2026-09-01 | sourced | not due | 30 (not due) |
| B7 (Cost) | 100 | 2026-06-30: 100 | typed | achieved | 100 |

Due: B1-B5 and B7 (6). Not unmeasured and sourced: B1, B4, so evidenced_share = 2/6.
evidenced_value = 400 (B1) + 0 (B3, stale) = 400; claimed_value = 500 (B2) + 100 (B7) =
600; with B5's 0 they make up the realized value of the due benefits with P, 1000.
By objective: Revenue 2/5, 400, 500; Cost 0/1, 0, 100.
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain.settings import Settings
from metrics.evaluate import evaluate
from metrics.report import build_report
from tests.factories import benefit, measurement, portfolio_input, project

D = dt.date
A = D(2026, 6, 30)
SPAN = {
    "baseline": 0.0,
    "target": 100.0,
    "start_date": D(2026, 1, 1),
    "target_date": D(2026, 12, 31),
}


def evidence_portfolio():
    projects = [
        project("P1", objective="Revenue", status="active", start_date=D(2026, 1, 1),
                baseline_end=D(2026, 12, 31)),
        project("P2", objective="Cost", status="active", start_date=D(2026, 1, 1),
                baseline_end=D(2026, 12, 31)),
    ]  # fmt: skip
    benefits = [
        benefit("B1", "P1", **SPAN, planned_value=1000.0),
        benefit("B2", "P1", **SPAN, planned_value=2000.0),
        benefit("B3", "P1", **SPAN, planned_value=500.0),
        benefit("B4", "P1", **SPAN, planned_value=None),
        benefit("B5", "P1", **SPAN, planned_value=800.0),
        benefit("B6", "P1", **{**SPAN, "start_date": D(2026, 9, 1)}, planned_value=300.0),
        benefit("B7", "P2", **SPAN, planned_value=100.0),
    ]
    measurements = [
        measurement("B1", D(2026, 5, 31), 30.0, evidence="typed"),
        measurement("B1", A, 40.0, evidence="sourced"),
        measurement("B2", D(2026, 5, 1), 20.0, evidence="sourced"),
        measurement("B2", D(2026, 6, 1), 25.0, evidence="typed"),
        measurement("B3", D(2026, 1, 15), 10.0, evidence="sourced"),
        measurement("B4", D(2026, 6, 15), 50.0, evidence="sourced"),
        measurement("B6", A, 10.0, evidence="sourced"),
        measurement("B7", A, 100.0, evidence="typed"),
        measurement("B7", D(2026, 7, 31), 0.0, evidence="sourced"),  # after A: not counted
    ]
    return portfolio_input(A, projects, benefits, measurements)


@pytest.fixture(scope="module")
def report():
    return build_report(evaluate(evidence_portfolio(), Settings()), A)


def test_each_benefit_carries_the_evidence_of_its_latest_measurement(report):
    evidence = {b["benefit_id"]: (b["evidence"], b["status"]) for b in report["benefits"]}
    assert evidence == {
        "B1": ("sourced", "on_track"),
        "B2": ("typed", "at_risk"),  # expected 180/364 = 0.49, gap 0.24
        "B3": ("sourced", "unmeasured"),
        "B4": ("sourced", "on_track"),
        "B5": (None, "unmeasured"),
        "B6": ("sourced", "not_due"),
        "B7": ("typed", "achieved"),
    }


def test_portfolio_evidence_figures(report):
    figures = report["portfolio"]
    assert figures["evidenced_share"] == pytest.approx(2 / 6, abs=1e-12)
    assert figures["evidenced_value"] == pytest.approx(400.0, abs=1e-9)
    assert figures["claimed_value"] == pytest.approx(600.0, abs=1e-9)


def test_evidenced_and_claimed_make_up_the_realized_value():
    evaluation = evaluate(evidence_portfolio(), Settings())
    row = evaluation.portfolio().collect().row(0, named=True)
    assert row["evidenced_value"] + row["claimed_value"] == pytest.approx(row["realized_value_due"])


def test_evidence_figures_by_objective(report):
    by = {r["objective"]: r for r in report["by"]["objective"]}
    assert by["Revenue"]["evidenced_share"] == pytest.approx(2 / 5, abs=1e-12)
    assert (by["Revenue"]["evidenced_value"], by["Revenue"]["claimed_value"]) == (400.0, 500.0)
    assert by["Cost"]["evidenced_share"] == 0.0
    assert (by["Cost"]["evidenced_value"], by["Cost"]["claimed_value"]) == (0.0, 100.0)


def test_without_evidence_every_measurement_counts_as_typed():
    plain = evidence_portfolio()
    typed = plain.measurements.drop("evidence")
    evaluation = evaluate(type(plain)(**{**plain.__dict__, "measurements": typed}), Settings())
    row = evaluation.portfolio().collect().row(0, named=True)
    assert row["evidenced_share"] == 0.0 and row["evidenced_value"] == 0.0
    assert row["claimed_value"] == pytest.approx(1000.0)


def test_a_portfolio_without_due_benefits_has_no_evidenced_share():
    empty = portfolio_input(A, [project("P1", status="active", baseline_end=D(2026, 12, 31))])
    figures = build_report(evaluate(empty, Settings()), A)["portfolio"]
    assert figures["evidenced_share"] is None
    assert figures["evidenced_value"] == 0.0 and figures["claimed_value"] == 0.0
