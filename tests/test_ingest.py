"""Uploads through to the store: whole or nothing, supersede, restore, no-op, measurement
corrections, history with changes, and uploads racing each other."""

from __future__ import annotations

import datetime as dt
import json
import threading

import polars as pl
import pytest

from connectors import ingest as ingest_module
from connectors.ingest import ingest, validate
from connectors.sheets.read import SourceFile
from store import StoreConflictError
from tests.factories import measurement, snapshot
from tests.sheets import AS_OF, BENEFIT, MEASUREMENT, PROJECT, csv_file, dump, rows, snapshot_files

D = dt.date


def committed(store, files, as_of=AS_OF, **kwargs):
    outcome = ingest(store, files, as_of, **kwargs)
    assert outcome.commit is not None, [p.line() for p in outcome.result.errors]
    return outcome.commit


def test_byte_identical_content_again_is_a_noop_that_says_so(store):
    first = committed(store, snapshot_files())
    before = dump(store)
    renamed = [SourceFile("copy of " + f.name, f.data) for f in snapshot_files()]
    again = committed(store, renamed)
    assert again.noop and again.snapshot_id == first.snapshot_id
    assert "already loaded" in again.message
    assert dump(store) == before


def test_same_date_supersedes_and_the_old_one_can_be_restored(store):
    committed(store, snapshot_files(), actor="ana")
    second = committed(store, snapshot_files(projects=rows(PROJECT, {"name": "Renamed"})))
    assert second.superseded == 1 and "supersedes snapshot #1" in second.message
    assert store.projects(store.resolve_snapshot()[0])["name"].to_list() == ["Renamed"]
    message = store.restore_snapshot(1, actor="ana")
    assert "active again" in message and "#2 is now superseded" in message
    assert store.projects(store.resolve_snapshot()[0])["name"].to_list() == ["Payments"]
    states = dict(store.snapshots().select("snapshot_id", "state").iter_rows())
    assert states == {1: "active", 2: "superseded"}


def test_a_delete_is_undone_to_the_state_it_had(store):
    committed(store, snapshot_files())
    committed(store, snapshot_files(projects=rows(PROJECT, {"name": "Renamed"})))
    store.delete_snapshot(1, actor="ana")  # the superseded one
    store.undelete_snapshot(1, actor="ana")
    states = dict(store.snapshots().select("snapshot_id", "state").iter_rows())
    assert states == {1: "superseded", 2: "active"}
    store.delete_snapshot(2, actor="ana")
    assert store.resolve_snapshot() is None
    store.undelete_snapshot(2, actor="ana")
    assert store.resolve_snapshot()[0] == 2
    actions = store.audit_log()["action"].to_list()[:4]
    assert actions == ["undelete", "delete", "undelete", "delete"]


def test_a_later_measurement_replaces_the_value_and_the_old_one_is_audited(store):
    committed(store, snapshot_files())
    correction = [csv_file("m.csv", rows(MEASUREMENT, {"value": "2.9"}))]
    result = committed(store, correction, dt.date(2026, 10, 31), actor="ana")
    assert result.kind == "measurements" and result.replaced_measurements == 1
    assert store.measurements()["value"].to_list() == [2.9]
    entry = store.audit_log().filter(pl.col("action") == "measurement_replaced").row(0, named=True)
    assert json.loads(entry["detail"])["old_value"] == 2.4 and entry["actor"] == "ana"
    assert entry["target"] == "B1 @ 2026-08-31"


def test_the_store_keeps_formula_like_text_exactly(store):
    committed(store, snapshot_files(projects=rows(PROJECT, {"name": "=1+1", "owner": "@me"})))
    project = store.projects(1).row(0, named=True)
    assert (project["name"], project["owner"]) == ("=1+1", "@me")


def test_history_says_what_changed_since_the_previous_snapshot(store):
    committed(store, snapshot_files(), D(2026, 8, 31))
    q3 = snapshot_files(
        projects=rows(PROJECT, {"budget": "1,100,000"}, {"project_id": "P2", "name": "New"}),
        benefits=rows(BENEFIT, {}, {"benefit_id": "B2", "project_id": "P2"}),
        measurements=rows(
            MEASUREMENT, {"value": "2.5"}, {"measured_at": "2026-09-30", "value": "2.6"}
        ),
    )
    committed(store, q3, D(2026, 9, 30))
    history = store.snapshot_history()
    latest = history.row(0, named=True)
    assert latest["compared_with"] == 1
    assert (latest["projects_added"], latest["projects_removed"], latest["projects_changed"]) == (
        1,
        0,
        1,
    )
    assert (latest["benefits_added"], latest["benefits_removed"]) == (1, 0)
    assert (latest["measurements_new"], latest["measurements_replaced"]) == (1, 1)
    first = history.row(1, named=True)
    assert first["compared_with"] is None and first["projects_added"] == 1
    changes = store.snapshot_changes(2)
    assert changes.select("table", "id", "change", "columns").rows() == [
        ("projects", "P2", "added", None),
        ("projects", "P1", "changed", "budget"),
        ("benefits", "B2", "added", None),
    ]


def test_a_correction_of_the_same_date_is_compared_with_what_it_replaced(store):
    committed(store, snapshot_files(projects=rows(PROJECT, {}, {"project_id": "P2"})))
    committed(store, snapshot_files())
    latest = store.snapshot_history().row(0, named=True)
    assert latest["compared_with"] == 1 and latest["projects_removed"] == 1


def test_uploads_at_the_same_moment_never_interleave(store):
    errors: list[BaseException] = []

    def upload(i: int) -> None:
        files = snapshot_files(
            projects=[{**PROJECT, "project_id": f"P{j}", "name": f"Run {i}"} for j in range(1, 30)],
            benefits=rows(BENEFIT),
            measurements=rows(MEASUREMENT, {"value": str(i)}),
        )
        try:
            ingest(store, files, D(2026, 9, 1) + dt.timedelta(days=i), actor=f"user{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    snapshots = store.snapshots()
    assert snapshots.height == 8 and snapshots["snapshot_id"].n_unique() == 8
    for snapshot_id, as_of, actor in snapshots.select("snapshot_id", "as_of", "created_by").rows():
        names = store.projects(snapshot_id)["name"].unique().to_list()
        assert names == [f"Run {(as_of - D(2026, 9, 1)).days}"] and actor == f"user{names[0][4:]}"
        assert store.projects(snapshot_id).height == 29


def test_a_benefit_deleted_between_check_and_commit_is_caught(store, monkeypatch):
    committed(store, snapshot_files(), D(2026, 8, 31))
    measurements_only = [csv_file("m.csv", rows(MEASUREMENT, {"measured_at": "2026-09-30"}))]
    assert validate(store, measurements_only, AS_OF).ok
    real_validate = ingest_module.validate
    calls = []

    def validate_then_someone_deletes(*args, **kwargs):
        result = real_validate(*args, **kwargs)
        if not calls:
            store.delete_snapshot(1, actor="someone else")
        calls.append(result.ok)
        return result

    monkeypatch.setattr(ingest_module, "validate", validate_then_someone_deletes)
    outcome = ingest(store, measurements_only, AS_OF)
    assert calls == [True, False]  # checked again after the store refused the commit
    assert outcome.commit is None
    problem = outcome.result.errors[0]
    assert (problem.row, problem.column, problem.value) == (2, "benefit_id", "B1")
    tables = dump(store)
    assert len(tables["snapshots"]) == 1 and len(tables["measurements"]) == 1


def test_the_store_itself_refuses_measurements_of_unknown_benefits(store):
    orphan = snapshot([], [], [measurement("B9", D(2026, 9, 1), 1.0)])
    before = dump(store)
    with pytest.raises(StoreConflictError, match="B9"):
        store.commit_snapshot(orphan, as_of=AS_OF, content_hash="x")
    assert dump(store) == before
