"""Looking after a store: `maintain-store` (DuckLake's compaction, expiry and cleanup) with the
figures unchanged and beside running writers; `check-store [--repair]` on a store written
as the code before ids came from the write turn could; `migrate-store` from a DuckDB file
to the default lake to DuckLake on PostgreSQL with S3 data files."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import polars as pl
import pytest

from connectors.cli import main as connectors_main
from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS
from store import Store, close_all, open_store
from store.connection import connect, prepare_cursor
from store.core import Database, Unchanged
from store.cursor import Cursor
from store.location import parse
from store.maintenance import counts, maintain
from store.migrations import migrate
from store.snapshots import insert_rows
from tests.support.lake_checks import (
    check_consistent,
    figures,
    finish_writers,
    json_lines,
    start_writers,
)
from tests.support.lake_writer import commit_round, frames_for
from tests.support.postgres import PostgresServer
from tests.support.s3 import S3Server

D = dt.date


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = connectors_main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _lake_counts(store: Store):
    return store.db.write(lambda cur: Unchanged(counts(cur)), claim=False)


# Maintenance ---------------------------------------------------------------------------
def test_maintain_after_many_writes_leaves_fewer_files_and_snapshots_and_the_same_figures(
    sqlite_lake, capsys
):
    store = open_store(sqlite_lake)
    for round_ in range(10):
        commit_round(store, 1, round_, size=50)
    reader = Store(Database(sqlite_lake))  # another process, its copy at this generation
    assert reader.snapshots().height == store.snapshots().height
    before, shown = _lake_counts(store), figures(store)

    code, out = _cli(capsys, "maintain-store", "--db", sqlite_lake, "--keep-days", "0")
    assert code == 0, out
    assert "data files in use" in out and "expired" in out

    store = open_store(sqlite_lake)
    after = _lake_counts(store)
    assert after.files_in_use < before.files_in_use / 2
    assert after.files_referenced < before.files_referenced / 2
    assert after.snapshots < before.snapshots / 2
    assert figures(store) == shown
    assert reader.generation() and figures(reader) == shown  # its copy, read again whole
    reader.db.close()
    maintained = store.audit_log().filter(pl.col("action") == "maintain")
    assert maintained.height == 1
    last = store.snapshots().get_column("snapshot_id").max()
    assert commit_round(store, 2, 1, size=50)["snapshot_id"] == last + 1


@pytest.mark.xfail(
    strict=False,
    reason="open finding (2026-12-06): about 1 run in 5, on a SQLite-catalog lake, the "
    "snapshot ids the writers reported differ from the ids the store holds after "
    "maintenance ran beside them; under heavy load the writers may also give up after "
    "12 retries (StoreBusyError, nothing written). Kept running to catch it; see the "
    "closing note of issue 18.",
)
def test_maintain_beside_running_writers_loses_nothing(sqlite_lake):
    open_store(sqlite_lake)
    writers = start_writers(sqlite_lake, writers=2, rounds=4)
    for writer in writers:  # started: their commits come next
        assert json_lines(writer.stdout.readline()) == [{"ready": True}]
    maintainer = Store(Database(sqlite_lake))
    results = []
    while any(w.poll() is None for w in writers) and len(results) < 30:
        results.append(maintain(maintainer.db))  # while they commit
        # A breath between runs: back to back, on a machine with a load of 28, the
        # maintainer's commits once held a writer off past its 12 retries (StoreBusyError,
        # nothing half-written). In use it runs daily or weekly.
        time.sleep(0.3)
    reports = finish_writers(writers)
    maintainer.db.close()
    assert len(results) >= 2
    store = open_store(sqlite_lake)
    check_consistent(store, reports)
    assert figures(Store(Database(sqlite_lake))) == figures(store)


def test_a_copy_older_than_the_history_kept_is_read_again_whole(sqlite_lake):
    store = open_store(sqlite_lake)
    commit_round(store, 1, 1)
    reader = Store(Database(sqlite_lake))  # another process's copy, at this generation
    assert reader.snapshots().height == 1
    commit_round(store, 1, 3)
    commit_round(store, 1, 5)  # rows added: the copy would take only the rows since
    store.db.write(
        lambda cur: cur.execute(
            "CALL ducklake_expire_snapshots('cockpit', older_than => now() + INTERVAL 1 DAY)"
        ),
        claim=False,
    )  # ... but the snapshots since its own are gone
    assert reader.generation()
    assert reader.snapshots().equals(store.snapshots())
    assert figures(reader) == figures(store)
    reader.db.close()


def test_maintain_on_a_duckdb_file_says_there_is_nothing_to_do(db_path, capsys):
    code, out = _cli(capsys, "maintain-store", "--db", str(db_path))
    assert code == 0 and "nothing to maintain" in out
    with pytest.raises(SystemExit) as usage:
        _cli(capsys, "maintain-store", "--db", str(db_path), "--keep-days", "-1")
    assert usage.value.code == 2 and "is not a number of days" in capsys.readouterr().err


# Check and repair -----------------------------------------------------------------------
def _old_commit(cur: Cursor, snapshot_id: int, as_of: dt.date, seed: int, size: int) -> None:
    """A load as the code before the write turn made it, in its own transaction: the id it
    chose, no check of what another process had committed meanwhile."""
    frames = frames_for(seed, as_of, size)
    cur.execute("BEGIN TRANSACTION")
    cur.execute(
        "INSERT INTO snapshots VALUES (?, ?, 'portfolio', 'active', ?, ?, now()::TIMESTAMP, "
        "'old', ?, ?, ?, NULL, NULL)",
        [snapshot_id, as_of, f"seed-{seed}", f"hash-{seed}",
         frames.projects.height, frames.benefits.height, frames.measurements.height],
    )  # fmt: skip
    for table, frame in ((PROJECTS, frames.projects), (BENEFITS, frames.benefits),
                         (MEASUREMENTS, frames.measurements)):  # fmt: skip
        insert_rows(cur, table, snapshot_id, frame)
    cur.execute(
        "INSERT INTO audit_log VALUES (now()::TIMESTAMP, 'old', 'upload', ?, '{}')",
        [f"snapshot #{snapshot_id}"],
    )
    cur.execute("COMMIT")


def _old_store(url: str) -> None:
    """What two writers left under the old code, on schema version 4 (before the write
    turn): loads of two dates that both took id 2, two loads of one date both active."""
    location = parse(url)
    con = connect(location)
    cur = Cursor(prepare_cursor(location, con.cursor()), location)
    migrate(cur, target=4)
    _old_commit(cur, 1, D(2026, 1, 31), seed=1, size=3)
    _old_commit(cur, 2, D(2026, 2, 28), seed=2, size=5)  # both read max = 1 ...
    _old_commit(cur, 2, D(2026, 3, 31), seed=3, size=7)  # ... and took 2
    _old_commit(cur, 3, D(2026, 4, 30), seed=4, size=4)  # both saw no active for the date
    _old_commit(cur, 4, D(2026, 4, 30), seed=5, size=6)
    con.close()


def _budgets(frame: pl.DataFrame) -> list[tuple[str, float]]:
    return sorted(frame.select("project_id", "budget").iter_rows())


def test_check_store_finds_what_old_concurrent_writers_left_and_repair_fixes_it(
    postgres_lake, capsys
):
    _old_store(postgres_lake)
    code, out = _cli(capsys, "check-store", "--db", postgres_lake)
    assert code == 1, out
    assert "snapshot id #2 is held by 2 snapshots (2026-02-28, 2026-03-31)" in out
    assert "2026-04-30 has 2 active snapshots (#3, #4)" in out
    assert "Nothing was changed" in out
    assert open_store(postgres_lake).snapshots().height == 5  # the check wrote nothing
    close_all()

    code, out = _cli(capsys, "check-store", "--db", postgres_lake, "--repair")
    assert code == 0, out
    assert "snapshot #2 of 2026-03-31 is now #5" in out
    assert "snapshot #3 of 2026-04-30 is now superseded by #4" in out

    store = open_store(postgres_lake)
    snapshots = store.snapshots().sort("snapshot_id")
    assert snapshots.get_column("snapshot_id").to_list() == [1, 2, 3, 4, 5]
    for snapshot_id, seed, as_of in [(2, 2, D(2026, 2, 28)), (5, 3, D(2026, 3, 31))]:
        row = snapshots.filter(pl.col("snapshot_id") == snapshot_id).row(0, named=True)
        assert row["as_of"] == as_of
        expected = frames_for(seed, as_of, row["n_projects"])
        assert _budgets(store.projects(snapshot_id)) == _budgets(expected.projects)
        assert store.benefits(snapshot_id).height == expected.benefits.height
    active = snapshots.filter(pl.col("state") == "active")
    assert active.get_column("as_of").n_unique() == active.height == 4
    assert snapshots.filter(pl.col("snapshot_id") == 3).get_column("state")[0] == "superseded"
    repairs = store.audit_log().filter(pl.col("action") == "repair")
    assert set(repairs.get_column("target").to_list()) == {"snapshot #5", "snapshot #3"}
    assert store.restore_snapshot(3)  # the superseded one stays restorable
    assert commit_round(store, 1, 1)["snapshot_id"] == 6  # fresh ids go on above
    close_all()
    code, out = _cli(capsys, "check-store", "--db", postgres_lake)
    assert code == 0 and "no snapshot id held twice" in out


# Migration ------------------------------------------------------------------------------
def test_migrate_store_from_a_file_to_the_default_lake_to_postgres_with_s3_data(
    demo_db, tmp_path: Path, postgres: PostgresServer, s3: S3Server, monkeypatch, capsys
):
    monkeypatch.delenv("COCKPIT_LAKE_DATA", raising=False)
    settings = s3.env(s3.create_bucket())
    data = settings.pop("COCKPIT_LAKE_DATA")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    sqlite_url = f"ducklake:sqlite:{tmp_path / 'lake' / 'cockpit.sqlite'}"
    pg_url = "ducklake:postgres:" + postgres.dsn(
        postgres.create_database(f"migrated_{tmp_path.name.lower()}"[:60]),
        password=postgres.password,
    )
    code, out = _cli(capsys, "migrate-store", "--db", str(demo_db), "--to", sqlite_url)
    assert code == 0, out
    code, out = _cli(capsys, "migrate-store", "--db", sqlite_url, "--to", pg_url, "--data", data)
    assert code == 0, out
    held = open_store(str(demo_db)).snapshots().height
    assert held > 1 and f"snapshots: {held:,}\n" in out and postgres.password not in out
    assert any(key.endswith(".parquet") for key in s3.keys(data.split("/")[2]))

    stores = [open_store(url) for url in (str(demo_db), sqlite_url)]
    stores.append(Store(Database(pg_url, data_path=data)))
    first = stores[0]
    for store in stores[1:]:
        assert store.snapshots().equals(first.snapshots())  # ids, order, every column
        assert store.jira_issue_count() == first.jira_issue_count() > 0
        assert store.mappings().equals(first.mappings())
        log = store.audit_log().filter(pl.col("action") != "migrate")
        assert log.drop("detail").equals(first.audit_log().drop("detail"))
        assert figures(store) == figures(first)
    assert commit_round(stores[2], 1, 1)["snapshot_id"] == first.snapshots().height + 1
    stores[2].db.close()

    code, out = _cli(capsys, "migrate-store", "--db", str(demo_db), "--to", sqlite_url)
    assert code == 1 and "already holds data; nothing was copied" in out
    code, out = _cli(capsys, "migrate-store", "--db", sqlite_url, "--to", sqlite_url)
    assert code == 2 and "names the store being copied" in out
