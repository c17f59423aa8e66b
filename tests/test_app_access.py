"""The app for each role, under AppTest: who sees the portfolio, and the notices."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.factories import TEST_AUTH as AUTH

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run_app(monkeypatch, db: Path, *, user: str | None = None, secrets: dict | None = None,
            read_only: bool = False) -> AppTest:  # fmt: skip
    monkeypatch.setenv("COCKPIT_DB", str(db))
    monkeypatch.setenv("COCKPIT_ALLOW_TEST_USER", "1")
    monkeypatch.setenv("COCKPIT_TEST_USER", user or "")
    if read_only:
        monkeypatch.setenv("COCKPIT_READ_ONLY", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    assert not at.exception
    return at


def test_require_login_shows_only_a_sign_in_screen(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, secrets={"auth": AUTH, "access": {"require_login": True}})
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.get("vega_lite_chart") and not at.dataframe
    assert any("Sign in to see this portfolio" in m.value for m in at.markdown)


def test_a_viewer_outside_the_list_is_refused(monkeypatch, demo_db):
    secrets = {"auth": AUTH, "access": {"viewers": ["@acme.com"]}}
    at = run_app(monkeypatch, demo_db, user="eve@other.org", secrets=secrets)
    assert not at.metric
    assert any("not allowed to view" in m.value for m in at.markdown)
    assert [b.label for b in at.button] == ["Sign out"]


def test_a_signed_in_viewer_sees_the_portfolio(monkeypatch, demo_db):
    secrets = {"auth": AUTH, "access": {"viewers": ["@acme.com"], "require_login": True}}
    at = run_app(monkeypatch, demo_db, user="ben@acme.com", secrets=secrets)
    assert at.metric
    assert not any("anyone with the link" in c.value for c in at.sidebar.caption)


def test_without_sign_in_the_app_says_anyone_can_change_data(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db)
    assert at.metric
    assert any("anyone with the link can change data" in c.value for c in at.sidebar.caption)


def test_a_damaged_store_gets_a_clear_message_and_is_not_overwritten(monkeypatch, tmp_path):
    damaged = tmp_path / "cockpit.duckdb"
    damaged.write_bytes(b"not a database at all " * 100)
    before = damaged.read_bytes()
    at = run_app(monkeypatch, damaged)
    assert any("not a readable DuckDB database" in e.value for e in at.error)
    assert not at.metric
    assert damaged.read_bytes() == before


def test_a_store_locked_by_another_process_gets_a_clear_message(monkeypatch, tmp_path):
    import subprocess
    import sys

    locked = tmp_path / "cockpit.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(locked)!r}); "
         "print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        at = run_app(monkeypatch, locked)
        assert any("in use by another process" in e.value for e in at.error)
    finally:
        holder.kill()
        holder.wait()
