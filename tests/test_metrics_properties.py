"""Properties every portfolio must have, whatever its data (hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.settings import Settings
from metrics.evaluate import evaluate
from metrics.report import build_report
from store import close_all, open_store
from tests.compare import assert_same_report
from tests.factories import benefit, measurement, portfolio_input, project, snapshot

A = dt.date(2026, 6, 30)
RATES = ("output_rate", "outcome_rate", "unmeasured_share", "realization_of_plan")
STATUSES = ("proposed", "active", "on_hold", "delivered", "cancelled")

days = st.integers(min_value=-900, max_value=500)
money = st.one_of(st.none(), st.integers(min_value=0, max_value=5_000_000).map(float))


def _date(offset: int) -> dt.date:
    return A + dt.timedelta(days=offset)


@st.composite
def projects_strategy(draw: st.DrawFn, prefix: str = "P", statuses: tuple[str, ...] = STATUSES):
    count = draw(st.integers(min_value=1, max_value=6))
    projects, benefits, measurements = [], [], []
    for i in range(count):
        pid = f"{prefix}{i}"
        status = draw(st.sampled_from(statuses))
        start = draw(days)
        baseline = (
            None
            if (status == "proposed" and draw(st.booleans()))
            else start + draw(st.integers(min_value=-30, max_value=700))
        )
        actual_end = min(draw(days), 0) if status == "delivered" else None
        planned = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=50).map(float)))
        projects.append(
            project(
                pid,
                status=status,
                objective=draw(st.sampled_from(["Grow", "Save"])),
                rag=draw(st.sampled_from([None, "green", "amber/green", "amber", "red"])),
                start_date=_date(start),
                baseline_end=_date(baseline) if baseline is not None else None,
                forecast_end=draw(st.one_of(st.none(), days.map(_date))),
                actual_end=_date(actual_end) if actual_end is not None else None,
                budget=draw(money),
                actual_cost=draw(money),
                forecast_cost=draw(money),
                scope_planned=planned,
                scope_delivered=draw(st.one_of(st.none(), st.integers(0, 60).map(float)))
                if planned is not None
                else None,
            )
        )
        for j in range(draw(st.integers(min_value=0, max_value=3))):
            bid = f"{pid}-B{j}"
            baseline_value = float(draw(st.integers(-100, 100)))
            target_value = baseline_value + draw(
                st.integers(1, 200).map(float) | st.integers(-200, -1).map(float)
            )
            own_start = draw(st.one_of(st.none(), days))
            target_offset = (own_start if own_start is not None else 0) + draw(
                st.integers(min_value=1, max_value=700)
            )
            benefits.append(
                benefit(
                    bid,
                    pid,
                    baseline=baseline_value,
                    target=target_value,
                    start_date=_date(own_start) if own_start is not None else None,
                    target_date=_date(target_offset),
                    planned_value=draw(money),
                )
            )
            seen: set[int] = set()
            for _ in range(draw(st.integers(min_value=0, max_value=4))):
                offset = draw(st.integers(min_value=-400, max_value=60))
                if offset in seen:
                    continue
                seen.add(offset)
                value = (
                    baseline_value
                    + (target_value - baseline_value) * draw(st.integers(-50, 150)) / 100
                )
                measurements.append(measurement(bid, _date(offset), value))
    return projects, benefits, measurements


def report_of(projects: list, benefits: list, measurements: list, as_of: dt.date = A) -> dict:
    portfolio = portfolio_input(as_of, projects, benefits, measurements)
    return build_report(evaluate(portfolio, Settings()), as_of)


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(projects_strategy())
def test_rates_and_scores_stay_between_0_and_1(data):
    report = report_of(*data)
    for key in RATES:
        value = report["portfolio"][key]
        assert value is None or 0 <= value <= 1, (key, value)
    for row in report["projects"]:
        for key in ("output_score", "outcome_score", "expected_score"):
            assert row[key] is None or 0 <= row[key] <= 1, (key, row)
    for row in report["benefits"]:
        assert row["expected"] is None or 0 <= row["expected"] <= 1


@FAST
@given(projects_strategy(), st.sampled_from([0.001, 0.5, 3.0, 1000.0]))
def test_scaling_a_kpi_unit_leaves_attainment_unchanged(data, factor):
    projects, benefits, measurements = data
    scaled_benefits = [
        {**b, "baseline": b["baseline"] * factor, "target": b["target"] * factor} for b in benefits
    ]
    scaled_measurements = [{**m, "value": m["value"] * factor} for m in measurements]
    before = {b["benefit_id"]: b for b in report_of(projects, benefits, measurements)["benefits"]}
    after = report_of(projects, scaled_benefits, scaled_measurements)["benefits"]
    for row in after:
        original = before[row["benefit_id"]]
        assert row["status"] == original["status"]
        if original["attainment"] is None:
            assert row["attainment"] is None
        else:
            assert math.isclose(
                row["attainment"], original["attainment"], rel_tol=1e-9, abs_tol=1e-12
            )


@FAST
@given(projects_strategy(), projects_strategy(prefix="X", statuses=("cancelled",)))
def test_adding_a_cancelled_project_changes_no_rate(data, cancelled):
    projects, benefits, measurements = data
    extra_projects, extra_benefits, extra_measurements = cancelled
    before = report_of(projects, benefits, measurements)["portfolio"]
    after = report_of(
        projects + extra_projects, benefits + extra_benefits, measurements + extra_measurements
    )["portfolio"]
    for key in (*RATES, "gap_pts", "realization_to_date", "value_at_risk", "committed", "kept",
                "realizing"):  # fmt: skip
        assert before[key] == after[key] or (
            before[key] is not None
            and after[key] is not None
            and math.isclose(before[key], after[key], rel_tol=1e-12)
        ), key


@FAST
@given(projects_strategy())
def test_realized_value_never_exceeds_planned_value(data):
    planned = {b["benefit_id"]: b["planned_value"] for b in data[1]}
    for row in report_of(*data)["benefits"]:
        never_measured_before_due = row["status"] == "not_due" and row["attainment"] is None
        if planned[row["benefit_id"]] is None or never_measured_before_due:
            assert row["realized_value"] is None
        else:
            assert 0 <= row["realized_value"] <= planned[row["benefit_id"]] + 1e-9


@FAST
@given(projects_strategy(), st.lists(st.integers(min_value=1, max_value=400), max_size=6))
def test_figures_as_of_a_date_ignore_later_measurements(data, later_offsets):
    projects, benefits, measurements = data
    if not benefits:
        return
    later = [
        measurement(benefits[i % len(benefits)]["benefit_id"], _date(offset), 1e6)
        for i, offset in enumerate(sorted(set(later_offsets)))
    ]
    assert_same_report(
        report_of(projects, benefits, measurements),
        report_of(projects, benefits, measurements + later),
    )


def _only_until(rows: list[dict[str, Any]], key: str, day: dt.date) -> list[dict[str, Any]]:
    return [r for r in rows if r[key] <= day]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(first=projects_strategy(), second=projects_strategy(prefix="Q"))
def test_store_figures_as_of_a_date_ignore_later_snapshots(tmp_path_factory, first, second):
    """Through the real store: a later snapshot and later measurements change nothing before."""
    path = tmp_path_factory.mktemp("asof") / "store.duckdb"
    store = open_store(str(path))
    try:
        day1, day2 = A - dt.timedelta(days=90), A + dt.timedelta(days=90)
        p1, b1, m1 = first
        store.commit_snapshot(
            snapshot(p1, b1, _only_until(m1, "measured_at", day1)), as_of=day1, content_hash="1"
        )
        before = build_report(evaluate(store.portfolio_input(A), Settings()), day1)
        p2, b2, m2 = second
        store.commit_snapshot(snapshot(p2, b2, m2), as_of=day2, content_hash="2")
        late = [measurement(b["benefit_id"], A + dt.timedelta(days=1), 99.0) for b in b1]
        if late:
            store.commit_snapshot(snapshot([], [], late), as_of=day2, content_hash="3")
        after = build_report(evaluate(store.portfolio_input(A), Settings()), day1)
        assert_same_report(before, after)
    finally:
        close_all()
