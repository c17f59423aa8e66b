"""The delivery forecast (docs/metrics.md, Forecasts), worked out by hand.

As of A = 2026-06-30 with the default settings: a window of W = 12 weeks, a forecast
needs 4 weeks with work done.

The main distribution: of the 12 weeks, 6 had 0 done, 3 had 1 and 3 had 2, so
p(0) = 1/2, p(1) = 1/4, p(2) = 1/4, and 3 children remain. In units of 4^w, the ways
b_w(s) for w weeks to finish s children obey b_w(s) = 2 b_(w-1)(s) + b_(w-1)(s-1) +
b_(w-1)(s-2) (only s < 3 matters: 3 or more is done), from b_0 = [1, 0, 0]:

| w | b_w(0) | b_w(1) | b_w(2) | 4^w    | not done (sum) | F(w) = 1 - sum / 4^w   |
|---|--------|--------|--------|--------|----------------|------------------------|
| 1 | 2      | 1      | 1      | 4      | 4              | 0                      |
| 2 | 4      | 4      | 5      | 16     | 13             | 3/16      = 0.1875     |
| 3 | 8      | 12     | 18     | 64     | 38             | 26/64     = 0.40625    |
| 4 | 16     | 32     | 56     | 256    | 104            | 152/256   = 0.59375    |
| 5 | 32     | 80     | 160    | 1024   | 272            | 752/1024  = 0.734375   |
| 6 | 64     | 192    | 432    | 4096   | 688            | 3408/4096 = 0.83203125 |
| 7 | 128    | 448    | 1120   | 16384  | 1696           | 0.896484375            |
| 8 | 256    | 1024   | 2816   | 65536  | 4096           | 0.9375                 |
| 9 | 512    | 2304   | 6912   | 262144 | 9728           | 0.962890625            |

So P50 = 4 weeks (2026-07-28), P85 = 7 weeks (2026-08-18), P95 = 9 weeks (2026-09-01).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.settings import Settings
from metrics.evaluate import evaluate
from metrics.finish_chance import chance_at, finish_chances, first_week_reaching
from metrics.report import build_report
from tests.factories import portfolio_input, project

A = dt.date(2026, 6, 30)
WEEKS = dt.timedelta(weeks=1)
# F(1..9) of the table above
F_MAIN = [Fraction(0), Fraction(3, 16), Fraction(26, 64), Fraction(152, 256),
          Fraction(752, 1024), Fraction(3408, 4096), Fraction(14688, 16384),
          Fraction(61440, 65536), Fraction(252416, 262144)]  # fmt: skip
MAIN_WEEKS = [2, 0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0]  # k_1 (the week ending on A) .. k_12


def children(key: str, weekly: list[int], remaining: int) -> list[dict]:
    """Children of one epic as of A: `weekly[j - 1]` done in week j, `remaining` not done.

    Week j holds the dates A - 7j < d <= A - 7(j - 1). Items are put on the week's edges:
    the first at 23:59 on its last day (A - 7(j - 1)), the next at midnight on its first
    day (A - 7j + 1), so a day off either way would move them to another week.
    """
    rows = []
    for j, count in enumerate(weekly, start=1):
        last_day = A - (j - 1) * WEEKS
        first_day = A - j * WEEKS + dt.timedelta(days=1)
        for n in range(count):
            done = (
                dt.datetime.combine(last_day, dt.time(23, 59))
                if n % 2 == 0
                else dt.datetime.combine(first_day, dt.time(0, 0))
            )
            rows.append({"jira_key": key, "done_at": done})
    rows += [{"jira_key": key, "done_at": None}] * remaining
    return [
        {**row, "issue_id": f"{key}-{i}", "created": dt.datetime(2026, 1, 5, 9)}
        for i, row in enumerate(rows)
    ]


def children_frame(*groups: list[dict]) -> pl.DataFrame:
    schema = {
        "jira_key": pl.String,
        "issue_id": pl.String,
        "created": pl.Datetime("us"),
        "done_at": pl.Datetime("us"),
    }
    return pl.DataFrame([row for group in groups for row in group], schema=schema)


ON_PLAN = dict(status="active", start_date=dt.date(2026, 1, 1), budget=100.0, actual_cost=50.0,
               forecast_cost=100.0, scope_planned=10.0, scope_delivered=9.0)  # fmt: skip
PROJECTS = [
    # DF-1: the main distribution. Baseline 2026-08-20 is 51 days away: floor(51 / 7) = 7
    # weeks, F(7) = 0.896484375. The reported forecast end 2026-07-22 is 22 days away:
    # 3 weeks, F(3) = 0.40625 < 0.5, improbable. On plan otherwise and no benefit, so the
    # green status hides bad news only through the forecast.
    project("DF1", rag="green", jira_key="DF-1", baseline_end=dt.date(2026, 8, 20),
            forecast_end=dt.date(2026, 7, 22), **ON_PLAN),
    # DF-2: the same history, a baseline 5 days away (under a week: chance 0) and no
    # forecast end (its chance is the baseline's). Amber: no mismatch.
    project("DF2", rag="amber", jira_key="DF-2", baseline_end=dt.date(2026, 7, 5), **ON_PLAN),
    # DU-1: weeks of 0, 1 and 2 done (4 each), 3 remaining: F(w) = 1 - P(S_w < 3), the
    # ways to finish 0, 1 and 2 in w weeks being the first coefficients of (1 + x + x^2)^w
    # (1, w, w + w(w-1)/2) over 3^w. w=2: 1 - (1+2+3)/9 = 1/3; w=3: 1 - (1+3+6)/27 =
    # 17/27 = 0.630 (P50); w=4: 1 - (1+4+10)/81 = 22/27 = 0.815; w=5: 1 - (1+5+15)/243
    # = 222/243 = 0.914 (P85); w=6: 1 - (1+6+21)/729 = 701/729 = 0.962 (P95).
    # Baseline 28 days away: F(4) = 22/27.
    project("DU1", rag="green", jira_key="DU-1", baseline_end=A + 4 * WEEKS, **ON_PLAN),
    # Guards
    # DG-0: nothing remains: weekly counts shown, no forecast.
    project("DG0", rag="green", jira_key="DG-0", baseline_end=A + 4 * WEEKS, **ON_PLAN),
    # DG-1: only 3 of the 12 weeks saw work done (4 needed): no forecast.
    project("DG1", rag="green", jira_key="DG-1", baseline_end=A + 4 * WEEKS, **ON_PLAN),
    # DG-2: exactly one done every week, 520 remaining: F(w) = 1 from w = 520 on, 0
    # before. All three dates are A + 520 weeks; a baseline 520 weeks away has chance 1.
    project("DG2", rag="green", jira_key="DG-2", baseline_end=A + 520 * WEEKS, **ON_PLAN),
    # DG-3: one a week, 521 remaining: no w <= 520 reaches any quantile (the horizon);
    # the chance of a date past the horizon is F(520) = 0.
    project("DG3", rag="green", jira_key="DG-3", baseline_end=A + 530 * WEEKS, **ON_PLAN),
    # Delivered and cancelled projects have nothing to forecast, whatever Jira says.
    project("DD", status="delivered", rag="green", jira_key="DF-1",
            baseline_end=dt.date(2026, 5, 31), actual_end=dt.date(2026, 5, 31)),
    project("DC", status="cancelled", rag="red", jira_key="DF-1",
            baseline_end=dt.date(2026, 9, 30)),
    # Not linked to Jira; linked to an epic the store has no child of.
    project("DN", rag="green", baseline_end=dt.date(2026, 9, 30), **ON_PLAN),
    project("DE", rag="green", jira_key="EMPTY-1", baseline_end=dt.date(2026, 9, 30),
            **ON_PLAN),
]  # fmt: skip
CHILDREN = children_frame(
    children("DF-1", MAIN_WEEKS, 3),
    children("DF-2", MAIN_WEEKS, 3),
    children("DU-1", [0, 1, 2] * 4, 3),
    children("DG-0", MAIN_WEEKS, 0),
    children("DG-1", [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0], 5),
    children("DG-2", [1] * 12, 520),
    children("DG-3", [1] * 12, 521),
)


@pytest.fixture(scope="module")
def report() -> dict:
    portfolio = portfolio_input(A, PROJECTS, jira_children=CHILDREN)
    return build_report(evaluate(portfolio, Settings()), A)


def figures(report: dict, project_id: str) -> dict:
    return next(p for p in report["projects"] if p["project_id"] == project_id)


def test_the_kernel_convolves_exactly():
    curve = finish_chances([0] * 6 + [1] * 3 + [2] * 3, 3)
    assert curve[0] == 0  # F(0) = 0
    assert curve[1:10].tolist() == pytest.approx([float(f) for f in F_MAIN], abs=1e-12)
    assert curve.size == 10  # stops at the first week that reaches 95%
    assert [first_week_reaching(curve, q) for q in (0.5, 0.85, 0.95)] == [4, 7, 9]
    assert chance_at(curve, 0) == 0 and chance_at(curve, 3) == pytest.approx(0.40625)
    # asked to cover a later week, the curve goes on to it
    assert finish_chances([0] * 6 + [1] * 3 + [2] * 3, 3, needed_week=12).size == 13


def test_main_distribution(report):
    f = figures(report, "DF1")
    assert f["remaining"] == 3
    assert f["weekly_done"] == MAIN_WEEKS
    assert (f["finish_p50"], f["finish_p85"], f["finish_p95"]) == (
        "2026-07-28",
        "2026-08-18",
        "2026-09-01",
    )
    assert f["chance_by_baseline"] == pytest.approx(0.896484375, abs=1e-12)
    assert f["chance_by_forecast"] == pytest.approx(0.40625, abs=1e-12)
    assert f["finish_chance"] == pytest.approx([float(x) for x in F_MAIN], abs=1e-12)
    assert f["forecast_improbable"] is True
    assert f["delivery_ok"] is True and f["outcome_ok"] is None
    assert f["rag_mismatch"] is True  # green, on plan, but the date it reports is improbable


def test_a_date_under_a_week_away_has_no_chance(report):
    f = figures(report, "DF2")
    assert f["chance_by_baseline"] == 0 and f["chance_by_forecast"] == 0
    assert f["forecast_improbable"] is True
    assert f["rag_mismatch"] is False  # amber tells the truth
    assert f["finish_p50"] == "2026-07-28"  # the same history gives the same dates


def test_weeks_of_zero_one_and_two(report):
    f = figures(report, "DU1")
    assert f["weekly_done"] == [0, 1, 2] * 4
    assert (f["finish_p50"], f["finish_p85"], f["finish_p95"]) == (
        "2026-07-21",
        "2026-08-04",
        "2026-08-11",
    )
    assert f["finish_chance"] == pytest.approx(
        [0, 1 / 3, 17 / 27, 22 / 27, 222 / 243, 701 / 729], abs=1e-12
    )
    assert f["chance_by_baseline"] == pytest.approx(22 / 27)
    assert f["forecast_improbable"] is False and f["rag_mismatch"] is False


def test_nothing_remaining_gives_no_forecast(report):
    f = figures(report, "DG0")
    assert f["remaining"] == 0 and f["weekly_done"] == MAIN_WEEKS
    assert_no_forecast(f)


def test_too_few_active_weeks_give_no_forecast(report):
    f = figures(report, "DG1")
    assert f["remaining"] == 5 and sum(k > 0 for k in f["weekly_done"]) == 3
    assert_no_forecast(f)
    settings = Settings(forecast_min_active_weeks=3)  # with 3 enough, there is one
    portfolio = portfolio_input(A, PROJECTS, jira_children=CHILDREN)
    again = figures(build_report(evaluate(portfolio, settings), A), "DG1")
    # 1 done in 3 weeks of 12 (p(1) = 1/4), 5 remaining: surely done after 5 weeks only if
    # every week delivers: F(5) = (1/4)^5, far below 50%: a far but finite P50
    assert again["finish_chance"][4] == pytest.approx(0.25**5)
    assert again["finish_p50"] is not None


def test_the_horizon(report):
    exactly = figures(report, "DG2")
    horizon = (A + 520 * WEEKS).isoformat()
    assert (exactly["finish_p50"], exactly["finish_p85"], exactly["finish_p95"]) == (
        horizon,
        horizon,
        horizon,
    )
    assert exactly["chance_by_baseline"] == 1.0
    beyond = figures(report, "DG3")
    assert beyond["remaining"] == 521
    assert beyond["finish_p50"] is None and beyond["finish_p95"] is None
    assert beyond["chance_by_baseline"] == 0.0 and beyond["forecast_improbable"] is True


@pytest.mark.parametrize("project_id", ["DD", "DC", "DN", "DE"])
def test_only_open_projects_with_jira_children_are_forecast(report, project_id):
    f = figures(report, project_id)
    assert f["remaining"] is None and f["weekly_done"] is None
    assert_no_forecast(f)


def test_portfolio_counts_improbable_dates(report):
    # DF1, DF2 and DG3 (the cancelled DC has no forecast at all)
    assert report["portfolio"]["forecast_improbable"] == 3


def test_without_jira_nothing_is_forecast():
    report = build_report(evaluate(portfolio_input(A, PROJECTS), Settings()), A)
    assert all(p["remaining"] is None for p in report["projects"])
    assert report["portfolio"]["forecast_improbable"] == 0


def test_the_window_says_how_many_weeks_are_read():
    # DG-1's three active weeks are weeks 1, 4 and 7: a window of 4 weeks sees two of them
    portfolio = portfolio_input(A, PROJECTS, jira_children=CHILDREN)
    for weeks, expected in ((4, [1, 0, 0, 1]), (8, [1, 0, 0, 1, 0, 0, 1, 0])):
        settings = Settings(forecast_window_weeks=weeks, forecast_min_active_weeks=1)
        report = build_report(evaluate(portfolio, settings), A)
        assert figures(report, "DG1")["weekly_done"] == expected


def assert_no_forecast(f: dict) -> None:
    for key in ("finish_p50", "finish_p85", "finish_p95", "chance_by_baseline",
                "chance_by_forecast", "finish_chance", "forecast_improbable"):  # fmt: skip
        assert f[key] is None, key


# Properties -----------------------------------------------------------------------------
# No deadline: on a busy machine one Polars run can take longer than hypothesis's 200 ms.
NO_DEADLINE = hypothesis_settings(deadline=None)
weekly = st.lists(st.integers(0, 15), min_size=1, max_size=26).filter(lambda ks: any(ks))


@NO_DEADLINE
@given(weekly, st.integers(1, 200), st.integers(0, 600))
def test_finishing_never_gets_less_likely_with_more_weeks(weekly_done, remaining, needed):
    curve = finish_chances(weekly_done, remaining, needed_week=needed)
    assert curve[0] == 0
    assert (np.diff(curve) >= 0).all()
    assert ((curve >= 0) & (curve <= 1)).all()
    assert curve.size - 1 >= min(needed, 520) or curve[-1] == 1.0


@NO_DEADLINE
@given(weekly, st.integers(1, 200))
def test_p50_comes_before_p85_before_p95(weekly_done, remaining):
    curve = finish_chances(weekly_done, remaining)
    p50, p85, p95 = (first_week_reaching(curve, q) for q in (0.5, 0.85, 0.95))
    reached = [w for w in (p50, p85, p95) if w is not None]
    assert reached == sorted(reached)
    assert reached == [p50, p85, p95][: len(reached)]  # a later one only if the earlier one
    # never sooner than the best case: every week at the most ever done
    if p50 is not None:
        assert p50 >= -(-remaining // max(weekly_done))


def test_an_improbable_date_is_named_where_status_hides_bad_news():
    from metrics.attention import needs_attention
    from metrics.decisions import decisions

    evaluation = evaluate(portfolio_input(A, PROJECTS, jira_children=CHILDREN), Settings())
    listed = needs_attention(evaluation.projects).collect()
    # DF1 reports green with a 41% chance (F(3) = 0.40625) of making 22 Jul 2026
    assert listed.filter(pl.col("project_id") == "DF1")["why"].to_list() == [
        "41% chance of making 22 Jul 2026; reports green"
    ]
    review = decisions(evaluation.projects, evaluation.benefits).collect()
    taken = review.filter(pl.col("project_id") == "DF1").select("decision", "trigger").rows()
    # its status is to be reviewed, and its date re-set to one its pace can make (P50: 4 weeks)
    assert taken == [
        (
            "rebaseline",
            "the delivery forecast gives it a 41% chance of making 22 Jul 2026; an even "
            "chance only by 28 Jul 2026",
        ),
        (
            "status_review",
            "reports green while the delivery forecast gives it a 41% chance of making 22 Jul 2026",
        ),
    ]
    # DU1 reports green with a 22/27 chance: not listed
    assert "DU1" not in listed["project_id"].to_list()


def test_csv_has_the_lists_as_text():
    from metrics.report import projects_table

    evaluation = evaluate(portfolio_input(A, PROJECTS, jira_children=CHILDREN), Settings())
    table = projects_table(evaluation)
    df1 = table.filter(pl.col("project_id") == "DF1").row(0, named=True)
    assert df1["weekly_done"] == "2;0;1;0;2;0;1;0;2;0;1;0"
    assert df1["finish_chance"].split(";")[:3] == ["0.0", "0.1875", "0.40625"]
    assert "finish_p50,finish_p85,finish_p95" in table.write_csv().splitlines()[0]


def reference_curve(weekly_done: list[int], remaining: int, weeks: int) -> list[float]:
    """F(0..weeks) by the plainest full convolution: the distribution of the sum of w weeks,
    nothing cut, then the mass at `remaining` or more."""
    p = np.bincount(weekly_done) / len(weekly_done)
    total = np.array([1.0])
    out = [0.0]
    for _ in range(weeks):
        total = np.convolve(total, p)
        out.append(float(total[remaining:].sum()))
    return out


@NO_DEADLINE
@given(
    st.lists(st.integers(0, 400), min_size=1, max_size=12).filter(any),
    st.integers(1, 600),
)
def test_large_weekly_counts_give_the_same_curve(weekly_done, remaining):
    # counts up to 400 in a few weeks take the sparse path; the answer must not change
    curve = finish_chances(weekly_done, remaining)
    expected = reference_curve(weekly_done, remaining, curve.size - 1)
    assert curve.tolist() == pytest.approx(expected, abs=1e-9)
