"""The app for each role, under AppTest: who sees the portfolio, and the notices."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
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


# Access settings that cannot be trusted close the cockpit (issue 14) --------------------
BROKEN_SECRETS = '[access]\nrequire_login = true\neditors = ["lead@acme.com",\n'


@pytest.fixture
def secrets_file(tmp_path: Path) -> Iterator[Path]:
    """A secrets.toml that Streamlit's own st.secrets reads (not AppTest's dict): the only
    way to show the app a file that does not parse."""
    from streamlit.runtime.secrets import secrets_singleton
    from streamlit.testing.v1.util import patch_config_options

    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    secrets_singleton._reset()
    with patch_config_options({"secrets.files": [str(path)]}):
        yield path
    secrets_singleton._reset()


def closed(at: AppTest) -> str:
    """The refusal's text, after checking nothing of the portfolio or its controls shows."""
    assert not at.exception
    assert not at.metric and not at.get("vega_lite_chart") and not at.dataframe
    assert not at.file_uploader and not at.button
    assert any("The cockpit is closed" in e.value for e in at.error)
    return re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))  # unescaped


@pytest.mark.parametrize("page", ["overview", "data"])
def test_a_secrets_file_that_does_not_parse_closes_the_cockpit(
    monkeypatch, demo_db, secrets_file, page
):
    secrets_file.write_text(BROKEN_SECRETS)
    monkeypatch.setenv("COCKPIT_DB", str(demo_db))
    monkeypatch.delenv("COCKPIT_ALLOW_TEST_USER", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    if page != "overview":
        at.switch_page(f"views/{page}.py")
    at.run()
    said = closed(at)
    assert ".streamlit/secrets.toml" in said and "cannot be read" in said
    assert str(secrets_file.parent) not in said  # no server folders
    secrets_file.write_text('[access]\nrequire_login = false\n[auth]\nredirect_uri = "x"\n')
    assert "missing cookie_secret" in closed(at.run())  # another broken setting, same door


@pytest.mark.parametrize(
    ("secrets", "named"),
    [
        ({"access": {"require_login": True}}, "sign-in is not configured"),
        ({"Auth": AUTH, "access": {"require_login": True}}, "[Auth]"),
        ({"auth": {**AUTH, "client_id": " "}, "access": {"editors": ["a@acme.com"]}},
         "missing client_id"),
        ({"auth": AUTH, "access": {"require_login": "sometimes"}}, "require_login"),
    ],
)  # fmt: skip
def test_access_rules_without_a_usable_sign_in_close_the_cockpit(
    monkeypatch, demo_db, secrets, named
):
    at = run_app(monkeypatch, demo_db, secrets=secrets)
    assert named in closed(at)


def test_read_only_on_counts_and_an_unknown_value_closes_the_cockpit(monkeypatch, demo_db):
    monkeypatch.setenv("COCKPIT_READ_ONLY", "on")
    at = run_app(monkeypatch, demo_db)
    at.switch_page("views/data.py").run()
    assert not at.exception and not at.file_uploader
    assert any("read-only" in i.value for i in at.info)
    monkeypatch.setenv("COCKPIT_READ_ONLY", "enabled")
    assert "COCKPIT_READ_ONLY is 'enabled'" in closed(at.run())


@pytest.mark.parametrize("claim", [False, None, "false"])
def test_an_email_the_provider_did_not_verify_is_nobody(monkeypatch, demo_db, claim):
    monkeypatch.setenv("COCKPIT_DB", str(demo_db))
    monkeypatch.delenv("COCKPIT_ALLOW_TEST_USER", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["access"] = {"require_login": True, "editors": ["lead@acme.com"]}
    at.user = {"is_logged_in": True, "email": "lead@acme.com"}
    if claim is not None:
        at.user["email_verified"] = claim
    at.run()
    assert not at.exception
    assert not at.metric and not at.get("vega_lite_chart")
    assert any("has not confirmed your e-mail" in m.value for m in at.markdown)
    assert [b.label for b in at.button] == ["Sign out"]

    at.user = {"is_logged_in": True, "email": "lead@acme.com", "email_verified": True}
    at.run()
    assert at.metric  # the same editor, verified, sees the portfolio
    at.switch_page("views/data.py").run()
    assert at.file_uploader
