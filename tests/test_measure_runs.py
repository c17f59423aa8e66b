"""Measurement runs end to end on real stores: the due sources measured and committed in one
transaction with their provenance, failures recorded without a value, "Run now" previewed
before it commits, `cockpit measure` and its exit codes, evidence and staleness."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import polars as pl
import pytest

from cockpit.cli import main
from connectors.ingest import ingest
from connectors.measure.connections import connections_from
from connectors.measure.run import commit_preview, preview, run_due, sources_overview
from domain.measure import query_hash
from domain.settings import Settings
from metrics.evaluate import evaluate
from metrics.report import build_report
from store import open_store
from tests.sheets import BENEFIT, MEASUREMENT, csv_file, dump, rows, snapshot_files
from tests.support.jira_helpers import config_for
from tests.support.postgres import PostgresServer

AS_OF = dt.date(2026, 9, 30)
QUERY = "SELECT value FROM kpi WHERE day::DATE <= :as_of ORDER BY day DESC LIMIT 1"
BENEFITS = rows(
    BENEFIT,
    {"benefit_id": "B1", "planned_value": "1000", "start_date": "2026-01-01"},
    {"benefit_id": "B2", "planned_value": "1000", "start_date": "2026-01-01"},
    {"benefit_id": "B3", "planned_value": "1000", "start_date": "2026-01-01"},
)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kpi (day TEXT, value REAL)")
        db.executemany("INSERT INTO kpi VALUES (?, ?)", [("2026-08-31", 2.5), ("2026-09-30", 2.75)])
    return path


def sources_csv(*sources: dict[str, str]):
    return csv_file("measurement_sources.csv", list(sources))


def sql_source(benefit: str, connection: str = "wh", query: str = QUERY, **more: str) -> dict:
    return {"benefit_id": benefit, "kind": "sql", "connection": connection, "query": query, **more}


@pytest.fixture
def measured_store(store, warehouse):
    files = [
        *snapshot_files(benefits=BENEFITS, measurements=rows(MEASUREMENT)),
        sources_csv(sql_source("B1"), sql_source("B2", "nowhere")),
    ]
    assert ingest(store, files, AS_OF).commit is not None
    return store


def conns(warehouse: Path, **more: dict) -> object:
    return connections_from({"wh": {"url": f"sqlite://{warehouse}"}, **more}, env={})


def test_a_run_commits_values_with_provenance_and_records_failures(measured_store, warehouse):
    store = measured_store
    _, commit = run_due(store, conns(warehouse), as_of=AS_OF, actor="cron")
    assert commit is not None and (commit.n_values, commit.n_failed) == (1, 1)
    assert "1 of 2 source(s) measured" in commit.message

    series = store.measurements().filter(pl.col("measured_at") == AS_OF)
    b1 = series.filter(pl.col("benefit_id") == "B1").row(0, named=True)
    assert (b1["value"], b1["evidence"], b1["source"]) == (2.75, "sourced", "sql: wh")
    assert series.filter(pl.col("benefit_id") == "B2").height == 0  # a failure writes no value

    provenance = store.measurement_provenance().row(0, named=True)
    assert provenance["benefit_id"] == "B1" and provenance["connection"] == "wh"
    assert provenance["query_hash"] == query_hash(QUERY) and provenance["raw_result"] == "2.75"
    assert provenance["ran_at"] is not None

    results = store.measure_results().sort("benefit_id")
    assert results["error"][0] is None
    assert "'nowhere' is not configured" in results["error"][1]
    assert results["value"][1] is None
    audit = store.audit_log().filter(pl.col("action") == "measure").row(0, named=True)
    assert audit["actor"] == "cron" and json.loads(audit["detail"])["failed"] == 1


def test_the_earlier_typed_value_of_the_same_date_is_replaced_and_logged(store, warehouse):
    typed = rows(MEASUREMENT, {"measured_at": "2026-09-30", "value": "2.5"})
    files = [*snapshot_files(benefits=BENEFITS, measurements=typed), sources_csv(sql_source("B1"))]
    assert ingest(store, files, AS_OF).commit is not None
    _, commit = run_due(store, conns(warehouse), as_of=AS_OF)
    assert commit.replaced == 1
    replaced = store.audit_log().filter(pl.col("action") == "measurement_replaced")
    assert json.loads(replaced["detail"][0])["new_value"] == 2.75
    # deleting the run's snapshot gives the typed value back
    store.delete_snapshot(commit.snapshot_id)
    row = store.measurements().filter(pl.col("measured_at") == AS_OF).row(0, named=True)
    assert (row["value"], row["evidence"]) == (2.5, "typed")


def test_sources_are_run_when_due(measured_store, warehouse):
    store, connections = measured_store, conns(warehouse)
    run_due(store, connections, as_of=AS_OF)
    # the failing one is tried again; the weekly one that gave a value is not due
    run, _ = run_due(store, connections, as_of=AS_OF + dt.timedelta(days=6))
    assert run.results["benefit_id"].to_list() == ["B2"]
    run, _ = run_due(store, connections, as_of=AS_OF + dt.timedelta(days=7))
    assert sorted(run.results["benefit_id"].to_list()) == ["B1", "B2"]
    # --benefit runs a source whether due or not
    run, _ = run_due(store, connections, as_of=AS_OF + dt.timedelta(days=8), benefit_ids=["B1"])
    assert run.results["benefit_id"].to_list() == ["B1"]
    # a changed query is due at once
    changed = sql_source("B1", query=QUERY.replace("LIMIT 1", "LIMIT 1 -- v2"), schedule="monthly")
    ingest(store, [sources_csv(changed)], AS_OF + dt.timedelta(days=8))
    run, _ = run_due(store, connections, as_of=AS_OF + dt.timedelta(days=9))
    assert "B1" in run.results["benefit_id"].to_list()


def test_run_now_previews_without_committing_then_commits_what_was_shown(measured_store, warehouse):
    store = measured_store
    before = dump(store)
    run = preview(store, conns(warehouse), as_of=AS_OF)
    shown = run.results.sort("benefit_id").select("benefit_id", "value", "error").rows()
    assert shown[0] == ("B1", 2.75, None) and shown[1][1] is None and "nowhere" in shown[1][2]
    assert dump(store) == before  # nothing written
    commit = commit_preview(store, run)
    assert commit.n_values == 1
    assert store.measure_results()["run_id"].unique().to_list() == [commit.run_id]


def test_the_data_pages_list_of_sources_shows_failures_first_with_owners(measured_store, warehouse):
    store = measured_store
    run_due(store, conns(warehouse), as_of=AS_OF)
    run_due(store, conns(warehouse), as_of=AS_OF + dt.timedelta(days=1))
    overview = sources_overview(store, AS_OF + dt.timedelta(days=1))
    first, second = overview.row(0, named=True), overview.row(1, named=True)
    assert first["benefit_id"] == "B2" and first["failing"] and "nowhere" in first["last_error"]
    b2_runs = store.measure_results(["B2"])["ran_at"]
    assert b2_runs.len() == 2 and first["failing_since"] == b2_runs.min()  # its first failure
    assert second["benefit_id"] == "B1" and not second["failing"] and second["last_value"] == 2.75
    assert second["next_due"] == AS_OF + dt.timedelta(days=7)
    assert "owner" in overview.columns


def test_a_source_failing_longer_than_stale_after_days_leaves_its_benefit_unmeasured(
    measured_store, warehouse, tmp_path
):
    store = measured_store
    run_due(store, conns(warehouse), as_of=AS_OF)
    broken = connections_from({"wh": {"url": f"sqlite://{tmp_path}/gone.sqlite"}}, env={})
    later = AS_OF + dt.timedelta(days=121)
    _, commit = run_due(store, broken, as_of=later, benefit_ids=["B1"])
    assert commit.n_failed == 1 and commit.snapshot_id is None

    def status(day: dt.date) -> dict:
        report = build_report(evaluate(store.portfolio_input(day), Settings()), day)
        return next(b for b in report["benefits"] if b["benefit_id"] == "B1")

    assert status(AS_OF + dt.timedelta(days=120))["status"] != "unmeasured"
    gone = status(later)
    assert gone["status"] == "unmeasured" and gone["evidence"] == "sourced"


def test_every_kind_in_one_run(store, warehouse, fake_jira, httpserver, tmp_path):
    from tests.support.jira_data import generated

    site = fake_jira(generated(12))
    httpserver.expect_request("/api/kpi/b3").respond_with_json({"data": [{"value": 41}]})
    files = [
        *snapshot_files(benefits=BENEFITS, measurements=rows(MEASUREMENT)),
        sources_csv(
            sql_source("B1"),
            {"benefit_id": "B2", "kind": "jira", "query": "project = GEN"},
            {"benefit_id": "B3", "kind": "http", "connection": "bi", "query": "/kpi/b3",
             "value_path": "data.0.value"},
        ),
    ]  # fmt: skip
    assert ingest(store, files, AS_OF).commit is not None
    connections = conns(warehouse, bi={"url": httpserver.url_for("/api"), "token": "t0k3n-abc"})
    run, commit = run_due(store, connections, config_for(site), as_of=AS_OF)
    values = dict(run.results.select("benefit_id", "value").rows())
    assert values == {"B1": 2.75, "B2": 12.0, "B3": 41.0}
    assert commit.n_failed == 0
    kinds = store.measurement_provenance().select("benefit_id", "kind").sort("benefit_id").rows()
    assert kinds == [("B1", "sql"), ("B2", "jira"), ("B3", "http")]


# The command ----------------------------------------------------------------------------


def test_cockpit_measure_exit_codes_and_output(
    measured_store, warehouse, db_path, capsys, monkeypatch
):
    monkeypatch.setenv("COCKPIT_SOURCE_WH_URL", f"sqlite://{warehouse}")
    code = main(["measure", "--as-of", "2026-09-30", "--db", str(db_path)])
    captured = capsys.readouterr()
    assert code == 1  # a source failed; the other's value is committed
    assert "B1 (sql, wh): 2.75" in captured.out
    assert "Measurement run #1 as of 2026-09-30: 1 of 2 source(s) measured" in captured.out
    assert "B2 (sql, nowhere): FAILED: The connection 'nowhere' is not configured" in captured.err

    monkeypatch.setenv("COCKPIT_SOURCE_NOWHERE_URL", f"sqlite://{warehouse}")
    code = main(["measure", "--as-of", "2026-09-30", "--db", str(db_path)])
    assert code == 0 and "1 of 1 source(s) measured" in capsys.readouterr().out
    code = main(["measure", "--as-of", "2026-09-30", "--db", str(db_path)])
    assert code == 0 and "No measurement source is due" in capsys.readouterr().out
    code = main(["measure", "--benefit", "B9", "--db", str(db_path)])
    assert code == 2 and "no measurement source for B9" in capsys.readouterr().err
    secrets = Path(db_path).parent / "bad.toml"
    secrets.write_text("[sources.wh]\nurl = 'x'\nport = 1\n")
    code = main(["measure", "--secrets", str(secrets), "--db", str(db_path)])
    assert code == 2 and "unknown setting(s) port" in capsys.readouterr().err


def test_wrong_credentials_are_never_echoed_anywhere(
    postgres: PostgresServer, store, db_path, capsys, monkeypatch
):
    name = postgres.create_database("measure_creds")
    postgres.psql("CREATE TABLE t (v int); INSERT INTO t VALUES (7);", name)
    files = [
        *snapshot_files(benefits=BENEFITS, measurements=rows(MEASUREMENT)),
        sources_csv(sql_source("B1", "pg", "SELECT v FROM t")),
    ]
    assert ingest(store, files, AS_OF).commit is not None
    wrong = "Wr0ng-Measure-Pa55word"
    url = f"postgresql://{postgres.user}@127.0.0.1:{postgres.port}/{name}"
    monkeypatch.setenv("COCKPIT_SOURCE_PG_URL", url)
    monkeypatch.setenv("COCKPIT_SOURCE_PG_PASSWORD", wrong)
    code = main(["measure", "--as-of", "2026-09-30", "--db", str(db_path)])
    captured = capsys.readouterr()
    assert code == 1 and "password authentication failed" in captured.err
    assert wrong not in captured.out + captured.err
    reopened = open_store(str(db_path))
    assert wrong not in repr(dump(reopened))
    monkeypatch.setenv("COCKPIT_SOURCE_PG_PASSWORD", postgres.password)
    assert main(["measure", "--as-of", "2026-09-30", "--db", str(db_path)]) == 0
    assert "B1 (sql, pg): 7" in capsys.readouterr().out
