"""The demo portfolio: loaded through the ordinary loader, and telling the product's story."""

from __future__ import annotations

import collections
import datetime as dt

from connectors.demo import demo_snapshots
from metrics.evaluate import evaluate
from metrics.gap import QUADRANTS
from metrics.jira import with_jira_as_of
from metrics.report import build_report
from store import open_store


def test_demo_is_deterministic():
    first = demo_snapshots()
    second = demo_snapshots()
    assert [f.data for s in first for f in s.files] == [f.data for s in second for f in s.files]


def test_demo_loads_eight_quarterly_snapshots(demo_db):
    store = open_store(str(demo_db))
    snaps = store.portfolio_snapshots()
    assert snaps.height == 8
    quarters = {(d.year, (d.month - 1) // 3) for d in snaps["as_of"].to_list()}
    assert len(quarters) == 8
    latest = store.resolve_snapshot()
    projects = store.projects(latest[0])
    benefits = store.benefits(latest[0])
    assert projects.height >= 60 and benefits.height >= 120
    assert projects["objective"].n_unique() == 4
    assert projects["portfolio"].n_unique() == 5
    assert projects["jira_key"].drop_nulls().len() >= 5
    assert benefits["owner"].drop_nulls().len() < benefits.height  # some benefits lack an owner
    assert store.measurements().height > 500  # monthly series


def test_demo_report_tells_the_story(demo_db):
    store = open_store(str(demo_db))
    portfolio = store.portfolio_input()
    report = build_report(evaluate(portfolio, store.settings()), portfolio.snapshot_as_of)
    quadrants = collections.Counter(p["quadrant"] for p in report["projects"])
    assert set(quadrants) == set(QUADRANTS), quadrants
    figures = report["portfolio"]
    assert figures["output_rate"] >= 0.7  # delivery looks healthy
    assert figures["gap_pts"] >= 15  # far fewer realize their outcomes
    assert quadrants["watermelon"] >= 3
    assert quadrants["rescue_or_stop"] >= 2
    assert sum(p["rag_mismatch"] for p in report["projects"]) >= 3
    statuses = collections.Counter(b["status"] for b in report["benefits"])
    assert statuses["unmeasured"] >= 3


def test_demo_history_moves_between_quarters(demo_db):
    store = open_store(str(demo_db))
    dates = store.portfolio_snapshots()["as_of"].to_list()
    quadrant_by_date = []
    for day in dates[-2:]:
        report = build_report(evaluate(store.portfolio_input(day), store.settings()), day)
        quadrant_by_date.append({p["project_id"]: p["quadrant"] for p in report["projects"]})
    before, after = quadrant_by_date
    moved = [pid for pid in after if pid in before and before[pid] != after[pid]]
    assert len(moved) >= 3


def test_demo_jira_issues_are_deterministic():
    from connectors.jira.demo import demo_issue_pages

    assert demo_issue_pages() == demo_issue_pages()


def test_demo_blank_scope_comes_from_jira_and_flow_is_there(demo_db):
    import polars as pl

    from metrics.jira import project_flow, weekly_throughput

    store = open_store(str(demo_db))
    assert store.jira_issue_count() >= 200
    assert store.jira_sync_runs()["mode"].to_list() == ["demo"]
    portfolio = store.portfolio_input()
    projects = evaluate(portfolio, store.settings()).projects.collect()
    from_jira = projects.filter(pl.col("scope_source") == "jira")
    assert from_jira.height >= 3
    assert from_jira["completion"].is_not_null().all()
    blank = projects.filter(
        pl.col("jira_key").is_not_null() & pl.col("project_id").str.contains(r"[13579]$")
    )
    assert (blank["scope_source"] == "jira").all()

    jira = store.jira_input()
    flow = project_flow(jira.projects, jira.children, jira.changes, jira.as_of).collect()
    assert flow.height == projects["jira_key"].drop_nulls().len()
    assert flow["cycle_time_p50_days"].drop_nulls().len() >= 5
    assert (flow["throughput_per_week"] > 0).sum() >= 1
    assert set(flow["scope_unit"].drop_nulls()) == {"points", "issues"}
    assert (flow["scope_added"] > 0).sum() >= 3
    weeks = weekly_throughput(jira.projects, jira.children, jira.changes, jira.as_of).collect()
    assert weeks["done"].sum() == flow["done_last_weeks"].sum()


def test_demo_scope_from_jira_moves_with_the_as_of_date(demo_db):
    import polars as pl

    store = open_store(str(demo_db))
    dates = store.portfolio_snapshots()["as_of"].to_list()
    delivered = []
    for day in dates[-4:]:
        scope = with_jira_as_of(store.portfolio_input(day)).jira_scope.collect()
        delivered.append(scope["jira_scope_delivered"].sum())
        assert (scope["jira_scope_delivered"] <= scope["jira_scope_planned"]).all()
        assert scope.filter(pl.col("jira_scope_planned") <= 0).height == 0
    assert delivered == sorted(delivered) and delivered[0] < delivered[-1]


def test_demo_shows_every_forecast_case(demo_db):
    """An early warning, an improbable date behind a green status, a benefit that will make
    it and one with too little history to tell (docs/metrics.md, Forecasts)."""
    import polars as pl

    store = open_store(str(demo_db))
    portfolio = store.portfolio_input()
    evaluation = evaluate(portfolio, store.settings()).collected()
    live = evaluation.projects.filter(~pl.col("cancelled"))
    benefits = evaluation.benefits.join(live, on="project_id", how="semi").collect()
    early = benefits.filter(pl.col("status") == "on_track", pl.col("heading_for_miss"))
    assert early.height >= 1 and early["early_warning"].all()
    makes_it = benefits.filter(pl.col("status") == "on_track", ~pl.col("heading_for_miss"))
    assert makes_it.height >= 1
    too_little = benefits.filter(pl.col("trend_points") < 3)
    assert too_little.height >= 1 and too_little["forecast_attainment"].is_null().all()
    hidden = live.filter(pl.col("forecast_improbable"), pl.col("rag") == "green").collect()
    assert hidden.height >= 1
    assert hidden["rag_mismatch"].all() and hidden["delivery_ok"].all()  # on plan, it says
    figures = build_report(evaluation, portfolio.snapshot_as_of)["portfolio"]
    assert figures["early_warnings"] == early.height
    assert figures["forecast_improbable"] >= 1 and figures["forecast_shortfall"] > 0


def test_demo_shows_evidenced_and_typed_value_side_by_side(demo_db):
    """The demo's warehouse measures part of the benefits (runs at demo load time); one
    source is broken and shows its error, its benefit keeping its typed values."""
    import polars as pl

    from connectors.measure.run import sources_overview

    store = open_store(str(demo_db))
    portfolio = store.portfolio_input()
    figures = build_report(evaluate(portfolio, store.settings()), portfolio.snapshot_as_of)
    evidence = collections.Counter(b["evidence"] for b in figures["benefits"])
    assert evidence["sourced"] >= 30 and evidence["typed"] >= 30
    share = figures["portfolio"]["evidenced_share"]
    assert 0.2 < share < 0.8
    assert figures["portfolio"]["evidenced_value"] > 0 and figures["portfolio"]["claimed_value"] > 0
    runs = store.measure_runs()
    assert runs["as_of"].sort().to_list() == [
        dt.date(2026, 7, 31),
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 30),
    ]
    failing = sources_overview(store, dt.date(2026, 9, 30)).filter(pl.col("failing"))
    assert failing.height == 1 and "contact_centre_daily" in failing["last_error"][0]
    assert store.measurement_provenance()["connection"].unique().to_list() == ["demo_warehouse"]
