"""The benefit forecast (docs/metrics.md, Forecasts), worked out by hand.

As of A = 2026-06-30 with the default settings (outcome tolerance 0.10, so a forecast
below 0.9 is heading for a miss; stale after 120 days; 3 trend points needed). Every
benefit starts on S = 2026-01-01 and is due on D = 2026-12-27, 360 days later, so
expected = 180 / 360 = 0.5 at A. Measurement dates as t = m - S in days:

  2026-01-01 = 0    2026-01-21 = 20   2026-02-10 = 40   2026-02-20 = 50
  2026-04-11 = 100  2026-05-31 = 150  2026-06-30 = 180 (A)
  2026-04-23 = 112  2026-11-02 = 305  2027-02-27 = 422 (dates the trends reach 1)
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.settings import Settings
from metrics.benefit_forecast import theil_sen
from metrics.evaluate import evaluate
from metrics.report import build_report
from tests.factories import benefit, measurement, portfolio_input, project

D = dt.date
A = D(2026, 6, 30)
S = D(2026, 1, 1)
T0, T20, T40, T50 = S, D(2026, 1, 21), D(2026, 2, 10), D(2026, 2, 20)
T100, T150 = D(2026, 4, 11), D(2026, 5, 31)

PROJECTS = [
    project("PB", status="delivered", rag="green", start_date=D(2025, 1, 1),
            baseline_end=D(2025, 12, 31), actual_end=D(2025, 12, 31), budget=1000.0,
            actual_cost=1000.0, scope_planned=10.0, scope_delivered=10.0),
]  # fmt: skip


def due(benefit_id: str, **values: object) -> dict:
    return benefit(benefit_id, "PB", start_date=S, target_date=D(2026, 12, 27), **values)


BENEFITS = [
    due("BR", planned_value=1000.0),
    due("BF", baseline=50.0, target=30.0, planned_value=500.0),
    due("BD", planned_value=200.0),
    due("BFLAT"),
    due("BX", planned_value=300.0),
    due("BS", planned_value=100.0),
    due("BA", planned_value=100.0),
    benefit("BN", "PB", start_date=D(2026, 9, 1), target_date=D(2027, 9, 1)),
    due("BT", planned_value=100.0),
]
MEASUREMENTS = [
    # BR, rising but slowing: (t, a) = (0, .10), (100, .40), (150, .42).
    #   pair slopes .30/100 = .003, .32/150 = .0021333, .02/50 = .0004 -> median .32/150
    #   intercepts .10, .40 - .213333 = .186667, .42 - .32 = .10 -> median c = .10
    #   forecast .10 + (.32/150) * 360 = .10 + .768 = .868 < .9: heading for a miss,
    #   while 0.5 - 0.42 = 0.08 <= 0.10 is on track today: an early warning.
    #   reached: (1 - .10) / (.32/150) = 421.875 -> 422 days -> 2027-02-27
    #   trend per year 365 * .32/150 = .778667; shortfall 1000 * (1 - .868) = 132
    measurement("BR", T0, 10.0), measurement("BR", T100, 40.0), measurement("BR", T150, 42.0),
    # BF, a KPI that must go down (50 -> 30), with a reading before its start that would
    # swing the trend (value 10: attainment 2.0), left out. Points (0, 0), (50, .1),
    # (100, .3), (150, .48): 6 pairs, an even count:
    #   slopes .1/50 = .002, .3/100 = .003, .48/150 = .0032, .2/50 = .004, .38/100 = .0038,
    #   .18/50 = .0036; sorted .002 .003 [.0032 .0036] .0038 .004 -> slope = .0034
    #   intercepts a - .0034 t: 0, .1 - .17 = -.07, .3 - .34 = -.04, .48 - .51 = -.03;
    #   sorted -.07 [-.04 -.03] 0 -> c = -.035
    #   forecast -.035 + .0034 * 360 = 1.189: will make it (shortfall 0)
    #   reached (1 + .035) / .0034 = 304.41 -> 305 days -> 2026-11-02
    measurement("BF", D(2025, 12, 1), 10.0), measurement("BF", T0, 50.0),
    measurement("BF", T50, 48.0), measurement("BF", T100, 44.0), measurement("BF", T150, 40.4),
    # BD, falling: (0, .2), (100, .2), (150, .1): slopes 0, -.1/150, -.1/50 -> median
    #   -1/1500; intercepts .2, .2 + 100/1500 = .26667, .1 + 150/1500 = .2 -> c = .2
    #   forecast .2 - 360/1500 = -.04: never reaches the target (no date); shortfall
    #   200 * (1 - 0) = 200. Off track today (0.5 - 0.1 = 0.4 > 0.3): no early warning.
    measurement("BD", T0, 20.0), measurement("BD", T100, 20.0), measurement("BD", T150, 10.0),
    # BFLAT: .3 three times: slope 0 exactly, c = .3, forecast .3, no date; at risk
    #   (0.5 - 0.3 = 0.2); no planned value: no shortfall.
    measurement("BFLAT", T0, 30.0), measurement("BFLAT", T50, 30.0),
    measurement("BFLAT", T100, 30.0),
    # BX, already across the target line: (0, .5), (50, .8), (100, .95): slopes .006,
    #   .0045, .003 -> .0045; intercepts .5, .8 - .225 = .575, .95 - .45 = .5 -> c = .5.
    #   The line reaches 1 at .5 / .0045 = 111.1 -> 112 days (2026-04-23), before A: A.
    #   Forecast .5 + .0045 * 360 = 2.12. Not achieved (latest .95): on track.
    measurement("BX", T0, 50.0), measurement("BX", T50, 80.0), measurement("BX", T100, 95.0),
    # BS, stale: last measured 2026-02-10, 140 days before A (> 120): unmeasured.
    measurement("BS", T0, 10.0), measurement("BS", T20, 20.0), measurement("BS", T40, 30.0),
    # BA, achieved (latest attainment 1).
    measurement("BA", T0, 10.0), measurement("BA", T100, 60.0), measurement("BA", T150, 100.0),
    # BN, not due (starts 2026-09-01), measured already.
    measurement("BN", D(2026, 6, 1), 10.0),
    # BT: one reading before the start and two since: 2 trend points, 3 needed. With 2
    #   enough: slope (.25 - .2) / 50 = .001, c = median(.2 - .1, .25 - .15) = .1,
    #   forecast .1 + .36 = .46. At risk (0.5 - 0.25 = 0.25).
    measurement("BT", D(2025, 12, 1), 0.0), measurement("BT", T100, 20.0),
    measurement("BT", T150, 25.0),
]  # fmt: skip

EXPECTED = {
    "BR": dict(status="on_track", trend_points=3, slope=0.32 / 150, c=0.10,
               trend_per_year=365 * 0.32 / 150, forecast_attainment=0.868,
               forecast_reached_on="2027-02-27", forecast_shortfall=132.0,
               heading_for_miss=True),
    "BF": dict(status="on_track", trend_points=4, slope=0.0034, c=-0.035,
               trend_per_year=365 * 0.0034, forecast_attainment=1.189,
               forecast_reached_on="2026-11-02", forecast_shortfall=0.0,
               heading_for_miss=False),
    "BD": dict(status="off_track", trend_points=3, slope=-1 / 1500, c=0.2,
               trend_per_year=-365 / 1500, forecast_attainment=-0.04,
               forecast_reached_on=None, forecast_shortfall=200.0, heading_for_miss=True),
    "BFLAT": dict(status="at_risk", trend_points=3, slope=0.0, c=0.3, trend_per_year=0.0,
                  forecast_attainment=0.3, forecast_reached_on=None, forecast_shortfall=None,
                  heading_for_miss=True),
    "BX": dict(status="on_track", trend_points=3, slope=0.0045, c=0.5,
               trend_per_year=365 * 0.0045, forecast_attainment=2.12,
               forecast_reached_on="2026-06-30", forecast_shortfall=0.0,
               heading_for_miss=False),
}  # fmt: skip
NO_FORECAST = {"BS": None, "BA": None, "BN": None, "BT": 2}  # benefit -> trend_points
FORECAST_KEYS = ("slope", "c", "trend_per_year", "forecast_attainment", "forecast_reached_on",
                 "forecast_shortfall", "heading_for_miss")  # fmt: skip


def run(settings: Settings | None = None) -> dict:
    portfolio = portfolio_input(A, PROJECTS, BENEFITS, MEASUREMENTS)
    return build_report(evaluate(portfolio, settings or Settings()), A)


@pytest.fixture(scope="module")
def report() -> dict:
    return run()


def row(report: dict, benefit_id: str) -> dict:
    return next(b for b in report["benefits"] if b["benefit_id"] == benefit_id)


def same(actual: object, expected: object) -> bool:
    if isinstance(expected, float):
        return actual == pytest.approx(expected, abs=1e-9)
    return actual == expected and type(actual) is type(expected)


@pytest.mark.parametrize("benefit_id", sorted(EXPECTED))
def test_trend_figures(report, benefit_id):
    actual = row(report, benefit_id)
    wrong = {
        key: (actual[key], want)
        for key, want in EXPECTED[benefit_id].items()
        if not same(actual[key], want)
    }
    assert not wrong, wrong


@pytest.mark.parametrize("benefit_id", sorted(NO_FORECAST))
def test_no_forecast_when_not_due_unmeasured_achieved_or_too_few_points(report, benefit_id):
    actual = row(report, benefit_id)
    assert actual["trend_points"] == NO_FORECAST[benefit_id]
    assert all(actual[key] is None for key in FORECAST_KEYS), actual
    assert actual["status"] == {"BS": "unmeasured", "BA": "achieved", "BN": "not_due",
                                "BT": "at_risk"}[benefit_id]  # fmt: skip


def test_portfolio_forecast_figures(report):
    figures = report["portfolio"]
    assert figures["forecast_shortfall"] == pytest.approx(132.0 + 0.0 + 200.0 + 0.0)
    assert figures["heading_for_miss"] == 3  # BR, BD, BFLAT
    assert figures["early_warnings"] == 1  # BR: on track today


def test_the_settings_move_the_forecast():
    two_points = run(Settings(forecast_min_points=2))
    bt = row(two_points, "BT")
    assert (bt["trend_points"], bt["slope"], bt["c"]) == (
        2,
        pytest.approx(0.001),
        pytest.approx(0.1),
    )
    assert bt["forecast_attainment"] == pytest.approx(0.46)
    # at a tolerance of 0.15, a miss is a forecast below 0.85: BR's 0.868 no longer is one
    tolerant = run(Settings(outcome_tolerance=0.15, outcome_risk_band=0.3))
    assert row(tolerant, "BR")["heading_for_miss"] is False
    assert tolerant["portfolio"]["early_warnings"] == 0


def test_dates_and_nulls_are_json_ready(report):
    import json

    text = json.dumps(report, allow_nan=False)
    assert '"forecast_reached_on": "2027-02-27"' in text


# Properties -----------------------------------------------------------------------------
# No deadline: on a busy machine one Polars run can take longer than hypothesis's 200 ms.
NO_DEADLINE = hypothesis_settings(deadline=None)


def fit(points: list[tuple[float, float]], min_points: int = 3) -> dict:
    frame = pl.LazyFrame(
        {"benefit_id": ["X"] * len(points), "t": [t for t, _ in points],
         "a": [a for _, a in points]},
        schema={"benefit_id": pl.String, "t": pl.Float64, "a": pl.Float64},
    )  # fmt: skip
    return theil_sen(frame, min_points).collect().row(0, named=True)


days = st.lists(st.integers(0, 2000), min_size=5, max_size=12, unique=True)


@NO_DEADLINE
@given(days, st.floats(-0.01, 0.01), st.floats(-1, 1))
def test_points_on_a_line_give_that_line(ts, slope, intercept):
    fitted = fit([(t, intercept + slope * t) for t in ts])
    assert fitted["slope"] == pytest.approx(slope, abs=1e-9)
    assert fitted["c"] == pytest.approx(intercept, abs=1e-6)


@NO_DEADLINE
@given(days, st.floats(-0.01, 0.01), st.floats(-1, 1), st.floats(-50, 50), st.integers(0, 11))
def test_one_wild_measurement_cannot_swing_the_slope(ts, slope, intercept, wild, which):
    points = [(t, intercept + slope * t) for t in ts]
    t, _ = points[which % len(points)]
    points[which % len(points)] = (t, wild)
    assert fit(points)["slope"] == pytest.approx(slope, abs=1e-9)


def naive_theil_sen(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Every pair, in plain Python: the reference the Polars version must match."""
    import statistics

    ordered = sorted(points)
    slopes = [
        (aj - ai) / (tj - ti) for i, (ti, ai) in enumerate(ordered) for tj, aj in ordered[i + 1 :]
    ]
    slope = statistics.median(slopes)
    return slope, statistics.median(a - slope * t for t, a in ordered)


series = st.lists(
    st.tuples(st.integers(0, 3000), st.floats(-2, 2, allow_nan=False)),
    min_size=3,
    max_size=70,
    unique_by=lambda p: p[0],
)


@NO_DEADLINE
@given(st.lists(series, min_size=1, max_size=4))
def test_many_benefits_with_many_points_match_every_pair(trends):
    # up to 70 points a benefit: pairs near each other and far apart (NEAR_PAIRS) both count
    rows = [
        {"benefit_id": f"B{n}", "t": float(t), "a": a}
        for n, points in enumerate(trends)
        for t, a in points
    ]
    frame = pl.LazyFrame(rows, schema={"benefit_id": pl.String, "t": pl.Float64, "a": pl.Float64})
    fitted = {r["benefit_id"]: r for r in theil_sen(frame, 3).collect().iter_rows(named=True)}
    for n, points in enumerate(trends):
        slope, c = naive_theil_sen([(float(t), a) for t, a in points])
        assert fitted[f"B{n}"]["trend_points"] == len(points)
        assert fitted[f"B{n}"]["slope"] == pytest.approx(slope, abs=1e-9)
        assert fitted[f"B{n}"]["c"] == pytest.approx(c, abs=1e-6)
