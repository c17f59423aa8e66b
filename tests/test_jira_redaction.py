"""A Jira that echoes the Authorization header in its errors: the credential, in every form it
takes (raw, Base64 of e-mail:token in a Basic header, Bearer token, URL-encoded), reaches
neither stderr, nor any table of the store, nor the Data page (issue 14)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote, quote_plus

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from connectors.cli import main
from connectors.jira import JiraConfig
from connectors.jira.redact import redact
from domain.jira import SyncRun
from store import close_all, open_store
from tests.support.fake_jira import Fault
from tests.support.jira_data import generated
from tests.support.markdown import shown

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EMAIL = "pmo.lead@example.com"
# Tokens with the characters that make their encodings differ from themselves.
API_TOKEN = "ATATT3x/Ff+GF0=cloud-Sup3rSecret=A1B2"
PAT = "NjQ0/MzA3+dc=pat-Sup3rSecret+Z9"
SEARCH = {"cloud": "/rest/api/3/search/jql", "datacenter": "/rest/api/2/search"}
JIRA_VARIABLES = ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PAT", "JIRA_JQL",
                  "JIRA_DEPLOYMENT", "JIRA_RETRY_CAP_SECONDS")  # fmt: skip


def credential_forms(deployment: str) -> set[str]:
    """How the credential can be written: worked out here, not by the code under test."""
    if deployment == "datacenter":
        raw = {PAT}
    else:
        pair = f"{EMAIL}:{API_TOKEN}".encode()
        raw = {API_TOKEN, base64.b64encode(pair).decode(), base64.urlsafe_b64encode(pair).decode()}
    return raw | {quote(f, safe="") for f in raw} | {quote_plus(f) for f in raw}


def leaks(text: str, deployment: str) -> list[str]:
    """Every credential form found in `text`, whole or as any 12-character stretch of it
    (a message cut short must not keep half a token)."""
    found = []
    for form in credential_forms(deployment):
        stretches = {form[i : i + 12] for i in range(len(form) - 11)}
        found += [s for s in stretches if s in text]
    return found


def echoing_faults(deployment: str) -> list[Fault]:
    """Error answers that quote the request's Authorization header, each differently."""
    return [
        Fault(400, body={"errorMessages": ["Field 'x' does not exist."]}),  # JSON, appended
        Fault(409, body=b'{"message": "conflict on request {authorization_url}"}'),
        Fault(418, body="Proxy error. " + "." * 262 + " Authorization: {authorization} end"),
    ]


@pytest.fixture
def jira_site(fake_jira, monkeypatch):
    for name in JIRA_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def start(deployment: str):
        site = fake_jira(generated(5), deployment=deployment, echo_headers=True,
                         email=EMAIL, api_token=API_TOKEN, pat=PAT)  # fmt: skip
        values = {"JIRA_URL": site.url, "JIRA_JQL": "project = GEN", "JIRA_RETRY_CAP_SECONDS": "0"}
        if deployment == "cloud":
            values.update(JIRA_EMAIL=EMAIL, JIRA_API_TOKEN=API_TOKEN)
        else:
            values.update(JIRA_PAT=PAT)
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return site

    return start


def every_value(db: Path) -> str:
    """Every cell of every table of the DuckDB file, as text."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main'"
        ).fetchall()
        assert {t for t, _ in columns} >= {"jira_sync_runs", "audit_log", "jira_issues"}
        cells = []
        for table, column in columns:
            rows = con.execute(f'SELECT CAST("{column}" AS VARCHAR) FROM "{table}"').fetchall()
            cells += [r[0] for r in rows if r[0] is not None]
        return "\n".join(cells)
    finally:
        con.close()


@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
def test_echoed_credentials_reach_neither_stderr_nor_the_store(
    jira_site, db_path, tmp_path, capsys, deployment
):
    site = jira_site(deployment)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("# no [jira] table\n")
    faults = echoing_faults(deployment)
    site.app.fail(SEARCH[deployment], *faults)
    said = []
    for _ in faults:
        code = main(["jira-sync", "--db", str(db_path), "--secrets", str(secrets)])
        out = capsys.readouterr()
        assert code == 1, out.err
        said.append(out.out + out.err)
    assert "Request headers: Authorization: " in said[0]  # the echo arrived: redacted
    assert all("[redacted]" in text for text in said)
    assert leaks("\n".join(said), deployment) == []
    close_all()
    stored = every_value(db_path)
    assert stored.count("[redacted]") >= 2 * len(faults)  # each run and its audit entry
    assert leaks(stored, deployment) == []


def test_echoed_credentials_do_not_reach_the_data_page(jira_site, monkeypatch, db_path):
    site = jira_site("cloud")
    site.app.fail(SEARCH["cloud"], *echoing_faults("cloud"))
    # A run recorded before this redaction existed holds the Basic header as Jira echoed it.
    basic = base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode()
    now = dt.datetime(2026, 11, 2, 9, 0)
    open_store(str(db_path)).record_jira_failure(
        SyncRun(now, now, "full", "cloud", site.url, EMAIL, "project = GEN", None, 0, 0, 1,
                False, f"HTTP 400: echo Authorization: Basic {basic}", "cli")
    )  # fmt: skip
    close_all()
    monkeypatch.setenv("COCKPIT_DB", str(db_path))
    monkeypatch.delenv("COCKPIT_READ_ONLY", raising=False)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("views/data.py")
    at.session_state["tab"] = "Jira"
    at.run()
    for _ in range(3):
        at.button(key="jira_sync_now").click().run()
        assert not at.exception
        assert "[redacted]" in shown(at.error[0].value)
        on_page = page_text(at)
        assert leaks(on_page, "cloud") == []
    assert on_page.count("[redacted]") >= 4  # the message and the four runs listed


def page_text(at: AppTest) -> str:
    """Everything the page shows as text, tables included (cells in full)."""
    parts = [shown(e.value) for kind in ("markdown", "error", "info", "success", "warning",
                                         "caption") for e in getattr(at, kind)]  # fmt: skip
    parts += [e.value for kind in ("text", "code") for e in getattr(at, kind)]
    for table in at.dataframe:
        frame = table.value
        parts.append(frame.to_csv() if hasattr(frame, "to_csv") else frame.write_csv())
    return "\n".join(str(p) for p in parts)


def test_every_form_is_redacted_and_prose_is_left_alone():
    config = JiraConfig(url="https://bob:Pa55word-x@jira.example.com", email=EMAIL,
                        api_token=API_TOKEN, pat=PAT)  # fmt: skip
    pair = f"{EMAIL}:{API_TOKEN}".encode()
    basic, urlsafe = base64.b64encode(pair).decode(), base64.urlsafe_b64encode(pair).decode()
    echoed = [
        API_TOKEN, quote(API_TOKEN, safe=""), quote_plus(API_TOKEN), f"Basic {basic}",
        f"Basic%20{quote(basic, safe='')}", f"basic {basic.rstrip('=')}", f"Basic {urlsafe}",
        f"Bearer {PAT}", f"Bearer%20{quote(PAT, safe='')}", basic.replace("/", "\\/"),
        "Authorization: Basic dW5rbm93bjpzb21lb25lLWVsc2Vz",  # a credential we do not know
        "Pa55word-x",
    ]  # fmt: skip
    for text in echoed:
        cleaned = redact(f"Jira said: {text} (end)", config)
        assert "[redacted]" in cleaned and cleaned.endswith(" (end)"), text
        assert leaks(cleaned, "cloud") == [] and leaks(cleaned, "datacenter") == []
        assert "Pa55word" not in cleaned and "dW5rbm93bjpz" not in cleaned
    prose = "Basic authentication is disabled; use a Bearer token (see the admin guide)."
    assert redact(prose, config) == prose
    assert re.search(r"\[redacted\]", redact(f"x {API_TOKEN}", JiraConfig(api_token=API_TOKEN)))
