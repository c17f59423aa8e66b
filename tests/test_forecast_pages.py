"""The forecasts on the pages, under AppTest on the demo: the Project page's delivery
forecast (chances in words, finish dates, the fan) or why there is none, and each
benefit's trend."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.markdown import shown
from tests.support.tables import chart_datasets, shown_rows


def _texts(at: AppTest) -> list[str]:
    return [shown(e.value) for e in (*at.markdown, *at.caption, *at.info)]


def _fan(at: AppTest) -> list[dict]:
    """The weeks the fan chart was sent (the dataset with a `band` per row)."""
    for chart in at.get("vega_lite_chart"):
        for rows in chart_datasets(chart):
            if rows and "band" in rows[0]:
                return rows
    return []


def test_the_project_page_gives_the_chances_in_words(app_on, demo_db):
    at = app_on(demo_db, "project", project="OPS-138")
    texts = _texts(at)
    # the demo's improbable date: green, 6% chance of the date it reports
    assert any("6% chance of making 29 Sep 2027" in t for t in texts)
    assert any("For its committed end: 6% chance of making 30 Sep 2027" in t for t in texts)
    dates = next(t for t in texts if "P50 (even chance)" in t)
    assert "done by 29 Dec 2027" in dates and "P95 (near certain)**: done by 19 Apr 2028" in dates
    assert any("38 issues open; work was done in 6 of the last 12 weeks" in t for t in texts)
    weeks = _fan(at)
    assert weeks and weeks[0]["chance"] == 0.0 and weeks[-1]["chance"] >= 0.95


def test_a_project_without_a_forecast_says_why(app_on, demo_db):
    at = app_on(demo_db, "project", project="DATA-114")  # delivered
    assert "Delivered: no work left to forecast." in [shown(i.value) for i in at.info]
    assert not _fan(at)
    at = app_on(demo_db, "project", project="CX-136")  # active, not in Jira
    assert any("not linked to a Jira epic" in shown(i.value) for i in at.info)


def test_each_benefit_shows_its_trend_or_why_it_has_none(app_on, demo_db):
    at = app_on(demo_db, "project", project="DATA-114")
    captions = [shown(c.value) for c in at.caption]
    # the demo's early warning: on track today, 87% of target by its date
    assert "At this trend: 87% of target by 30 Sep 2027; target reached 22 Dec 2027" in captions
    table = next(d for d in at.dataframe if "At the target date" in d.value.columns)
    rows = {r["Benefit"]: r for r in shown_rows(table)}
    assert rows["Manual processing hours per month"]["At the target date"] == "87%"
    assert rows["Manual processing hours per month"]["Target reached"] == "22 Dec 2027"
    at = app_on(demo_db, "project", project="PAY-107")
    captions = [shown(c.value) for c in at.caption]
    assert any(c.startswith("No forecast yet: too little history. 1 measurement") for c in captions)


def test_the_overview_lists_the_forecasts_warnings(app_on, demo_db, monkeypatch):
    monkeypatch.delenv("COCKPIT_CURRENCY", raising=False)
    at = app_on(demo_db)
    line = next(shown(m.value) for m in at.markdown if "Forecast shortfall" in m.value)
    # the demo's portfolio figures: 35,932,140 short, 28 benefits heading for a miss
    assert line.startswith(":material/trending_down: **Forecast shortfall: $35.9M** of planned")
    assert "**Heading for a miss**: 28 benefits, 2 of them on track today" in line
    assert line.endswith("**Improbable dates**: 1 project")
    at.session_state["attention_more"] = True  # every project of the list, as a table
    at.run()
    table = next(d for d in at.dataframe if "Why" in d.value.columns)
    why = dict(zip(table.value["Project"], table.value["Why"], strict=True))
    assert why["API gateway"] == (
        "Early warning: Manual processing hours per month on track today, heading for 87% of "
        "target by 30 Sep 2027"
    )
    assert why["Fleet electrification"] == "6% chance of making 29 Sep 2027; reports green"


def test_outcomes_lists_the_benefits_heading_for_a_miss_with_owners(app_on, demo_db):
    at = app_on(demo_db, "outcomes")
    assert "Heading for a miss: 28" in [s.value for s in at.subheader]
    table = next(d for d in at.dataframe if "Forecast shortfall" in d.value.columns)
    rows = shown_rows(table)
    assert len(rows) == 28
    # the demo's two early warnings come first, each with its owner
    assert [r["Status"] for r in rows[:3]] == ["⚠ On track today"] * 2 + ["Off track"]
    warning = next(r for r in rows if r["Project"] == "API gateway")
    assert warning["Owner"] == "Julia Brandt (Operations)"
    assert warning["At the target date"] == "87% by 30 Sep 2027"
    assert warning["Target reached"] == "22 Dec 2027"
    assert all(r["Status"] != "On track" for r in rows)  # on track ones are warnings
    # five columns on screen (they fit at 1280 px: tests/browser/test_forecast.py), an early
    # warning's ⚠ before its benefit; the status and reached date are in the downloads
    assert list(table.proto.column_order) == [
        "Benefit", "Project", "Owner", "At the target date", "Forecast shortfall"
    ]  # fmt: skip
    assert [r["Benefit"] for r in rows[:3]] == [
        "⚠ Cost per transaction",
        "⚠ Manual processing hours per month",
        "Infrastructure run cost per month",
    ]


def test_delivery_lists_the_improbable_dates_and_the_chance_of_each_late_project(
    app_on,
    demo_db,
):
    at = app_on(demo_db, "delivery")
    improbable = next(d for d in at.dataframe if "P50 (even chance)" in d.value.columns)
    (row,) = shown_rows(improbable)
    assert (row["Project"], row["Reports"], row["Reported end"], row["Chance"]) == (
        "Fleet electrification",
        "green",
        "29 Sep 2027",
        "6%",
    )
    assert (row["P50 (even chance)"], row["P95 (near certain)"]) == ("29 Dec 2027", "19 Apr 2028")
    late = next(d for d in at.dataframe if "Slip (days)" in d.value.columns)
    assert "Chance" in late.value.columns


def test_the_review_takes_the_forecasts_decisions(app_on, demo_db):
    at = app_on(demo_db, "review")
    # the agenda leads with the largest amounts; every decision is in the table after it
    *_, table = (d for d in at.dataframe if "At stake" in d.value.columns)
    rows = shown_rows(table)
    early = [r for r in rows if r["Decision"] == "Intervene early"]
    assert {r["Project"] for r in early} == {"API gateway", "Procurement consolidation"}
    assert any(
        r["Decision"] == "Re-baseline" and "6% chance of making 29 Sep 2027" in r["Why"]
        for r in rows
    )
    texts = _texts(at)
    assert any("**Intervene early** on every benefit that is on track today" in t for t in texts)
    assert any("Early warning: 2 benefits that are on track today" in t for t in texts)


def test_how_we_measure_explains_both_forecasts(app_on, demo_db):
    at = app_on(demo_db)
    at.session_state["how_we_measure"] = True  # its text is sent once it is opened
    at.run()
    text = next(shown(m.value) for m in at.markdown if "Forecasts: where is it heading?" in m.value)
    text = " ".join(text.split())  # as it reads: the source's line breaks are spaces
    assert "finished in each of the last 12 weeks" in text  # the settings in force
    assert "fewer than 4 of the 12 weeks (too little history)" in text
    assert "at least 3 measurements since the start" in text
    assert "short of 90% of the way from baseline to target" in text


def _trajectory_rows(at: AppTest) -> list[int]:
    """For each benefit trajectory on the page, how many columns share its row."""
    found: list[int] = []

    def walk(node, siblings: int) -> None:
        for child in getattr(node, "children", {}).values():
            kind = getattr(child, "type", None)
            if kind == "vega_lite_chart" and any(
                rows and "benefit_id" in rows[0] for rows in chart_datasets(child)
            ):
                found.append(siblings)
            inner = len(getattr(child, "children", {}))
            walk(child, inner if kind == "flex_container" else siblings)

    walk(at.main, 1)
    return found


def test_each_benefit_chart_takes_its_share_of_the_width(app_on, demo_db):
    from ui.portfolio.benefit_card import charts_per_row

    at = app_on(demo_db, "project", project="CX-151")  # one benefit: the page's width
    assert _trajectory_rows(at) == [1]
    at = app_on(demo_db, "project", project="RISK-120")  # three: a third each
    assert _trajectory_rows(at) == [3, 3, 3]
    assert [charts_per_row(n) for n in (1, 2, 3, 4, 5, 6)] == [1, 2, 3, 2, 3, 3]
