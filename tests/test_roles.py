"""Each role on each action of the Data page: who may upload, restore, delete, sync,
change settings and load the demo; everyone else sees why not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store import close_all, open_store
from tests.factories import TEST_AUTH as AUTH
from tests.factories import benefit, project, snapshot

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SIGN_IN = {"auth": AUTH, "access": {"editors": ["ana@acme.com", "@pmo.acme.com"]}}

# role: (secrets, user, read-only deployment, may edit, line shown to those who may not)
ROLES = {
    "anonymous, no sign-in": ({}, None, False, True, None),
    "anonymous, sign-in configured": (SIGN_IN, None, False, False, "Sign in as an editor"),
    "viewer": (SIGN_IN, "ben@acme.com", False, False, "may view but not change"),
    "editor": (SIGN_IN, "lead@pmo.acme.com", False, True, None),
    "read-only deployment": ({}, None, True, False, "read-only"),
    "editor on a read-only deployment": (SIGN_IN, "ana@acme.com", True, False, "read-only"),
}


@pytest.fixture
def two_snapshots(db_path: Path) -> Path:
    """One as-of date uploaded twice: #1 superseded, #2 active."""
    store = open_store(str(db_path))
    for i, name in enumerate(("Old", "New"), start=1):
        frames = snapshot(
            [project("P1", name=name, baseline_end=dt.date(2026, 12, 31))],
            [benefit("B1", "P1", target_date=dt.date(2027, 6, 30))],
        )
        store.commit_snapshot(frames, as_of=dt.date(2026, 9, 30), content_hash=f"h{i}")
    close_all()
    return db_path


def open_data_page(monkeypatch, db: Path, role: str, tab: str | None = None) -> AppTest:
    secrets, user, read_only, _, _ = ROLES[role]
    monkeypatch.setenv("COCKPIT_DB", str(db))
    monkeypatch.setenv("COCKPIT_ALLOW_TEST_USER", "1")
    monkeypatch.setenv("COCKPIT_TEST_USER", user or "")
    if read_only:
        monkeypatch.setenv("COCKPIT_READ_ONLY", "1")
    else:
        monkeypatch.delenv("COCKPIT_READ_ONLY", raising=False)
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in secrets.items():
        at.secrets[key] = value
    at.switch_page("views/data.py")
    if tab:
        at.session_state["tab"] = tab
    at.run()
    assert not at.exception
    return at


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


@pytest.mark.parametrize("role", list(ROLES))
def test_upload(monkeypatch, two_snapshots, role):
    at = open_data_page(monkeypatch, two_snapshots, role)
    may_edit, line = ROLES[role][3], ROLES[role][4]
    assert bool(at.file_uploader) == may_edit
    if not may_edit:
        assert any(line in i.value for i in at.info)  # the one line that says why
        # The template stays available to everyone.
        assert "Template (Excel)" in {d.label for d in at.get("download_button")}


@pytest.mark.parametrize("role", list(ROLES))
def test_restore_and_delete(monkeypatch, two_snapshots, role):
    may_edit = ROLES[role][3]
    at = open_data_page(monkeypatch, two_snapshots, role, tab="History")
    at.session_state["history_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert any("Snapshot #1" in m.value for m in at.markdown)  # details are for everyone
    assert ("Restore" in labels(at)) == may_edit
    at.session_state["history_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert ("Delete" in labels(at)) == may_edit


@pytest.mark.parametrize("role", list(ROLES))
def test_sync(monkeypatch, two_snapshots, role):
    may_edit = ROLES[role][3]
    at = open_data_page(monkeypatch, two_snapshots, role, tab="Jira")
    assert ("Sync now" in labels(at)) == may_edit


@pytest.mark.parametrize("role", list(ROLES))
def test_load_the_demo(monkeypatch, tmp_path, role):
    may_edit = ROLES[role][3]
    at = open_data_page(monkeypatch, tmp_path / "empty.duckdb", role)
    assert ("Load the demo portfolio" in labels(at)) == may_edit


def test_actions_are_recorded_under_the_editors_name(monkeypatch, two_snapshots):
    at = open_data_page(monkeypatch, two_snapshots, "editor", tab="History")
    at.session_state["history_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    next(b for b in at.button if b.label == "Restore").click().run()
    assert not at.exception
    close_all()
    log = open_store(str(two_snapshots)).audit_log()
    assert log.row(0, named=True)["action"] == "restore"
    assert log.row(0, named=True)["actor"] == "lead@pmo.acme.com"


@pytest.mark.parametrize("role", list(ROLES))
def test_settings(monkeypatch, two_snapshots, role):
    may_edit = ROLES[role][3]
    at = open_data_page(monkeypatch, two_snapshots, role, tab="Settings")
    submit = {b.label for b in at.get("form_submit_button")}
    assert ("Save tolerances" in submit) == may_edit
    assert at.get("number_input") or at.markdown  # the current values are shown to everyone
