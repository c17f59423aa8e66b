"""The figures pages lay out, each from a pure function of metrics/ (docs/metrics.md names)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from domain.settings import Settings
from metrics.attention import needs_attention, quadrant_counts
from metrics.benefit_mix import status_mix
from metrics.delivery import delivery_figures
from metrics.evaluate import Evaluation, evaluate
from metrics.funnel import commitments_funnel
from metrics.gap import QUADRANTS
from metrics.headline import headline_trends
from metrics.history import project_history, stack_projects, with_changes
from metrics.time_to_value import time_to_value, time_to_value_summary
from metrics.todo import unmeasured_todo
from metrics.trajectory import trajectory
from metrics.trends import quarter_series
from tests.factories import benefit, measurement, portfolio_input, project

A = dt.date(2026, 6, 30)
D = dt.date


def _portfolio(as_of: dt.date = A) -> Evaluation:
    """Four projects, one per story: realizing, watermelon, late and green, no benefits."""
    projects = [
        project(
            "REAL",
            objective="Grow",
            sponsor="Ann",
            rag="green",
            status="delivered",
            start_date=D(2025, 1, 1),
            baseline_end=D(2025, 12, 31),
            actual_end=D(2025, 12, 31),
            budget=100.0,
            actual_cost=100.0,
            scope_planned=10.0,
            scope_delivered=10.0,
        ),
        project(
            "MELON",
            objective="Grow",
            sponsor="Bob",
            rag="green",
            status="delivered",
            start_date=D(2025, 1, 1),
            baseline_end=D(2025, 12, 31),
            actual_end=D(2025, 12, 31),
            budget=400.0,
            actual_cost=380.0,
            scope_planned=10.0,
            scope_delivered=10.0,
        ),
        project(
            "LATE",
            objective="Save",
            sponsor="Ann",
            rag="green",
            start_date=D(2025, 6, 1),
            baseline_end=D(2026, 3, 31),
            forecast_end=D(2026, 9, 30),
            budget=200.0,
            actual_cost=150.0,
            forecast_cost=260.0,
            scope_planned=10.0,
            scope_delivered=5.0,
        ),
        project("BARE", objective="Save", sponsor="Cy", baseline_end=D(2027, 1, 1)),
        project("GONE", objective="Save", status="cancelled", actual_cost=50.0),
    ]
    benefits = [
        benefit(
            "REAL-B1",
            "REAL",
            start_date=D(2026, 1, 1),
            target_date=D(2026, 12, 31),
            planned_value=1000.0,
            owner="Olga",
        ),
        benefit(
            "MELON-B1",
            "MELON",
            start_date=D(2026, 1, 1),
            target_date=D(2026, 12, 31),
            planned_value=3000.0,
        ),
        benefit(
            "LATE-B1",
            "LATE",
            start_date=D(2026, 1, 1),
            target_date=D(2026, 12, 31),
            planned_value=500.0,
            owner="Pia",
        ),
    ]
    measurements = [
        measurement("REAL-B1", D(2026, 3, 31), 30.0),
        measurement("REAL-B1", D(2026, 6, 30), 55.0),
        measurement("LATE-B1", D(2026, 6, 30), 50.0),
    ]
    return evaluate(portfolio_input(as_of, projects, benefits, measurements), Settings())


@pytest.fixture
def ev() -> Evaluation:
    return _portfolio()


def test_needs_attention_names_watermelons_first_with_the_reason(ev):
    rows = needs_attention(ev.projects).collect()
    assert rows.get_column("project_id").to_list() == ["MELON", "LATE"]
    melon, late = rows.iter_rows(named=True)
    assert melon["watermelon"] and melon["sponsor"] == "Bob"
    assert melon["why"] == "Value 0% of 49% expected; reports green"  # 180 of 364 days
    assert not late["watermelon"] and late["rag_mismatch"]
    assert late["why"].startswith("183 days late") and late["why"].endswith("reports green")


def test_quadrant_counts_list_every_quadrant_and_skip_cancelled(ev):
    counts = dict(quadrant_counts(ev.projects).collect().select("quadrant", "n").iter_rows())
    assert list(counts) == list(QUADRANTS)
    assert counts["watermelon"] == 1 and counts["no_outcome_defined"] == 1
    assert sum(counts.values()) == 4  # the cancelled project is not counted


def test_commitments_funnel_shrinks_from_committed_to_realizing(ev):
    stages = commitments_funnel(ev.portfolio()).collect()
    assert stages.get_column("stage").to_list() == ["committed", "kept", "realizing"]
    assert stages.get_column("n").to_list() == [3, 2, 1]
    assert stages.get_column("share_of_committed").to_list() == pytest.approx([1, 2 / 3, 1 / 3])


def test_headline_trends_delta_against_the_previous_quarter():
    quarters = {"2026-Q1": _portfolio(D(2026, 3, 31)), "2026-Q2": _portfolio(A)}
    series = quarter_series(quarters)
    current = _portfolio(A).portfolio()
    trends = headline_trends(series, current, A).collect()
    row = trends.filter(pl.col("figure") == "outcome_rate").row(0, named=True)
    previous = series.collect().filter(pl.col("quarter") == "2026-Q1")["outcome_rate"][0]
    assert row["previous"] == pytest.approx(previous)
    assert row["delta"] == pytest.approx(row["current"] - previous)
    assert row["history"][-1] == pytest.approx(row["current"])
    assert len(row["history"]) == 2


def test_headline_trends_without_a_previous_quarter_has_no_delta():
    series = quarter_series({"2026-Q2": _portfolio(A)})
    trends = headline_trends(series, _portfolio(A).portfolio(), A).collect()
    assert trends.get_column("delta").is_null().all()
    assert set(trends.get_column("figure")) >= {"output_rate", "outcome_rate", "gap_pts"}


def test_status_mix_counts_benefits_per_objective(ev):
    mix = status_mix(ev.projects, ev.benefits).collect()
    grow = mix.filter(pl.col("objective") == "Grow")
    assert dict(grow.select("status", "n").iter_rows()) == {"on_track": 1, "unmeasured": 1}
    assert grow.get_column("share").sum() == pytest.approx(1.0)
    assert mix.filter(pl.col("objective") == "Save").get_column("n").sum() == 1


def test_unmeasured_todo_flags_a_missing_owner(ev):
    todo = unmeasured_todo(ev.projects, ev.benefits, A).collect()
    assert todo.get_column("benefit_id").to_list() == ["MELON-B1"]
    row = todo.row(0, named=True)
    assert row["owner_missing"] and row["project_name"] == "Project MELON"
    assert row["days_since_measured"] is None and row["value_at_risk"] == 3000.0


def test_trajectory_has_the_expected_line_and_the_measurements(ev):
    measurements = pl.LazyFrame(
        {
            "benefit_id": ["REAL-B1", "REAL-B1"],
            "measured_at": [D(2026, 3, 31), D(2026, 6, 30)],
            "value": [30.0, 55.0],
        }
    )
    points = trajectory(ev.benefits.filter(pl.col("benefit_id") == "REAL-B1"), measurements)
    frame = points.collect()
    expected = frame.filter(pl.col("series") == "expected")
    assert expected.select("date", "value").rows() == [
        (D(2026, 1, 1), 0.0),
        (D(2026, 12, 31), 100.0),
    ]
    measured = frame.filter(pl.col("series") == "measured")
    assert measured.get_column("attainment").to_list() == pytest.approx([0.3, 0.55])


def test_time_to_value_waits_since_delivery(ev):
    rows = time_to_value(ev.projects, ev.benefits, A).collect()
    assert set(rows.get_column("project_id")) == {"REAL", "MELON"}  # delivered only
    real = rows.filter(pl.col("project_id") == "REAL").row(0, named=True)
    melon = rows.filter(pl.col("project_id") == "MELON").row(0, named=True)
    assert real["reached"] and real["time_to_value_days"] == 181  # 31 Dec 2025 -> 30 Jun 2026
    assert not melon["reached"] and melon["waiting_days"] == 181
    summary = time_to_value_summary(rows.lazy()).collect().row(0, named=True)
    assert summary["n_reached"] == 1 and summary["n_waiting"] == 1
    assert summary["median_days"] == 181


def test_delivery_figures_over_active_projects(ev):
    row = delivery_figures(ev.projects).collect().row(0, named=True)
    assert row["n_projects"] == 4
    assert row["on_time_rate"] == pytest.approx(3 / 4)  # only LATE is late; BARE not yet
    assert row["n_late"] == 1
    assert row["overrun"] == pytest.approx(-20.0 + 60.0)


def test_project_history_follows_one_project_across_snapshots():
    stacked = stack_projects({D(2026, 3, 31): _portfolio(D(2026, 3, 31)), A: _portfolio(A)})
    history = project_history(stacked, "LATE").collect()
    assert history.get_column("as_of").to_list() == [D(2026, 3, 31), A]
    assert history.get_column("quadrant_label").null_count() == 0
    assert project_history(stacked, "LATE", upto=D(2026, 4, 1)).collect().height == 1
    changes = with_changes(project_history(stacked, "LATE")).collect()
    assert changes.get_column("slip_days_change").to_list() == [None, 0]  # forecast end held


def test_delivery_trends_per_quarter():
    from metrics.delivery import DELIVERY_KEYS, delivery_series
    from metrics.headline import figure_trends

    quarters = {"2026-Q1": _portfolio(D(2026, 3, 31)), "2026-Q2": _portfolio(A)}
    series = delivery_series(quarters)
    trends = figure_trends(series, delivery_figures(_portfolio(A).projects), A, DELIVERY_KEYS)
    frame = trends.collect()
    assert frame.get_column("figure").to_list() == list(DELIVERY_KEYS)
    on_time = frame.filter(pl.col("figure") == "on_time_rate").row(0, named=True)
    assert on_time["current"] == pytest.approx(0.75)
    assert on_time["delta"] == pytest.approx(on_time["current"] - on_time["previous"])
