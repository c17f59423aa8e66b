"""The Jira panel under AppTest: configuration status, Sync now with progress, never a token."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.fake_jira import Fault
from tests.support.jira_data import generated
from tests.support.markdown import shown


def _panel() -> None:
    from ui.manage.jira_panel import render_jira_panel

    render_jira_panel()


@pytest.fixture
def panel(monkeypatch, db_path):
    for name in ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PAT", "JIRA_JQL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COCKPIT_DB", str(db_path))
    monkeypatch.setenv("COCKPIT_ALLOW_TEST_USER", "1")
    monkeypatch.setenv("COCKPIT_TEST_USER", "lead@acme.example")

    def make(site=None) -> AppTest:
        if site is not None:
            monkeypatch.setenv("JIRA_URL", site.url)
            monkeypatch.setenv("JIRA_EMAIL", site.app.email)
            monkeypatch.setenv("JIRA_API_TOKEN", site.app.api_token)
            monkeypatch.setenv("JIRA_JQL", "project = GEN")
            monkeypatch.setenv("JIRA_RETRY_CAP_SECONDS", "0")
        return AppTest.from_function(_panel, default_timeout=60)

    return make


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.info]
    parts += [m.value for m in at.success] + [m.value for m in at.error]
    parts += [m.value for m in at.caption]
    return "\n".join(shown(p) for p in parts)


def test_an_unconfigured_panel_says_what_to_set(panel):
    at = panel()
    at.run()
    assert not at.exception
    assert "Jira is not configured yet" in at.info[0].value
    assert "JIRA_URL" in _text(at)
    assert at.button(key="jira_sync_now").disabled
    assert "No sync yet." in _text(at)


def test_sync_now_fetches_and_lists_the_run(panel, fake_jira, store):
    site = fake_jira(generated(40))
    at = panel(site)
    at.run()
    assert not at.exception
    panel_text = _text(at)
    assert site.url in panel_text and site.app.email in panel_text and "auto" in panel_text
    assert site.app.api_token not in panel_text
    at.radio(key="jira_sync_mode").set_value("Full")
    at.button(key="jira_sync_now").click().run()
    assert not at.exception
    assert shown(at.success[0].value).startswith("Jira sync #1 (full, cloud): 40 issue(s)")
    runs = at.dataframe[0].value
    assert runs["By"].to_list() == ["lead@acme.example"]
    assert store.jira_issue_count() == 40
    assert site.app.api_token not in _text(at)


def test_a_failed_sync_shows_the_message_and_no_token(panel, fake_jira):
    site = fake_jira(generated(5))
    site.app.fail("/rest/api/3/myself", Fault(401, body=f"nope {site.app.api_token}"))
    at = panel(site)
    at.run()
    at.button(key="jira_sync_now").click().run()
    assert not at.exception
    assert "Jira refused the credentials for" in shown(at.error[0].value)
    assert site.app.api_token not in _text(at) + str(at.dataframe[0].value)
    assert at.dataframe[0].value["Result"].to_list() == ["failed"]
