"""The decision rules of the quarterly review, on a portfolio made for each rule.

Three quarterly evaluations (2025-12-31, 2026-03-31, 2026-06-30), default settings.
Benefits run 2026-01-01 -> 2026-12-27 (360 days): expected 180/360 = 0.5 at 2026-06-30.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.settings import Settings
from metrics.decisions import decisions, forecast_history, top_decisions
from metrics.evaluate import evaluate
from tests.factories import benefit, measurement, portfolio_input, project

D = dt.date
DATES = [D(2025, 12, 31), D(2026, 3, 31), D(2026, 6, 30)]
YEAR = dict(start_date=D(2026, 1, 1), target_date=D(2026, 12, 27))
FINE = dict(start_date=D(2026, 1, 1), baseline_end=D(2026, 12, 31), budget=1000.0,
            actual_cost=300.0, forecast_cost=1000.0)  # fmt: skip


def projects_on(day: dt.date) -> list[dict]:
    forecast = {DATES[0]: D(2026, 9, 30), DATES[1]: D(2026, 10, 31), DATES[2]: D(2026, 12, 31)}
    return [
        # R1: late (forecast 61 days past its baseline) and value behind; reports green.
        project("R1", rag="green", sponsor="Ana", start_date=D(2025, 1, 1),
                baseline_end=D(2026, 5, 31), forecast_end=D(2026, 7, 31), budget=2000.0,
                actual_cost=1500.0, forecast_cost=2000.0),
        # W1: on plan, value behind; reports amber/green.
        project("W1", rag="amber/green", sponsor="Ben", forecast_end=D(2026, 12, 31), **FINE),
        # L1: forecast moved later twice over the three quarters; not yet past A.
        project("L1", rag="amber", sponsor="Cy", start_date=D(2026, 1, 1),
                baseline_end=D(2026, 9, 30), forecast_end=forecast[day], budget=500.0,
                actual_cost=100.0, forecast_cost=500.0),
        # U1: realizing, but two of its benefits are unmeasured.
        project("U1", sponsor="Di", forecast_end=D(2026, 12, 31), **FINE),
        # C1: cancelled: takes no decision whatever its figures.
        project("C1", status="cancelled", rag="green", start_date=D(2025, 1, 1),
                baseline_end=D(2025, 12, 31), budget=100.0, actual_cost=90.0),
    ]  # fmt: skip


BENEFITS = [
    benefit("R1-B", "R1", planned_value=800.0, **YEAR),
    benefit("W1-B", "W1", planned_value=600.0, **YEAR),
    benefit("L1-B", "L1", **YEAR),
    benefit("U1-B1", "U1", planned_value=300.0, **YEAR),
    benefit("U1-B2", "U1", planned_value=200.0, owner="Eve", kpi="Churn", **YEAR),
    benefit("U1-B3", "U1", planned_value=100.0, owner=None, kpi="NPS", **YEAR),
    benefit("C1-B", "C1", planned_value=50.0, start_date=D(2025, 6, 1), target_date=D(2026, 6, 1)),
]
MEASUREMENTS = [
    measurement("R1-B", D(2026, 6, 30), 10.0),  # 0.1 vs 0.5
    measurement("W1-B", D(2026, 6, 30), 20.0),  # 0.2 vs 0.5
    measurement("L1-B", D(2026, 6, 30), 50.0),
    measurement("U1-B1", D(2026, 6, 30), 90.0),  # well ahead: the project is realizing
    measurement("U1-B2", D(2026, 1, 31), 5.0),  # 150 days before A: stale
]


def evaluation_on(day: dt.date):
    return evaluate(portfolio_input(day, projects_on(day), BENEFITS, MEASUREMENTS), Settings())


def found() -> pl.DataFrame:
    history = [evaluation_on(day) for day in DATES]
    current = history[-1]
    return decisions(current.projects, current.benefits, forecast_history(history)).collect()


def test_each_rule_and_its_trigger():
    rows = [(r["decision"], r["project_id"], r["trigger"]) for r in found().to_dicts()]
    assert rows == [
        ("rescue_or_stop", "R1",
         "61 days late; 10% of the value attained against 50% expected by now"),
        ("reexamine_benefits", "W1",
         "on plan, but 20% of the value attained against 50% expected by now"),
        ("rebaseline", "L1",
         "forecast end moved later in 2 quarters; now 31 Dec 2026, 92 days past the baseline"),
        ("status_review", "R1",
         "reports green while delivery is off plan (61 days late); value trails: "
         "10% of the value attained against 50% expected by now"),
        ("status_review", "W1",
         "reports amber/green while value trails: 20% of the value attained against 50% "
         "expected by now"),
        ("assign_measurement", "U1", "Churn: last measured 31 Jan 2026 (stale); owner Eve"),
        ("assign_measurement", "U1", "NPS: never measured; no owner"),
    ]  # fmt: skip


def test_actions_sponsors_and_money_at_stake():
    frame = found()
    first = frame.row(0, named=True)
    assert (first["action"], first["name"], first["sponsor"]) == (
        "Rescue or stop",
        "Project R1",
        "Ana",
    )
    # R1's value at risk: 800 - 800*0.1 = 720 (off track).
    assert first["at_stake"] == 720.0
    measure = frame.filter(pl.col("decision") == "assign_measurement")
    assert measure["action"].to_list() == [
        "Get a current measurement",
        "Assign a measurement owner",
    ]
    assert measure["at_stake"].to_list() == [200.0, 100.0]
    assert "C1" not in frame["project_id"].to_list()


def test_the_three_that_matter_most_come_from_different_rules_and_projects():
    top = top_decisions(found().lazy()).collect()
    assert top.select("decision", "project_id").rows() == [
        ("rescue_or_stop", "R1"),
        ("reexamine_benefits", "W1"),
        ("assign_measurement", "U1"),
    ]


def test_without_history_there_is_no_rebaseline():
    current = evaluation_on(DATES[-1])
    frame = decisions(current.projects, current.benefits).collect()
    assert "rebaseline" not in frame["decision"].to_list()
