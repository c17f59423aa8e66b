"""The measurement_sources table: uploaded like the others, validated with row and column,
stored with the upload that defined it, audited, never holding a password."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from connectors.ingest import ingest
from connectors.sheets import load_files
from store import open_store
from tests.sheets import AS_OF, csv_file, dump, rows, snapshot_files

SOURCE = {
    "benefit_id": "B1",
    "kind": "sql",
    "connection": "warehouse",
    "query": "SELECT avg(x) FROM t WHERE day <= :as_of",
}


def sources_file(*changes: dict[str, object]) -> object:
    return csv_file("measurement_sources.csv", rows(SOURCE, *changes))


def errors(result) -> list[tuple[str | None, int | None, str | None, str]]:
    return [(p.table, p.row, p.column, p.problem) for p in result.errors]


def test_a_source_uploaded_with_its_snapshot_is_stored_with_defaults():
    result = load_files([*snapshot_files(), sources_file({"kind": " SQL "})], AS_OF)
    assert result.ok, [p.line() for p in result.errors]
    source = result.frames.sources.row(0, named=True)
    assert source["kind"] == "sql" and source["schedule"] == "weekly"
    assert result.frames.counts["measurement_sources"] == 1


def test_a_source_for_an_unknown_benefit_is_refused_with_row_and_column():
    result = load_files([*snapshot_files(), sources_file({}, {"benefit_id": "B9"})], AS_OF)
    assert not result.ok
    assert (
        "measurement_sources",
        3,
        "benefit_id",
        "is not a benefit of this or an earlier snapshot",
    ) in errors(result)


def test_a_benefit_of_an_earlier_snapshot_may_get_a_source_alone(store):
    assert ingest(store, snapshot_files(), AS_OF).commit is not None
    outcome = ingest(store, [sources_file()], AS_OF + dt.timedelta(days=1))
    assert outcome.commit is not None, [p.line() for p in outcome.result.errors]
    assert outcome.commit.kind == "measurements"
    assert store.measurement_sources()["benefit_id"].to_list() == ["B1"]


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"kind": "soap"}, "kind", "is not one of sql, jira, http"),
        ({"connection": ""}, "connection", "is required for sql and http sources"),
        (
            {"connection": "postgres://db.example/x"},
            "connection",
            "is a URL, not the name of a connection",
        ),
        ({"connection": "my warehouse"}, "connection", "is not a connection name"),
        ({"query": "DELETE FROM t"}, "query", "does not start with SELECT, WITH or FROM"),
        ({"kind": "http", "query": "/x"}, "value_path", "is required for http sources"),
        (
            {"kind": "http", "query": "https://bi.example/x", "value_path": "a.0"},
            "query",
            "is a full URL",
        ),
        ({"kind": "http", "query": "/x", "value_path": "data. 0"}, "value_path", "is not a path"),
        ({"schedule": "hourly"}, "schedule", "is not one of daily, weekly, monthly"),
        ({"query": ""}, "query", "is required but empty"),
    ],
)
def test_each_rule_names_row_and_column(change, column, message):
    result = load_files([*snapshot_files(), sources_file(change)], AS_OF)
    assert not result.ok
    found = [(p.row, p.column) for p in result.errors if p.problem.startswith(message)]
    assert found == [(2, column)], errors(result)


def test_one_source_per_benefit():
    result = load_files([*snapshot_files(), sources_file({}, {"schedule": "daily"})], AS_OF)
    repeated = [p.row for p in result.errors if "more than one source" in p.problem]
    assert repeated == [2, 3]


def test_a_url_with_a_password_is_refused_and_never_echoed(store, capsys):
    secret = "hunter2-Sup3r"
    files = [*snapshot_files(), sources_file({"connection": f"postgresql://bob:{secret}@db/x"})]
    result = load_files(files, AS_OF)
    assert not result.ok
    problem = next(p for p in result.errors if p.column == "connection")
    assert "password" in problem.problem and problem.value == "postgresql://bob:***@db/x"
    assert secret not in repr(result.problems) + repr(result.causes)
    assert secret not in repr(result.preview("measurement_sources").to_dicts())
    # and through the whole upload path: nothing written, nothing shown
    before = dump(store)
    assert ingest(store, files, AS_OF).commit is None
    assert dump(store) == before


def test_jira_sources_ignore_a_connection_with_a_warning():
    change = {"kind": "jira", "query": "project = OPS AND type = Incident", "connection": "x"}
    result = load_files([*snapshot_files(), sources_file(change)], AS_OF)
    assert result.ok
    assert any(p.column == "connection" and p.severity == "warning" for p in result.warnings)


def test_definitions_are_audited_and_the_newest_is_in_force(store):
    first = ingest(store, [*snapshot_files(), sources_file()], AS_OF, actor="ana")
    assert first.commit is not None
    same = ingest(store, [sources_file()], AS_OF + dt.timedelta(days=1), actor="ana")
    assert same.commit is not None
    changed = ingest(
        store, [sources_file({"schedule": "daily"})], AS_OF + dt.timedelta(days=2), actor="bo"
    )
    assert changed.commit is not None
    assert store.measurement_sources()["schedule"].to_list() == ["daily"]
    audit = store.audit_log().filter(pl.col("action") == "measurement_source")
    # the first definition and the change; the same definition again changed nothing
    assert audit["actor"].to_list() == ["bo", "ana"]
    detail = json.loads(audit["detail"][0])
    assert detail["schedule"] == "daily" and detail["was"] == detail["query_hash"]
    assert "SELECT" not in audit["detail"][0]  # the query is kept as a hash in the log

    # deleting the upload that changed it brings the earlier definition back
    store.delete_snapshot(changed.commit.snapshot_id, actor="bo")
    assert store.measurement_sources()["schedule"].to_list() == ["weekly"]


def test_removing_a_source_is_undoable(store):
    assert ingest(store, [*snapshot_files(), sources_file()], AS_OF).commit is not None
    message = store.remove_measurement_sources(["B1"], actor="ana")
    assert "removed" in message
    assert store.measurement_sources().height == 0
    removed = store.audit_log().filter(pl.col("action") == "measurement_source_removed")
    assert removed["target"].to_list() == ["B1"]
    assert "nothing was changed" in store.remove_measurement_sources(["B1"])
    snapshot = int(store.snapshots()["snapshot_id"].max())
    store.delete_snapshot(snapshot)
    assert store.measurement_sources()["benefit_id"].to_list() == ["B1"]


def test_a_source_whose_benefit_was_deleted_is_no_longer_in_force(store):
    outcome = ingest(store, [*snapshot_files(), sources_file()], AS_OF)
    store.delete_snapshot(outcome.commit.snapshot_id)
    assert store.measurement_sources().height == 0


def test_sources_survive_reopening_a_lake(sqlite_lake):
    store = open_store(sqlite_lake)
    assert ingest(store, [*snapshot_files(), sources_file()], AS_OF).commit is not None
    assert store.measurement_sources()["connection"].to_list() == ["warehouse"]


def test_sources_cross_from_the_upload_child_process(store):
    """The check runs in a child process; the sources must arrive with the frames."""
    from connectors.ingest import validate

    result = validate(store, [*snapshot_files(), sources_file()], AS_OF)
    assert result.ok and result.frames.sources["benefit_id"].to_list() == ["B1"]
