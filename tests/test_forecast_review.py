"""The quarterly review reads the forecasts: re-baseline an improbable date, intervene early
on a benefit on track today heading for a miss, and the narrative and the briefing PDF say
so in words."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import polars as pl

from briefing.narrative import narrative
from domain.settings import Settings
from metrics.decisions import ACTIONS, decisions
from metrics.evaluate import evaluate
from metrics.review import quarter_review
from store import open_store
from tests.factories import measurement, portfolio_input, project
from tests.test_briefing import ROOT, pdf_text
from tests.test_forecast_delivery import CHILDREN, ON_PLAN, A
from tests.test_forecast_words import _benefits


def test_an_improbable_date_is_to_be_rebaselined():
    red = project("DR", rag="red", jira_key="DF-1", baseline_end=dt.date(2026, 8, 20),
                  forecast_end=dt.date(2026, 7, 22), budget=500.0,
                  **{k: v for k, v in ON_PLAN.items() if k != "budget"})  # fmt: skip
    evaluation = evaluate(portfolio_input(A, [red], jira_children=CHILDREN), Settings())
    rows = decisions(evaluation.projects, evaluation.benefits).collect()
    assert rows.select("decision", "action", "trigger", "at_stake").rows() == [
        (
            "rebaseline",
            "Re-baseline",
            "the delivery forecast gives it a 41% chance of making 22 Jul 2026; an even "
            "chance only by 28 Jul 2026",
            500.0,
        )
    ]


def test_an_early_warning_is_to_be_acted_on_early():
    values = [(dt.date(2026, 4, 30), 45.0), (dt.date(2026, 5, 31), 46.0), (A, 47.0)]
    benefits = _benefits("B1", measurements=[measurement("B1", d, v) for d, v in values])
    projects = evaluate(
        portfolio_input(A, [project("P", baseline_end=dt.date(2026, 12, 31), **ON_PLAN)]),
        Settings(),
    ).projects
    rows = decisions(projects, benefits.lazy()).collect()
    early = rows.filter(pl.col("decision") == "intervene_early")
    assert early.select("action", "benefit_id").rows() == [(ACTIONS["intervene_early"], "B1")]
    assert early.item(0, "trigger") == (
        "KPI B1: on track today, but its trend leads to 53% of target by 31 Dec 2026; no owner"
    )  # no planned value: no money short


def _demo_review(db):
    store = open_store(str(db))
    dates = store.portfolio_snapshots()["as_of"].to_list()
    evaluations = {
        f"Q{i}": evaluate(store.portfolio_input(day), store.settings())
        for i, day in enumerate(dates[-2:])
    }
    return quarter_review(evaluations, "Q1")


def test_the_narrative_says_what_the_forecasts_warn_of(demo_db, monkeypatch):
    monkeypatch.delenv("COCKPIT_CURRENCY", raising=False)
    review = _demo_review(demo_db)
    story = narrative(review)
    assert (
        "Early warning: 2 benefits that are on track today are heading for a miss by their "
        "own measured trend." in story.sentences
    )
    assert (
        "1 project reports an end date with less than an even chance at the pace of its own "
        "Jira work." in story.sentences
    )
    assert story.figures["early_warnings"] == "2" and story.figures["forecast_improbable"] == "1"
    assert any(s.startswith("If the benefits' trends hold, $35.9M") for s in story.sentences)
    decided = review.decisions
    assert "OPS-138" in decided.filter(pl.col("decision") == "rebaseline")["project_id"].to_list()
    early = decided.filter(pl.col("decision") == "intervene_early")
    assert set(early["project_id"]) == {"DATA-114", "OPS-125"}


def test_the_briefing_pdf_mentions_the_early_warnings(demo_db, tmp_path):
    out = tmp_path / "briefing.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "briefing", "--quarter", "2026-Q3",
         "--db", str(demo_db), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = pdf_text(out.read_bytes())
    assert "Early warning: 2 benefits that are on track today are heading for a miss" in text
    assert "Intervene early: 2" in text  # beyond the agenda, counted by rule
