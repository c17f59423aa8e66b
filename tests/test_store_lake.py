"""DuckLake stores on real catalogs: the default kind (a SQLite catalog file) and a real
PostgreSQL (the `postgres` fixture): writes from several processes, retries, a writer
killed mid-commit, catalog failures and their messages, the password, catalog round trips."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from store import (
    Store,
    StoreBusyError,
    StoreError,
    StoreUnavailableError,
    close_all,
    extensions,
    open_store,
)
from store.core import Database
from tests.support.lake_checks import (
    assert_same_as_loaded_one_by_one,
    check_consistent,
    child_env,
    json_lines,
    run_writers,
    writer_process,
)
from tests.support.lake_writer import commit_round, frames_for, plan
from tests.support.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture(params=["sqlite", "postgres"])
def lake(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_lake")


def test_commit_supersede_restore_delete_on_a_lake(lake):
    store = open_store(lake)
    first = store.commit_snapshot(frames_for(1, D(2026, 3, 31)), as_of=D(2026, 3, 31),
                                  content_hash="a")  # fmt: skip
    generation = store.generation()
    again = store.commit_snapshot(frames_for(1, D(2026, 3, 31)), as_of=D(2026, 3, 31),
                                  content_hash="a")  # fmt: skip
    assert again.noop and again.snapshot_id == first.snapshot_id == 1
    assert store.generation() == generation  # a no-op commits nothing
    second = store.commit_snapshot(frames_for(2, D(2026, 3, 31)), as_of=D(2026, 3, 31),
                                   content_hash="b")  # fmt: skip
    assert second.snapshot_id == 2 and second.superseded == 1
    assert store.generation() > generation
    assert "active again" in store.restore_snapshot(1)
    assert store.resolve_snapshot() == (1, D(2026, 3, 31))
    store.delete_snapshot(1)
    assert store.resolve_snapshot() is None
    store.undelete_snapshot(1)
    assert store.resolve_snapshot() == (1, D(2026, 3, 31))
    close_all()
    reopened = open_store(lake)
    assert reopened.snapshots().get_column("state").to_list() == ["superseded", "active"]
    assert reopened.projects(1).height == 4


def test_a_write_of_another_process_is_seen_at_the_next_generation(lake):
    store = open_store(lake)
    assert store.is_empty()
    before = store.generation()
    other = Store(Database(lake))  # another connection and copy: as another process has
    commit_round(other, 1, 1)
    commit_round(other, 1, 3)
    other.db.close()
    assert store.is_empty()  # this process reads its copy until it asks for the generation
    assert store.generation() > before
    assert store.snapshots().height == 2


def _copy_differs_from_lake(store: Store) -> list[str]:
    """Tables whose rows in this process's copy differ from the lake's own."""
    cur = store.db._lake_cursor()
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'cockpit'"
        ).fetchall()
    ]
    differ = []
    for table in tables:
        row = cur.execute(
            f"SELECT (SELECT count(*) FROM (FROM cockpit.{table} EXCEPT ALL FROM memory.{table}))"
            f" + (SELECT count(*) FROM (FROM memory.{table} EXCEPT ALL FROM cockpit.{table}))"
        ).fetchone()
        if row[0]:
            differ.append(table)
    return differ


def test_the_copy_a_process_reads_is_the_lake_after_every_kind_of_write(sqlite_lake):
    """The copy is the same code on every catalog: checked on the default kind."""
    store = open_store(sqlite_lake)
    other = Store(Database(sqlite_lake))  # another process's connection and copy
    writes = [
        lambda s: commit_round(s, 1, 1),  # rows added to four tables
        lambda s: commit_round(s, 1, 2),
        lambda s: commit_round(s, 2, 2),  # the same date: a snapshot's state changes
        lambda s: s.delete_snapshot(1),
        lambda s: s.save_mapping("GMPP", "table = 'projects'", "ana"),
        lambda s: s.save_mapping("GMPP", "table = 'benefits'", "ana"),  # replaced
        lambda s: s.undelete_snapshot(1),
    ]
    for i, write in enumerate(writes):
        write(store if i % 2 else other)  # this process, then the other one
        assert store.generation() and _copy_differs_from_lake(store) == []
    other.db.close()
    assert store.mappings().height == 1 and store.snapshots().height == 3


def test_writers_in_three_processes_take_turns(sqlite_lake, tmp_path):
    # 4 rounds: each kind of commit (shared no-op, same date, own date) by every writer.
    reports = run_writers(sqlite_lake, writers=3, rounds=4)
    store = open_store(sqlite_lake)
    snapshots = check_consistent(store, reports)
    assert_same_as_loaded_one_by_one(store, snapshots, tmp_path / "one-by-one.duckdb")


def test_two_app_readers_while_three_writers_commit_on_postgres(postgres_lake, tmp_path):
    """The scale-out store under load: 2 app servers reading, 3 writers committing
    different and same-date snapshots for 20 rounds each."""
    open_store(postgres_lake)  # the catalog exists before the readers start
    close_all()
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.app_reader", postgres_lake, str(stop)],
            cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    try:
        for reader in readers:
            assert json.loads(reader.stdout.readline())["ready"]
        reports = run_writers(postgres_lake, writers=3, rounds=20)
    finally:
        stop.touch()
    store = open_store(postgres_lake)
    snapshots = check_consistent(store, reports)
    assert_same_as_loaded_one_by_one(store, snapshots, tmp_path / "one-by-one.duckdb")
    newest = store.portfolio_snapshots().sort("as_of").row(-1, named=True)
    for reader in readers:
        out, err = reader.communicate(timeout=300)
        assert reader.returncode == 0, err
        last = json.loads(out.splitlines()[-1])
        assert last["exceptions"] == [], last
        assert last["as_of"] == newest["as_of"].isoformat()  # both see the last snapshot
        assert last["active"] == newest["n_projects"]


def test_processes_opening_a_new_store_at_once_all_succeed(lake):
    script = "import sys; from store import open_store; print(open_store(sys.argv[1]).is_empty())"
    procs = [
        subprocess.Popen([sys.executable, "-c", script, lake], cwd=ROOT, env=child_env(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and out.strip() == "True", err
    versions = open_store(lake).db.cursor().execute("SELECT version FROM schema_version")
    numbers = [r[0] for r in versions.fetchall()]
    assert sorted(numbers) == sorted(set(numbers))  # every migration applied once


def test_a_commit_that_meets_another_writer_is_run_again_then_gives_up(lake, monkeypatch):
    store = open_store(lake)
    rival = Database(lake)  # another connection to the same lake: a rival writer
    # ... one that does not queue (PostgreSQL's advisory lock): an older cockpit, say.
    monkeypatch.setattr(rival, "_writers_queue", contextlib.nullcontext)
    attempts: list[int] = []

    def interfered(times: int):
        def work(cur):
            attempts.append(1)
            if len(attempts) <= times:  # the rival commits while this write is open
                rival.write(lambda _: None)
            cur.execute(
                "INSERT INTO mappings (source, mapping, updated_at) VALUES ('x', 'y', now())"
            )
            return "done"

        return work

    assert store.db.write(interfered(1)) == "done" and len(attempts) == 2
    assert store.mappings().height == 1  # written once, not once per attempt
    attempts.clear()
    monkeypatch.setattr("store.core.WRITE_ATTEMPTS", 3)
    before = store.generation()
    with pytest.raises(StoreBusyError, match="Another writer was committing"):
        store.db.write(interfered(99))
    assert len(attempts) == 3
    rival.close()
    assert store.generation() == before + 3  # only the rival's three commits
    assert store.mappings().height == 1


def test_a_writer_killed_mid_commit_leaves_the_previous_state(lake):
    rng = random.Random(18)
    committed: list[dict[str, object]] = []
    for _ in range(3):
        writer = writer_process(lake, 1, "--forever", "--size", "200")
        assert json_lines(writer.stdout.readline()) == [{"ready": True}]
        started = time.monotonic()
        first = json_lines(writer.stdout.readline())
        assert "snapshot_id" in first[0], first
        committed += first
        # A random moment of the next commits (a commit takes about as long as the first).
        time.sleep(rng.uniform(0.0, 2.0) * (time.monotonic() - started))
        os.kill(writer.pid, signal.SIGKILL)
        out, _ = writer.communicate(timeout=60)
        committed += [line for line in json_lines(out) if "snapshot_id" in line]
        close_all()
        store = open_store(lake)
        snapshots = store.snapshots()
        reported = {r["snapshot_id"] for r in committed}
        ids = set(snapshots.get_column("snapshot_id").to_list())
        # Each commit is whole or absent: at most the one killed after its commit.
        assert reported <= ids and len(ids - reported) <= 1
        for row in snapshots.iter_rows(named=True):
            assert store.projects(row["snapshot_id"]).height == row["n_projects"] == 200
            assert store.benefits(row["snapshot_id"]).height == row["n_benefits"]
        uploads = store.audit_log().filter(pl.col("action") == "upload")
        assert uploads.height == len(ids)
        committed += [{"snapshot_id": i} for i in ids - reported]
    # The next writer goes on from there, with fresh ids.
    last = commit_round(open_store(lake), 2, 1)
    assert last["snapshot_id"] == max(r["snapshot_id"] for r in committed) + 1


def test_a_missing_extension_package_is_named(lake, monkeypatch):
    monkeypatch.setitem(
        extensions.PACKAGES,
        "ducklake",
        ("duckdb_extension_not_installed", "ducklake.duckdb_extension"),
    )
    with pytest.raises(StoreError, match="install the Python package duckdb-extension-not"):
        open_store(lake)


# PostgreSQL only -----------------------------------------------------------------------
def test_the_catalog_password_is_never_shown(postgres: PostgresServer, postgres_lake):
    store = open_store(postgres_lake)
    cur = store.db._lake_cursor()
    attached = str(cur.execute("SELECT * FROM duckdb_databases()").fetchall())
    secrets = str(cur.execute("SELECT * FROM duckdb_secrets()").fetchall())
    settings = str(cur.execute("SELECT * FROM duckdb_settings()").fetchall())
    for text in (attached, secrets, settings, store.name):
        assert postgres.password not in text
    assert "dbname=" in attached and "port=" in attached  # the rest of the string is there


def test_catalog_failures_say_which_and_keep_the_cause(postgres: PostgresServer, postgres_lake):
    base = postgres_lake
    cases = {
        "wrong password": (
            base.replace(postgres.password, "not-the-password"),
            "refused the credentials of user cockpit",
            "password authentication failed",
        ),
        "wrong port": (
            base.replace(f"port={postgres.port}", "port=1"),
            "is not reachable",
            "Connection refused",
        ),
        "no such database": (
            base.replace("dbname=", "dbname=nope_"),
            "does not exist",
            "createdb",
        ),
    }
    messages = {}
    for name, (url, says, cause) in cases.items():
        with pytest.raises(StoreUnavailableError) as caught:
            open_store(url)
        text = str(caught.value)
        assert says in text and cause in text, (name, text)
        assert postgres.password not in text and "not-the-password" not in text
        messages[name] = text
    assert len(set(messages.values())) == 3


def test_postgres_going_down_mid_run_gives_a_message_then_recovers(
    postgres: PostgresServer, postgres_lake
):
    store = open_store(postgres_lake)
    commit_round(store, 1, 1)
    before = store.snapshots()
    postgres.pause()
    try:
        with pytest.raises(StoreUnavailableError, match="not reachable") as read:
            store.generation()
        with pytest.raises(StoreUnavailableError, match="not reachable") as write:
            commit_round(store, 1, 3)
        for caught in (read, write):
            assert postgres.password not in str(caught.value)
    finally:
        postgres.resume()
    assert store.generation() > 0 and store.snapshots().equals(before)
    assert not commit_round(store, 1, 3)["noop"]  # writes again, no restart needed


def test_reads_after_a_write_elsewhere_take_a_fixed_number_of_catalog_round_trips(
    postgres: PostgresServer, postgres_lake, monkeypatch
):
    """The first release ran 294 PostgreSQL transactions for one Overview after a write
    elsewhere. Now: one small query per rerun, and after a write one read of the tables
    that changed, whatever the page, the number of snapshots or of commits since."""
    from streamlit.testing.v1 import AppTest

    database = postgres_lake.split("dbname=")[1].split()[0]
    postgres.log_statements(database)
    monkeypatch.setenv("COCKPIT_DB", postgres_lake)
    elsewhere = Store(Database(postgres_lake))  # another process's connection and copy
    for round_ in (1, 3, 5):
        commit_round(elsewhere, 1, round_)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.run()

    def rerun_after(*writes: Callable[[Store], object]) -> list[str]:
        for write in writes:
            write(elsewhere)
        offset = postgres.log_size()
        app.run()
        assert not app.exception, app.exception
        time.sleep(0.5)  # the server writes its log as it goes
        return postgres.statements_since(offset, database)

    one = rerun_after(lambda s: commit_round(s, 2, 7))
    three = rerun_after(*(lambda s, r=r: commit_round(s, 2, r) for r in (9, 11, 13)))
    delete = rerun_after(lambda s: s.delete_snapshot(1))
    nothing = rerun_after()
    elsewhere.db.close()
    assert app.selectbox(key="as_of").value == plan(2, 13)[0].isoformat()  # the newest
    for statements in (one, three, delete):
        assert sum(s.startswith("BEGIN") for s in statements) == 2  # generation, then copy
        assert len(statements) <= 80
    assert abs(len(one) - len(three)) <= 3  # not one read per commit since
    assert sum(s.startswith("BEGIN") for s in nothing) == 1 and len(nothing) <= 8
