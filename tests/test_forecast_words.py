"""The forecasts in words and as drawn (metrics.forecast_words), on the hand-worked
portfolio of tests/test_forecast_delivery.py: every reason there is no forecast, the
chances as sentences, the fan's weeks and marks, the benefit trend line."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from domain.settings import Settings
from metrics.attention import needs_attention
from metrics.evaluate import evaluate
from metrics.forecast_words import (
    BEYOND,
    FINISH_BANDS,
    benefit_forecast_notes,
    delivery_chances,
    finish_curve,
    finish_marks,
)
from metrics.trajectory import trajectory
from tests.factories import benefit, measurement, portfolio_input, project
from tests.test_forecast_delivery import CHILDREN, F_MAIN, ON_PLAN, PROJECTS, A


@pytest.fixture(scope="module")
def projects() -> pl.DataFrame:
    evaluation = evaluate(portfolio_input(A, PROJECTS, jira_children=CHILDREN), Settings())
    return evaluation.projects.collect()


def _words(projects: pl.DataFrame, settings: Settings | None = None) -> dict[str, dict]:
    rows = projects.with_columns(*delivery_chances(settings or Settings()))
    return {row["project_id"]: row for row in rows.iter_rows(named=True)}


def test_the_chances_in_words(projects):
    df1 = _words(projects)["DF1"]
    # baseline 20 Aug 2026: F(7) = 0.896; reported 22 Jul 2026: F(3) = 0.40625
    assert df1["chance_baseline_words"] == "90% chance of making 20 Aug 2026"
    assert df1["chance_reported_words"] == "41% chance of making 22 Jul 2026"
    assert df1["forecast_reason"] is None
    du1 = _words(projects)["DU1"]  # no forecast end: the reported date is the baseline
    assert du1["chance_reported_words"] == du1["chance_baseline_words"]
    assert du1["chance_baseline_words"] == "81% chance of making 28 Jul 2026"  # 22/27


@pytest.mark.parametrize(
    ("project_id", "reason"),
    [
        ("DD", "Delivered: no work left to forecast."),
        ("DC", "Cancelled: no work left to forecast."),
        ("DN", "No delivery forecast: the project is not linked to a Jira epic"),
        ("DE", "No delivery forecast: no issues under EMPTY-1 in Jira."),
        ("DG0", "No delivery forecast: every issue under DG-0 is done"),
        ("DG1", "too little history. Work was done in 3 of the last 12 weeks; a forecast needs 4."),
        ("DG3", "the 521 open issues would take more than 10 years"),
    ],
)
def test_every_project_without_a_forecast_says_why(projects, project_id, reason):
    assert reason in _words(projects)[project_id]["forecast_reason"]


def test_the_reason_follows_the_settings(projects):
    settings = Settings(forecast_min_active_weeks=6)
    evaluation = evaluate(portfolio_input(A, PROJECTS, jira_children=CHILDREN), settings)
    row = _words(evaluation.projects.collect(), settings)["DG1"]
    assert row["forecast_reason"].endswith("a forecast needs 6.")


def test_the_curve_is_the_forecast_week_by_week(projects):
    curve = finish_curve(projects.lazy(), A).filter(pl.col("project_id") == "DF1").collect()
    assert curve.get_column("week").to_list() == list(range(curve.height))
    assert curve.get_column("date").to_list()[:3] == [A, A + dt.timedelta(7), A + dt.timedelta(14)]
    assert curve.get_column("chance").to_list()[:10] == pytest.approx(
        [0.0, *[float(f) for f in F_MAIN]]
    )
    # P50 at week 4, P85 at 7, P95 at 9: each week is in the band of the first date it
    # comes on or before
    bands = curve.get_column("band").to_list()
    p50, p85, p95 = FINISH_BANDS.values()
    assert bands[:10] == [p50] * 5 + [p85] * 3 + [p95] * 2
    assert set(bands[10:]) <= {BEYOND}


def test_projects_without_a_forecast_have_no_curve_and_no_marks(projects):
    curve = finish_curve(projects.lazy(), A).collect()
    assert set(curve.get_column("project_id")) == {"DF1", "DF2", "DU1", "DG2"}
    marks = finish_marks(projects.lazy()).collect()
    assert set(marks.get_column("project_id")) == {"DF1", "DF2", "DU1", "DG2"}


def test_the_marks_are_the_finish_dates_and_the_commitments(projects):
    marks = finish_marks(projects.lazy()).filter(pl.col("project_id") == "DF1").collect()
    rows = marks.select("label", "date", "words").rows()
    assert rows == [
        ("Reported end", dt.date(2026, 7, 22), "41% chance of making 22 Jul 2026"),
        ("P50 (even chance)", A + dt.timedelta(weeks=4), "P50: 28 Jul 2026"),
        ("P85 (likely)", A + dt.timedelta(weeks=7), "P85: 18 Aug 2026"),
        ("Committed end", dt.date(2026, 8, 20), "90% chance of making 20 Aug 2026"),
        ("P95 (near certain)", A + dt.timedelta(weeks=9), "P95: 1 Sep 2026"),
    ]
    du1 = finish_marks(projects.lazy()).filter(pl.col("project_id") == "DU1").collect()
    assert "Committed and reported end" in du1.get_column("label").to_list()
    assert "Reported end" not in du1.get_column("label").to_list()


def _benefits(*rows, measurements) -> pl.DataFrame:
    start = dt.date(2026, 1, 1)
    portfolio = portfolio_input(
        A,
        [project("P", baseline_end=dt.date(2025, 12, 31), status="active")],
        benefits=[
            benefit(
                r,
                "P",
                baseline=0.0,
                target=100.0,
                start_date=start,
                target_date=dt.date(2026, 12, 31),
            )
            for r in rows
        ],
        measurements=measurements,
    )
    evaluation = evaluate(portfolio, Settings())
    return evaluation.benefits.collect()


def test_a_benefit_forecast_in_words_and_as_a_line():
    # 10 points of attainment a month from 0 at the start: 40 on 1 May, 50 on 31 May ...
    day = dt.date(2026, 1, 1)
    points = [(day + dt.timedelta(days=30 * i), 10.0 * i) for i in range(1, 6)]
    benefits = _benefits(
        "B1",
        "B2",
        measurements=[measurement("B1", d, v) for d, v in points]
        + [measurement("B2", dt.date(2026, 6, 1), 40.0)],
    )
    notes = benefits.with_columns(*benefit_forecast_notes(Settings()))
    rows = {r["benefit_id"]: r for r in notes.iter_rows(named=True)}
    # slope 1/3 point a day: 364 days to the target date give 121%; 100 reached on day 300
    assert rows["B1"]["forecast_words"] == (
        "At this trend: 121% of target by 31 Dec 2026; target reached 28 Oct 2026"
    )
    assert rows["B1"]["forecast_reason"] is None
    assert rows["B2"]["forecast_words"] is None
    assert rows["B2"]["forecast_reason"] == (
        "No forecast yet: too little history. 1 measurement since its start; a trend needs 3."
    )
    line = trajectory(benefits.lazy(), pl.LazyFrame(schema={"benefit_id": pl.String,
                      "measured_at": pl.Date, "value": pl.Float64}))  # fmt: skip
    trend = line.filter(pl.col("series") == "trend").collect()
    assert trend.select("benefit_id", "date").rows() == [
        ("B1", dt.date(2026, 1, 1)),
        ("B1", dt.date(2026, 12, 31)),
    ]
    assert trend.get_column("value").to_list() == pytest.approx([0.0, 364 / 3])


def test_an_improbable_date_joins_the_attention_list_whatever_the_status():
    """Reporting red hides nothing, but a date with a 41% chance is still worth a look."""
    red = project("DR", rag="red", jira_key="DF-1", baseline_end=dt.date(2026, 8, 20),
                  forecast_end=dt.date(2026, 7, 22), **ON_PLAN)  # fmt: skip
    evaluation = evaluate(portfolio_input(A, [red], jira_children=CHILDREN), Settings())
    rows = needs_attention(evaluation.projects, evaluation.benefits).collect()
    row = rows.row(0, named=True)
    assert rows.height == 1 and row["forecast_improbable"] and not row["rag_mismatch"]
    assert row["why"] == "41% chance of making 22 Jul 2026"


def test_an_early_warning_joins_the_attention_list():
    """47% attained against 49% expected is on track today; the trend through 45, 46 and 47
    leads to 53% by the target date. Slopes .01/31, .02/61, .01/30 a day: the median is
    .02/61; c = the median of a - slope * t = 0.410984; at day 364: 0.530328."""
    values = [(dt.date(2026, 4, 30), 45.0), (dt.date(2026, 5, 31), 46.0), (A, 47.0)]
    benefits = _benefits("B1", measurements=[measurement("B1", d, v) for d, v in values])
    row = benefits.row(0, named=True)
    assert row["status"] == "on_track" and row["early_warning"]
    assert row["forecast_attainment"] == pytest.approx(0.410984 + 0.02 / 61 * 364, abs=1e-6)
    projects = evaluate(
        portfolio_input(A, [project("P", baseline_end=dt.date(2026, 12, 31), **ON_PLAN)]),
        Settings(),
    ).projects
    rows = needs_attention(projects, benefits.lazy()).collect()
    assert rows.get_column("project_id").to_list() == ["P"]
    assert rows.row(0, named=True)["why"] == (
        "Early warning: KPI B1 on track today, heading for 53% of target by 31 Dec 2026"
    )
    assert needs_attention(projects).collect().height == 0  # without the benefits: none
