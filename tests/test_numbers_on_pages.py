"""Numbers that add up on the pages: the headline reconciles on a portfolio built to land on
exact halves, every measure has one name with its population, and no table shows "None".

The hand-made portfolio, as of 2026-06-30: eight delivered projects with a budget of 100
each, spent exactly. P1-P5 finished on their committed end (on time); P6-P8 a month late.
Each has one benefit (0 -> 100 from 2026-01-01 to 2026-12-27, no planned value), measured
on 2026-06-30 at 100 for P1-P3 (achieved) and 0 for the rest (off track). So:
  Delivered to plan 5/8 = 62.5% -> 63%   (half-to-even would show 62%)
  Realizing value   3/8 = 37.5% -> 38%
  the gap 25 points, and 63 - 38 = 25   (half-to-even would show 62 - 38 = 24 beside 25)
An earlier snapshot (2026-03-31) holds the same projects, nothing delivered or due yet.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from store import open_store
from tests.factories import benefit, measurement, project, snapshot
from tests.support.markdown import shown as markdown_shown
from tests.support.tables import chart_datasets, shown_rows

D = dt.date
A = D(2026, 6, 30)


def _halves_store(path: Path) -> Path:
    projects = [
        project(
            f"P{i}",
            name=f"Project {i}",
            status="delivered",
            start_date=D(2025, 7, 1),
            baseline_end=D(2026, 3, 31),
            actual_end=D(2026, 3, 31) if i <= 5 else D(2026, 4, 30),
            budget=100.0,
            actual_cost=100.0,
            sponsor="Ann Lee",
        )
        for i in range(1, 9)
    ]
    benefits = [
        benefit(f"B{i}", f"P{i}", start_date=D(2026, 1, 1), target_date=D(2026, 12, 27))
        for i in range(1, 9)
    ]
    measurements = [measurement(f"B{i}", A, 100.0 if i <= 3 else 0.0) for i in range(1, 9)]
    store = open_store(str(path))
    earlier = [dict(p, status="active", actual_end=None) for p in projects]
    store.commit_snapshot(snapshot(earlier, benefits), as_of=D(2026, 3, 1), content_hash="h0")
    store.commit_snapshot(snapshot(projects, benefits, measurements), as_of=A, content_hash="h1")
    return path


def _metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def test_the_headline_tiles_reconcile_on_exact_halves(app_on, tmp_path):
    at = app_on(_halves_store(tmp_path / "halves.duckdb"))
    shown = {m.label: m.value for m in at.metric}
    assert shown["Delivered to plan"] == "63%"
    assert shown["Realizing value"] == "38%"
    assert shown["The gap"] == "+25 pts"
    # Whom each rate counts, next to the tiles.
    assert any(
        "Delivered to plan: 5 of the 8 projects with delivery figures" in c.value
        and "Realizing value: 3 of the 8 projects with benefits due" in c.value
        for c in at.caption
    )


def test_the_review_its_narrative_and_the_pdf_say_the_same(app_on, tmp_path):
    from ui.cache import briefing

    db = _halves_store(tmp_path / "halves.duckdb")
    at = app_on(db, "review")
    assert at.title[0].value == "Quarterly review: 2026-Q2"
    shown = {m.label: m.value for m in at.metric}
    assert (shown["Delivered to plan"], shown["Realizing value"], shown["The gap"]) == (
        "63%",
        "38%",
        "+25 pts",
    )
    text = " ".join(markdown_shown(m.value) for m in at.markdown)
    assert "63% of projects are delivering to plan, but only 38%" in text
    assert "a gap of 25 points" in text
    view = at.session_state["_view"]
    pdf = briefing(str(db), view.generation, view.as_of, view.filters)
    words = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Delivered to plan 63%" in words and "Realizing value 38%" in words
    assert "+25 pts" in words and "a gap of 25 points" in words


# One name per measure --------------------------------------------------------------------

OTHER_NAMES = ("Outcome rate", "Output rate", "Realizing outcomes", "Of committed")


def test_each_measure_has_one_name_and_says_its_population(app_on, demo_db):
    at = app_on(demo_db)
    everything = " ".join(
        [m.proto.help for m in at.metric]
        + [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [chart.proto.spec for chart in at.get("vega_lite_chart")]
    )
    for other in OTHER_NAMES:
        assert other not in everything
    funnel = next(
        rows
        for chart in at.get("vega_lite_chart")
        for rows in chart_datasets(chart)
        if rows and "stage" in rows[0]
    )
    stages = {row["label"]: row["text"] for row in funnel}
    assert stages["Due by now"] == "44 projects"
    assert re.fullmatch(r"\d+ of the 44", stages["Kept"])
    assert re.fullmatch(r"\d+ of the 44", stages["Realizing value"])
    assert any("Of the 44 projects due by now" in c.value for c in at.caption)
    closed = next(e for e in at.expander if e.label == "How we measure")
    assert not closed.markdown  # written only once opened: a closed box costs the page nothing
    at.session_state["how_we_measure"] = True
    at.run()
    how = " ".join(
        m.value for m in next(e for e in at.expander if e.label == "How we measure").markdown
    )
    for name in ("Delivered to plan", "Realizing value", "Value vs expected", "Value at risk"):
        assert f"**{name}**" in how


def test_the_pdf_uses_the_apps_names(app_on, demo_db):
    from ui.cache import briefing

    at = app_on(demo_db, "review")
    view = at.session_state["_view"]
    pdf = briefing(str(demo_db), view.generation, view.as_of, view.filters)
    words = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Realizing value" in words
    for other in OTHER_NAMES:
        assert other not in words


# No "None", one money format, one date format --------------------------------------------


def _gaps_store(path: Path) -> Path:
    """Two quarters of a portfolio full of blanks: no sponsor, no owner, no planned value,
    a project late with no budget, a benefit that falls behind."""
    projects = [
        project("L1", name="Late, no budget", start_date=D(2025, 7, 1),
                baseline_end=D(2026, 3, 31), forecast_end=D(2026, 9, 30)),
        project("L2", name="Over budget", sponsor="Ann Lee", start_date=D(2025, 7, 1),
                baseline_end=D(2026, 12, 31), forecast_end=D(2026, 12, 31), budget=4e6,
                actual_cost=1e6, forecast_cost=5e6),
        project("W1", name="Watermelon", start_date=D(2025, 7, 1), baseline_end=D(2026, 12, 31),
                forecast_end=D(2026, 12, 31), rag="green"),
    ]  # fmt: skip
    benefits = [
        benefit("U1", "L1", kpi="Churn", start_date=D(2025, 10, 1), target_date=D(2026, 12, 1)),
        benefit("W1a", "W1", kpi="Sales", start_date=D(2026, 1, 1), target_date=D(2026, 12, 27)),
        benefit("L2a", "L2", kpi="Cost", start_date=D(2026, 1, 1), target_date=D(2026, 12, 27),
                planned_value=4e6, owner="Bo Yu"),
    ]  # fmt: skip
    before = [measurement("W1a", D(2026, 3, 1), 20.0), measurement("L2a", D(2026, 3, 1), 20.0)]
    after = [*before, measurement("W1a", A, 0.0), measurement("L2a", A, 10.0)]
    store = open_store(str(path))
    store.commit_snapshot(snapshot(projects, benefits, before), as_of=D(2026, 3, 31),
                          content_hash="g0")  # fmt: skip
    store.commit_snapshot(snapshot(projects, benefits, after), as_of=A, content_hash="g1")
    return path


@pytest.mark.parametrize("page", ["outcomes", "delivery", "review", "project"])
def test_no_table_shows_none_and_money_and_dates_read_one_way(app_on, tmp_path, page):
    at = app_on(_gaps_store(tmp_path / "gaps.duckdb"), page, project="L1")
    tables = [shown_rows(d) for d in at.dataframe]
    assert tables, "the page shows its tables"
    for rows in tables:
        for row in rows:
            for column, text in row.items():
                assert text != "None" and text is not None, (page, column, row)
                if column in ("At stake", "Value at risk"):
                    assert re.fullmatch(r"\$\d+(\.\d)?[KMB]?|—", str(text)), (column, text)
                if column in ("Last measured", "Due since"):
                    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}|never|—", text), text
    words = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", words)  # dates read 31 Mar 2026, never ISO
