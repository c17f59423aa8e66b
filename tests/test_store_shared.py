"""The app and the command line on one machine, at the same time, on the default kind of
store (a DuckLake with a SQLite catalog file): what a user does with `make run` in one
terminal and a report, a briefing, a load or a Jira sync in another.

Also: the first release's default store (data/cockpit.duckdb) is moved into the new
default on first open, with a message; a locked one is named, and left alone."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from domain.snapshot import SnapshotFrames
from store import StoreError, close_all, open_store
from store.legacy import backup_path
from tests.factories import project, snapshot
from tests.sheets import snapshot_files
from tests.support.jira_data import generated

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_command_line_works_while_the_app_serves_and_the_app_sees_its_writes(
    sqlite_lake, monkeypatch, tmp_path, fake_jira
):
    demo = _cli("connectors", "demo", "--db", sqlite_lake)
    assert demo.returncode == 0, demo.stderr
    monkeypatch.setenv("COCKPIT_DB", sqlite_lake)
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    assert app.selectbox(key="as_of").value == "2026-09-30"

    # The app holds the store open (its cached connection and its copy) the whole time.
    report = _cli("metrics", "report", "--db", sqlite_lake, "--format", "json")
    assert report.returncode == 0, report.stderr
    assert len(json.loads(report.stdout)["projects"]) == 64
    pdf = tmp_path / "briefing.pdf"
    briefing = _cli("metrics", "briefing", "--quarter", "2026-Q3", "--db", sqlite_lake,
                    "--out", str(pdf))  # fmt: skip
    assert briefing.returncode == 0, briefing.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    files = []
    for source in snapshot_files():
        (tmp_path / source.name).write_bytes(source.data)
        files.append(str(tmp_path / source.name))
    load = _cli("connectors", "load", *files, "--as-of", "2026-12-31", "--db", sqlite_lake)
    assert load.returncode == 0, load.stderr
    assert "Snapshot #12 as of 2026-12-31 committed" in load.stdout  # the demo made 11
    site = fake_jira(generated(40))
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("# no [jira] table\n")
    jira = {"JIRA_URL": site.url, "JIRA_JQL": "project = GEN", "JIRA_EMAIL": site.app.email,
            "JIRA_API_TOKEN": site.app.api_token}  # fmt: skip
    sync = _cli("connectors", "jira-sync", "--db", sqlite_lake, "--secrets", str(secrets),
                env=jira)  # fmt: skip
    assert sync.returncode == 0, sync.stderr
    assert "40 issue(s)" in sync.stdout

    app.run()  # the next rerun of the app shows what the command line wrote
    assert not app.exception, app.exception
    assert app.selectbox(key="as_of").value == "2026-12-31"
    store = open_store(sqlite_lake)
    assert store.jira_issue_count() == 40  # a first sync of this site replaces the demo's
    actions = store.audit_log().get_column("action").to_list()
    assert actions[:2] == ["sync", "upload"]


@pytest.fixture
def default_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default store locations, moved into a temporary folder; no COCKPIT_DB."""
    catalog = tmp_path / "data" / "cockpit.sqlite"
    monkeypatch.setattr("store.location.DEFAULT_CATALOG", catalog)
    monkeypatch.setattr("store.location.DEFAULT_URL", f"ducklake:sqlite:{catalog}")
    monkeypatch.setattr("store.location.LEGACY_DB", tmp_path / "data" / "cockpit.duckdb")
    monkeypatch.delenv("COCKPIT_DB", raising=False)
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def test_the_first_release_store_is_moved_into_the_default_store(
    default_store, demo_db_template, capsys
):
    legacy = default_store / "cockpit.duckdb"
    shutil.copy(demo_db_template, legacy)
    before = open_store(str(legacy))
    expected = (before.snapshots(), before.measurements(), before.jira_issue_count())
    close_all()

    store = open_store()
    assert "Moved the store" in capsys.readouterr().err
    assert store.url.startswith("ducklake:sqlite:")
    assert store.snapshots().equals(expected[0])
    assert (
        store.measurements()
        .sort("benefit_id", "measured_at")
        .equals(expected[1].sort("benefit_id", "measured_at"))
    )
    assert store.jira_issue_count() == expected[2]
    assert not legacy.exists() and backup_path(legacy).exists()  # kept as a backup
    assert store.audit_log().get_column("action")[0] == "migrate"
    # Ids go on above the copied ones.
    result = store.commit_snapshot(_tiny(), as_of=dt.date(2027, 3, 31), content_hash="new")
    assert result.snapshot_id == expected[0].get_column("snapshot_id").max() + 1
    close_all()
    assert open_store().snapshots().height == expected[0].height + 1
    assert "Moved" not in capsys.readouterr().err  # once


def test_a_first_release_store_in_use_is_named_and_left_alone(default_store, demo_db_template):
    legacy = default_store / "cockpit.duckdb"
    shutil.copy(demo_db_template, legacy)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb,time; c=duckdb.connect({str(legacy)!r}); print('ready', flush=True); "
         "time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = legacy.read_bytes()
        with pytest.raises(StoreError, match="in use by another process"):
            open_store()
        assert legacy.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    moved = open_store().snapshots()  # once it is free, it is moved
    assert moved.filter(pl.col("kind") == "portfolio").height == 8


def test_a_first_release_store_beside_a_default_store_with_data_is_left_with_a_message(
    default_store, demo_db_template, capsys
):
    open_store().commit_snapshot(_tiny(), as_of=dt.date(2026, 1, 31), content_hash="x")
    close_all()
    legacy = default_store / "cockpit.duckdb"
    shutil.copy(demo_db_template, legacy)
    store = open_store()
    assert "was not used" in capsys.readouterr().err
    assert store.snapshots().height == 1 and legacy.exists()


def _tiny() -> SnapshotFrames:
    return snapshot([project("P1")])
