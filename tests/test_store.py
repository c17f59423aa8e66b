"""The store with real DuckDB files: round trip, atomic commits, history, migrations, faults."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from domain.settings import Settings
from store import (
    StoreDamagedError,
    StoreLockedError,
    StoreTooNewError,
    close_all,
    open_store,
)
from store.migrations import LATEST_VERSION, MIGRATIONS, current_version, migrate
from tests.factories import benefit, measurement, project, snapshot

D = dt.date


def small_snapshot(name: str = "Payments") -> object:
    return snapshot(
        [
            project("P1", name=name, baseline_end=D(2026, 6, 30), budget=1_000_000.0),
            project("P2", status="proposed"),
        ],
        [benefit("B1", "P1", target_date=D(2027, 6, 30), planned_value=500_000.0)],
        [measurement("B1", D(2026, 3, 31), 12.5, source="BI")],
    )


def table_dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, to compare a store before and after."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        ]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"').fetchall())) for n in names}
    finally:
        con.close()


def test_round_trip(store, db_path):
    frames = small_snapshot()
    result = store.commit_snapshot(frames, as_of=D(2026, 3, 31), content_hash="h1", source="test")
    assert not result.noop and result.snapshot_id == 1
    close_all()
    reopened = open_store(str(db_path))
    assert_frame_equal(reopened.projects(1).drop("snapshot_id"), frames.projects)
    assert_frame_equal(reopened.benefits(1).drop("snapshot_id"), frames.benefits)
    series = reopened.measurements()
    assert_frame_equal(series.drop("evidence"), frames.measurements)
    assert series["evidence"].to_list() == ["typed"] * series.height  # an upload: typed
    assert reopened.resolve_snapshot(D(2026, 4, 1)) == (1, D(2026, 3, 31))
    assert reopened.resolve_snapshot(D(2026, 3, 30)) is None


def test_failed_commit_leaves_the_store_exactly_as_it_was(store, db_path):
    store.commit_snapshot(small_snapshot(), as_of=D(2026, 3, 31), content_hash="h1")
    broken = small_snapshot()
    # A null project name violates NOT NULL after the snapshot row and other inserts went in.
    broken = type(broken)(
        broken.projects.with_columns(pl.lit(None, pl.String).alias("name")),
        broken.benefits,
        broken.measurements,
    )
    close_all()
    before = table_dump(db_path)
    reopened = open_store(str(db_path))
    with pytest.raises(duckdb.ConstraintException):
        reopened.commit_snapshot(broken, as_of=D(2026, 6, 30), content_hash="h2")
    close_all()
    assert table_dump(db_path) == before


def test_same_content_again_is_a_noop(store):
    first = store.commit_snapshot(small_snapshot(), as_of=D(2026, 3, 31), content_hash="h1")
    again = store.commit_snapshot(small_snapshot(), as_of=D(2026, 3, 31), content_hash="h1")
    assert again.noop and again.snapshot_id == first.snapshot_id
    assert "already loaded" in again.message
    assert store.snapshots().height == 1


def test_same_date_supersedes_and_restore_brings_it_back(store):
    store.commit_snapshot(small_snapshot("Old name"), as_of=D(2026, 3, 31), content_hash="h1")
    second = store.commit_snapshot(
        small_snapshot("New name"), as_of=D(2026, 3, 31), content_hash="h2"
    )
    assert second.superseded == 1
    states = dict(store.snapshots().select("snapshot_id", "state").iter_rows())
    assert states == {1: "superseded", 2: "active"}
    assert store.resolve_snapshot()[0] == 2
    store.restore_snapshot(1, actor="ana")
    assert store.resolve_snapshot()[0] == 1
    assert store.projects(1).filter(pl.col("project_id") == "P1")["name"][0] == "Old name"
    actions = store.audit_log().get_column("action").to_list()
    assert actions[0] == "restore" and "supersede" in actions


def test_delete_is_undoable_and_hides_measurements(store):
    store.commit_snapshot(small_snapshot(), as_of=D(2026, 3, 31), content_hash="h1")
    store.delete_snapshot(1, actor="ana")
    assert store.resolve_snapshot() is None
    assert store.measurements().height == 0
    store.restore_snapshot(1, actor="ana")
    assert store.resolve_snapshot()[0] == 1
    assert store.measurements().height == 1


def test_later_measurement_wins_and_the_old_value_is_audited(store):
    store.commit_snapshot(small_snapshot(), as_of=D(2026, 3, 31), content_hash="h1")
    correction = snapshot([], [], [measurement("B1", D(2026, 3, 31), 14.0)])
    result = store.commit_snapshot(correction, as_of=D(2026, 4, 30), content_hash="m1", actor="ana")
    assert result.kind == "measurements" and result.replaced_measurements == 1
    series = store.measurements()
    assert series.height == 1 and series["value"][0] == 14.0
    replaced = store.audit_log().filter(pl.col("action") == "measurement_replaced")
    assert replaced.height == 1
    assert json.loads(replaced["detail"][0])["old_value"] == 12.5 and replaced["actor"][0] == "ana"


def test_concurrent_commits_never_interleave(store):
    errors: list[BaseException] = []

    def commit(i: int) -> None:
        try:
            store.commit_snapshot(
                small_snapshot(f"Run {i}"),
                as_of=D(2026, 1, 1) + dt.timedelta(days=i),
                content_hash=f"h{i}",
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    snaps = store.snapshots()
    assert sorted(snaps["snapshot_id"].to_list()) == list(range(1, 9))
    for sid, as_of in snaps.select("snapshot_id", "as_of").iter_rows():
        rows = store.projects(sid)
        name = rows.filter(pl.col("project_id") == "P1")["name"][0]
        # Each snapshot holds exactly the rows of the commit that made it.
        assert rows.height == 2 and name == f"Run {(as_of - D(2026, 1, 1)).days}"


def test_settings_are_stored_with_the_data(store, db_path):
    assert store.settings() == Settings()
    store.save_settings(Settings(budget_tolerance=0.1, stale_after_days=90), actor="ana")
    close_all()
    reopened = open_store(str(db_path))
    assert reopened.settings() == Settings(budget_tolerance=0.1, stale_after_days=90)
    assert reopened.audit_log()["action"][0] == "settings"


def test_zero_byte_file_becomes_a_new_store(db_path):
    db_path.touch()
    opened = open_store(str(db_path))
    assert opened.is_empty()
    assert current_version(opened.db.cursor()) == LATEST_VERSION


def test_empty_duckdb_file_is_migrated(db_path):
    duckdb.connect(str(db_path)).close()
    opened = open_store(str(db_path))
    assert current_version(opened.db.cursor()) == LATEST_VERSION
    tables = {
        r[0]
        for r in opened.db.cursor()
        .execute("SELECT table_name FROM information_schema.tables")
        .fetchall()
    }
    assert {"snapshots", "projects", "benefits", "measurements", "settings", "audit_log"} <= tables


@pytest.mark.parametrize("version", [m.version for m in MIGRATIONS])
def test_older_store_is_migrated_on_open(db_path, version):
    con = duckdb.connect(str(db_path))
    migrate(con, target=version)
    assert current_version(con) == version
    con.close()
    opened = open_store(str(db_path))
    assert current_version(opened.db.cursor()) == LATEST_VERSION


def test_newer_store_is_refused_untouched(db_path):
    con = duckdb.connect(str(db_path))
    migrate(con)
    con.execute(
        "INSERT INTO schema_version VALUES (?, current_timestamp::TIMESTAMP)", [LATEST_VERSION + 1]
    )
    con.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    with pytest.raises(StoreTooNewError, match="newer"):
        open_store(str(db_path))
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_damaged_file_is_refused_and_never_overwritten(db_path):
    db_path.write_bytes(b"this is not a database" * 500)
    before = db_path.read_bytes()
    with pytest.raises(StoreDamagedError, match="not a readable DuckDB database"):
        open_store(str(db_path))
    assert db_path.read_bytes() == before


def test_store_locked_by_another_process_gets_a_clear_message(db_path):
    open_store(str(db_path))
    close_all()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db_path)!r}); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match="in use by another process"):
            open_store(str(db_path))
    finally:
        holder.kill()
        holder.wait()


def test_default_location_is_next_to_the_app_not_the_working_directory(monkeypatch, tmp_path):
    from store.location import DEFAULT_CATALOG, DEFAULT_URL, resolve_url

    monkeypatch.delenv("COCKPIT_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_url() == DEFAULT_URL == f"ducklake:sqlite:{DEFAULT_CATALOG}"
    assert DEFAULT_CATALOG.parent.name == "data"
    assert (DEFAULT_CATALOG.parent.parent / "app.py").exists()
    monkeypatch.setenv("COCKPIT_DB", "elsewhere.duckdb")
    assert resolve_url() == str(tmp_path / "elsewhere.duckdb")
    assert resolve_url("cli.duckdb") == str(tmp_path / "cli.duckdb")


def test_ducklake_store_round_trip(tmp_path):
    url = f"ducklake:{tmp_path / 'catalog.ducklake'}"
    lake = open_store(url)
    frames = small_snapshot()
    lake.commit_snapshot(frames, as_of=D(2026, 3, 31), content_hash="h1")
    close_all()
    reopened = open_store(url)
    assert_frame_equal(reopened.projects(1).drop("snapshot_id"), frames.projects)
    assert reopened.measurements().height == 1
