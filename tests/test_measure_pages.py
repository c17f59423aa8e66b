"""Evidence on the pages under AppTest: the Overview's evidenced share, each value marked
sourced or typed (Outcomes' benefit card, the Project page's benefits, the trajectories'
hover), "How we measure", and the Data page's sources: the failing ones with their errors
and owners, and "Run now" (editors) showing each source's value or error before it
commits, here against a real PostgreSQL on loopback."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from connectors.ingest import ingest
from domain.formats import money, pct
from domain.measure import query_hash
from metrics.evaluate import evaluate
from metrics.report import build_report
from store import close_all, open_store
from tests.sheets import BENEFIT, MEASUREMENT, csv_file, rows, snapshot_files
from tests.support.markdown import shown
from tests.support.postgres import PostgresServer

APP = str(Path(__file__).resolve().parent.parent / "app.py")
AS_OF = dt.date(2026, 9, 30)


@pytest.fixture
def app_on(monkeypatch):
    def make(db: Path, page: str = "overview", **params: str) -> AppTest:
        monkeypatch.setenv("COCKPIT_DB", str(db))
        at = AppTest.from_file(APP, default_timeout=90)
        for name, value in params.items():
            at.query_params[name] = value
        if page != "overview":
            at.switch_page(f"views/{page}.py")
        at.run()
        assert not at.exception, at.exception
        return at

    return make


def _markdown(at: AppTest) -> list[str]:
    """The Markdown shown, escapes and bold marks removed."""
    return [shown(m.value).replace("**", "") for m in at.markdown]


def _report(db: Path) -> dict:
    store = open_store(str(db))
    portfolio = store.portfolio_input()
    report = build_report(evaluate(portfolio, store.settings()), portfolio.snapshot_as_of)
    close_all()
    return report


def test_the_overview_says_how_much_of_the_value_realized_is_evidenced(app_on, demo_db):
    figures = _report(demo_db)["portfolio"]
    at = app_on(demo_db)
    line = next(m for m in _markdown(at) if "Value evidenced:" in m)
    assert f"Evidenced: {pct(figures['evidenced_share'])} of the benefits due" in line
    assert 0 < figures["evidenced_share"] < 1
    assert "rests on measurement sources" in line and "Value claimed:" in line
    help_text = next(m.help for m in at.markdown if "Value evidenced:" in m.value)
    assert "measurement source" in help_text


def test_without_its_measurement_runs_the_demo_shows_nothing_evidenced(app_on, demo_db):
    store = open_store(str(demo_db))
    runs = store.snapshots().filter(pl.col("kind") == "measure")
    assert runs.height == 3
    for snapshot_id in runs["snapshot_id"]:
        store.delete_snapshot(int(snapshot_id), actor="test")
    close_all()
    figures = _report(demo_db)["portfolio"]
    at = app_on(demo_db)
    line = next(m for m in _markdown(at) if "Value evidenced:" in m)
    assert line.startswith(":material/verified: Value evidenced: $0")
    assert f"Value claimed: {money(figures['claimed_value'])} was typed in" in line
    assert line.endswith("Evidenced: 0% of the benefits due")


def _sourced_and_typed(db: Path) -> tuple[dict, dict]:
    """A due benefit of the demo whose latest value is sourced, and one whose is typed,
    each with its KPI and its project's name."""
    figures = pl.DataFrame(_report(db)["benefits"]).filter(pl.col("status") != "not_due")
    store = open_store(str(db))
    snapshot_id, _ = store.resolve_snapshot()
    names = store.projects(snapshot_id).select("project_id", pl.col("name").alias("project"))
    kpis = store.benefits(snapshot_id).select("benefit_id", "kpi")
    close_all()
    benefits = figures.join(kpis, on="benefit_id").join(names, on="project_id")
    sourced = benefits.filter(pl.col("evidence") == "sourced").row(0, named=True)
    typed = benefits.filter(pl.col("evidence") == "typed").row(0, named=True)
    return sourced, typed


def test_the_outcomes_card_says_what_the_value_rests_on(app_on, demo_db):
    sourced, typed = _sourced_and_typed(demo_db)
    at = app_on(demo_db, "outcomes")
    for benefit, words in ((sourced, "Sourced · sql: demo_warehouse"), (typed, "Typed")):
        at.selectbox(key="benefit").set_value(f"{benefit['kpi']} · {benefit['project']}").run()
        assert not at.exception
        card = next(m for m in _markdown(at) if "Last measured:" in m)
        assert f"Measured by: {words}" in card


def test_the_project_page_marks_each_benefit_sourced_or_typed(app_on, demo_db):
    sourced, _ = _sourced_and_typed(demo_db)
    at = app_on(demo_db, "project", project=sourced["project_id"])
    table = next(d.value for d in at.dataframe if "Measured by" in d.value.columns)
    marks = dict(zip(table["Benefit"], table["Measured by"], strict=True))
    assert marks[sourced["kpi"]] == "Sourced · sql: demo_warehouse"
    assert all(str(m).startswith(("Sourced", "Typed", "—")) for m in marks.values())


def test_how_we_measure_explains_evidence(app_on, demo_db):
    at = app_on(demo_db)
    at.session_state["how_we_measure"] = True  # written only once opened
    at.run()
    text = " ".join(" ".join(_markdown(at)).split())
    assert "Evidence: how much of the value rests on a measured number?" in text
    assert "Evidenced: the share of the benefits due whose latest measurement" in text
    assert "Value evidenced and Value claimed: the value realized by" in text
    assert "after 120 days the benefit counts as unmeasured" in text


# --- the Data page's sources ---------------------------------------------------------------


def _sources_tab(data_page, db: Path, user: str | None = None) -> AppTest:
    at = data_page(db, user)
    at.session_state["tab"] = "Sources"
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_data_page_lists_sources_and_the_failing_ones_with_errors_and_owners(
    data_page, demo_db
):
    at = _sources_tab(data_page, demo_db)
    assert "Measurement sources" in [s.value for s in at.subheader]
    every = _table(at, "Query")
    assert len(every) == 41 and set(every["Connection"]) == {"demo_warehouse"}
    assert "Failing sources: 1" in _markdown(at)
    failing = every[every["State"] == "failing"].iloc[0]
    card = next(m for m in _markdown(at) if m.startswith(f"{failing['Benefit']} · "))
    assert f"owner {failing['Owner']}" in card and "failing since" in card
    (error,) = [c.value for c in at.code if "contact_centre_daily" in c.value]
    assert error.startswith("the query failed: Catalog Error: Table with name contact_centre_daily")


PG_QUERY = "SELECT sum(amount) FROM orders WHERE placed <= :as_of"


@pytest.fixture
def pg_warehouse(postgres: PostgresServer, tmp_path: Path) -> str:
    name = postgres.create_database(f"pages_{tmp_path.name.lower().replace('-', '_')}"[:60])
    postgres.psql(
        "CREATE TABLE orders (id int, placed date, amount numeric);"
        "INSERT INTO orders VALUES (1, '2026-08-01', 4.5), (2, '2026-09-15', 6), "
        "(3, '2026-11-01', 100);",
        name,
    )
    return f"postgresql://{postgres.user}@127.0.0.1:{postgres.port}/{name}"


@pytest.fixture
def sourced_store(db_path, pg_warehouse, postgres, monkeypatch) -> Path:
    """One snapshot whose benefit B1 is measured by a PostgreSQL query and B2 by a
    connection nobody configured."""
    benefits = rows(
        BENEFIT,
        {"benefit_id": "B1", "kpi": "Orders value", "planned_value": "1000"},
        {"benefit_id": "B2", "kpi": "Tickets closed", "planned_value": "1000"},
    )
    sources = [
        {"benefit_id": "B1", "kind": "sql", "connection": "warehouse", "query": PG_QUERY},
        {"benefit_id": "B2", "kind": "sql", "connection": "nowhere", "query": "SELECT 1"},
    ]
    files = [
        *snapshot_files(benefits=benefits, measurements=rows(MEASUREMENT)),
        csv_file("measurement_sources.csv", sources),
    ]
    assert ingest(open_store(str(db_path)), files, AS_OF).commit is not None
    close_all()
    monkeypatch.setenv("COCKPIT_SOURCE_WAREHOUSE_URL", pg_warehouse)
    monkeypatch.setenv("COCKPIT_SOURCE_WAREHOUSE_PASSWORD", postgres.password)
    return db_path


def _button(at: AppTest, starts: str):
    return next(b for b in at.button if shown(b.label).startswith(starts))


def test_run_now_shows_each_value_or_error_then_commits_and_the_project_page_shows_it(
    data_page, app_on, sourced_store, postgres
):
    at = _sources_tab(data_page, sourced_store)
    assert _table(at, "Query")["State"].to_list() == ["not run yet", "not run yet"]
    at.date_input(key="measure_as_of").set_value(AS_OF)
    _button(at, "Run now").click().run()
    assert not at.exception, at.exception
    preview = _table(at, "Seconds")
    by_benefit = preview.set_index("Benefit")
    assert by_benefit.loc["B1", "Value"] == 10.5  # the orders placed by 30 Sep, not after
    assert "'nowhere' is not configured" in by_benefit.loc["B2", "Error"]
    assert postgres.password not in preview.to_string()
    assert open_store(str(sourced_store)).measure_runs().height == 0  # nothing written yet

    _button(at, "Commit 1 value").click().run()
    assert not at.exception, at.exception
    assert any("1 of 2 source(s) measured" in shown(s.value) for s in at.success)
    assert "Failing sources: 1" in _markdown(at)
    assert any(m.startswith("B2 · Tickets closed · ") for m in _markdown(at))
    assert any("'nowhere' is not configured" in c.value for c in at.code)

    project = app_on(sourced_store, "project")
    table = next(d.value for d in project.dataframe if "Measured by" in d.value.columns)
    marks = dict(zip(table["Benefit"], table["Measured by"], strict=True))
    assert marks["Orders value"] == "Sourced · sql: warehouse"
    runs = dict(zip(table["Benefit"], table["Measurement run"], strict=True))
    assert re.fullmatch(
        rf"ran \d+ \w{{3}} \d{{4}} \d\d:\d\d UTC · query {query_hash(PG_QUERY)} · raw 10\.5\d*",
        runs["Orders value"],
    ), runs
    assert runs["Tickets closed"] in (None, "—") or runs["Tickets closed"] != runs["Tickets closed"]


def test_run_now_can_be_discarded_and_writes_nothing(data_page, sourced_store):
    at = _sources_tab(data_page, sourced_store)
    at.date_input(key="measure_as_of").set_value(AS_OF)
    _button(at, "Run now").click().run()
    _button(at, "Discard").click().run()
    assert not at.exception
    assert any(shown(b.label) == "Run now" for b in at.button)
    assert open_store(str(sourced_store)).measure_runs().height == 0


def test_only_editors_may_run_sources(data_page, sourced_store, monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_READ_ONLY", "1")
    at = _sources_tab(data_page, sourced_store)
    assert len(_table(at, "Query")) == 2  # viewers see the sources
    assert not any(shown(b.label) == "Run now" for b in at.button)
    assert any("Only editors can run the sources." in c.value for c in at.caption)


def test_an_editor_can_take_a_source_away(data_page, sourced_store):
    at = _sources_tab(data_page, sourced_store)
    at.multiselect(key="measure_remove").set_value(["B2"]).run()
    _button(at, "Take away").click().run()
    assert not at.exception, at.exception
    assert any("The source of 1 benefit(s) was removed" in shown(s.value) for s in at.success)
    assert _table(at, "Query")["Benefit"].to_list() == ["B1"]
    assert open_store(str(sourced_store)).measurement_sources()["benefit_id"].to_list() == ["B1"]


def test_a_hostile_source_and_its_error_show_as_text(data_page, db_path, tmp_path):
    """A KPI, an owner and a query (echoed in the error) that are attacks: the Sources tab
    sends them as text (tests/test_hostile_pages.py's checks)."""
    import sqlite3

    from connectors.measure.connections import connections_from
    from connectors.measure.run import run_due
    from tests.support.hostile_text import IMG_TAG, LINK
    from tests.test_hostile_pages import _assert_inert, _rendered

    warehouse = tmp_path / "warehouse.sqlite"
    sqlite3.connect(warehouse).close()
    benefits = rows(BENEFIT, {"benefit_id": "B1", "kpi": IMG_TAG, "owner": LINK})
    query = f"SELECT '{IMG_TAG}' AS value"  # text, not a number: a failure quoting it
    files = [
        *snapshot_files(benefits=benefits, measurements=rows(MEASUREMENT)),
        csv_file(
            "measurement_sources.csv",
            [{"benefit_id": "B1", "kind": "sql", "connection": "wh", "query": query}],
        ),
    ]
    store = open_store(str(db_path))
    assert ingest(store, files, AS_OF).commit is not None
    connections = connections_from({"wh": {"url": f"sqlite://{warehouse}"}}, env={})
    _, commit = run_due(store, connections, as_of=AS_OF)
    assert commit is not None and commit.n_failed == 1
    close_all()

    at = _sources_tab(data_page, db_path)
    rendered = _rendered(at)
    _assert_inert(rendered)
    card = next(shown(t) for t in rendered["markdown"] if t.startswith("**B1**"))
    assert card.startswith(f"**B1** · {IMG_TAG} · owner {LINK} · failing since "), card
    assert any(IMG_TAG in c.value for c in at.code)  # the error quotes the text, as text
