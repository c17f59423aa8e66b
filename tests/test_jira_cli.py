"""`cockpit jira-sync` (and `python -m connectors jira-sync`): progress and every wait on
stderr, a summary on stdout, exit codes."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.cli import main
from connectors.jira import sync
from connectors.jira.cloud import SEARCH
from tests.support.fake_jira import Fault
from tests.support.jira_data import generated
from tests.support.jira_helpers import config_for, quick_http
from ui.manage.jira_panel import SyncProgress

ROOT = Path(__file__).resolve().parent.parent
JIRA_VARIABLES = (
    "JIRA_URL",
    "JIRA_EMAIL",
    "JIRA_API_TOKEN",
    "JIRA_PAT",
    "JIRA_JQL",
    "JIRA_DEPLOYMENT",
    "JIRA_RETRY_CAP_SECONDS",
)


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    """An empty secrets.toml, so that no developer's own Jira settings leak into a test."""
    path = tmp_path / "secrets.toml"
    path.write_text("# no [jira] table\n")
    return path


@pytest.fixture
def jira_env(monkeypatch):
    for name in JIRA_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def point_at(site, **extra: str) -> dict[str, str]:
        values = {"JIRA_URL": site.url, "JIRA_JQL": "project = GEN", **extra}
        if site.app.deployment == "cloud":
            values.update(JIRA_EMAIL=site.app.email, JIRA_API_TOKEN=site.app.api_token)
        else:
            values["JIRA_PAT"] = site.app.pat
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return values

    return point_at


def test_sync_prints_progress_and_a_summary(fake_jira, jira_env, db_path, secrets, capsys):
    site = fake_jira(generated(120), search_cap=50)
    jira_env(site)
    code = main(["jira-sync", "--db", str(db_path), "--secrets", str(secrets)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.startswith("Jira sync #1 (full, cloud): 120 issue(s)")
    assert (
        "fields: story points = customfield_10016 or customfield_10028, "
        "epic link = customfield_10014" in out.out
    )
    assert "jira: issues 120/120" in out.err and "jira: saving" in out.err
    assert site.app.api_token not in out.out + out.err

    code = main(["jira-sync", "--db", str(db_path), "--secrets", str(secrets)])
    out = capsys.readouterr()
    assert code == 0 and "(incremental, cloud)" in out.out
    code = main(["jira-sync", "--db", str(db_path), "--full", "--secrets", str(secrets)])
    assert code == 0 and "(full, cloud)" in capsys.readouterr().out


def test_settings_from_secrets_toml(fake_jira, jira_env, db_path, tmp_path, capsys):
    site = fake_jira(generated(5), deployment="datacenter")
    jira_env(site)
    for name in JIRA_VARIABLES:
        os.environ.pop(name, None)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[jira]\nurl = "{site.url}"\npat = "{site.app.pat}"\njql = "project = GEN"\n'
    )
    assert main(["jira-sync", "--db", str(db_path), "--secrets", str(secrets)]) == 0
    assert "(full, datacenter): 5 issue(s)" in capsys.readouterr().out


def test_missing_settings_exit_2_and_say_which(jira_env, db_path, secrets, capsys):
    os.environ["JIRA_URL"] = "https://acme.atlassian.net"
    os.environ["JIRA_API_TOKEN"] = "ATATT-only-a-token-Sup3rSecret"
    code = main(["jira-sync", "--db", str(db_path), "--secrets", str(secrets)])
    out = capsys.readouterr()
    assert code == 2
    assert "JIRA_EMAIL" in out.err and "JIRA_JQL" in out.err
    assert "Sup3rSecret" not in out.out + out.err
    assert not db_path.exists()  # a usage error opens nothing


def test_jira_errors_exit_1_with_the_message(fake_jira, jira_env, db_path, secrets, capsys):
    site = fake_jira(generated(5))
    jira_env(site, JIRA_JQL="project = GEN AND !!")
    code = main(["jira-sync", "--db", str(db_path), "--secrets", str(secrets)])
    out = capsys.readouterr()
    assert code == 1
    assert "\nerror: Jira rejected the request to /rest/api/3/search/" in out.err
    assert "reserved JQL character" in out.err
    assert "Traceback" not in out.err


def test_no_traceback_and_no_token_from_the_real_command(fake_jira, db_path, secrets):
    site = fake_jira(generated(5))
    site.app.fail("/rest/api/3/myself", Fault(401, body=f"denied {site.app.api_token}"))
    done = _run_sync(site.url, db_path, secrets, entry="connectors")
    assert done.returncode == 1
    assert f"Jira refused the credentials for {site.app.email} at {site.url}" in done.stderr
    assert "Traceback" not in done.stderr
    assert site.app.api_token not in done.stdout + done.stderr


# Waits: an unreachable or busy Jira is never silence --------------------------------------
def _run_sync(
    url: str, db_path: Path, secrets: Path, entry: str = "cockpit", **settings: str
) -> subprocess.CompletedProcess[str]:
    """`cockpit jira-sync` (or `python -m ENTRY jira-sync`) in a child process against
    `url`, with the fake Jira's Cloud credentials and any other JIRA_* `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIRA_")}
    env.update(
        JIRA_URL=url,
        JIRA_EMAIL="pmo.lead@example.com",
        JIRA_API_TOKEN="ATATT3xFfGF0-cloud-token-Sup3rSecret",
        JIRA_JQL="project = GEN",
        **settings,
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            entry,
            "jira-sync",
            "--db",
            str(db_path),
            "--secrets",
            str(secrets),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_jira_says_each_wait_and_gives_up_at_the_cap(db_path, secrets):
    url = f"http://127.0.0.1:{_closed_port()}"
    done = _run_sync(url, db_path, secrets, JIRA_RETRY_CAP_SECONDS="3")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    waits = [line for line in lines if line.startswith("jira: Jira at")]
    assert waits, done.stderr
    where = f"Jira at {url}, GET /rest/api/2/serverInfo: no connection (Connection refused)"
    assert waits[0].startswith(f"jira: {where}; waiting ")
    assert waits[0].endswith("s before attempt 2 (giving up 3 s after the first)")
    attempts = [int(re.search(r"before attempt (\d+)", w)[1]) for w in waits]
    assert attempts == list(range(2, len(waits) + 2))
    assert lines[-1].startswith(f"error: {where}. Gave up after {len(waits) + 1} attempt(s)")
    assert "Traceback" not in done.stderr and "Sup3rSecret" not in done.stderr


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port whose listen queue is full: a connection is never accepted nor refused,
    as with a firewall that drops packets."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    queued = []
    for _ in range(3):
        client = socket.socket()
        client.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            client.connect(("127.0.0.1", port))
        queued.append(client)
    yield port
    for client in queued:
        client.close()
    server.close()


def test_a_site_that_never_answers_the_connection_is_known_in_seconds(
    silent_listener, db_path, secrets
):
    url = f"http://127.0.0.1:{silent_listener}"
    done = _run_sync(url, db_path, secrets, JIRA_RETRY_CAP_SECONDS="0")
    assert done.returncode == 1, done.stderr
    assert (
        f"error: Jira at {url}, GET /rest/api/2/serverInfo: no connection within 5 s. "
        "Gave up after 1 attempt(s)"
    ) in done.stderr


def test_429_and_503_with_retry_after_are_waited_out_and_said(fake_jira, db_path, secrets):
    site = fake_jira(generated(5), email="pmo.lead@example.com")
    site.app.fail(
        "/rest/api/3/field",
        Fault(429, {"Retry-After": "1"}),
        Fault(503, {"Retry-After": "1"}),
    )
    done = _run_sync(site.url, db_path, secrets)
    assert done.returncode == 0, done.stderr
    waits = [line for line in done.stderr.splitlines() if line.startswith("jira: Jira at")]
    where = f"jira: Jira at {site.url}, GET /rest/api/3/field"
    assert len(waits) == 2
    assert waits[0].startswith(
        f"{where}: HTTP 429 (rate limited), asked to wait 1 s (Retry-After); waiting "
    )
    assert waits[0].endswith("s before attempt 2 (giving up 300 s after the first)")
    assert waits[1].startswith(f"{where}: HTTP 503, asked to wait 1 s (Retry-After); waiting ")
    assert "before attempt 3" in waits[1]
    assert all(float(re.search(r"waiting ([\d.]+) s", w)[1]) >= 1 for w in waits)
    assert done.stdout.startswith("Jira sync #1 (full, cloud): 5 issue(s)")
    assert len(site.app.requests_to("/rest/api/3/field")) == 3


def test_the_app_progress_bar_says_each_wait(fake_jira, store):
    """The Data page's bar (ui.manage.jira_panel.SyncProgress) during a real sync that waits."""

    class Bar:  # what st.progress returns: only `progress` is called on it
        def __init__(self) -> None:
            self.shown: list[tuple[float, str]] = []

        def progress(self, value: float, text: str) -> None:
            self.shown.append((value, text))

    site = fake_jira(generated(5))
    site.app.fail(SEARCH, Fault(503, {"Retry-After": "0"}))
    bar = Bar()
    shown = SyncProgress(bar)
    config = config_for(site)
    sync(store, config, progress=shown.report, waiting=shown.waiting, http=quick_http(config))
    texts = [text for _, text in bar.shown]
    waiting = [t for t in texts if "HTTP 503" in t]
    assert len(waiting) == 1 and "before attempt 2" in waiting[0]
    assert "POST /rest/api/3/search/jql" in waiting[0].replace("\\", "")  # shown escaped
    at = texts.index(waiting[0])
    assert bar.shown[at][0] == bar.shown[at - 1][0]  # the bar stays where it was
    assert texts[-1] == "Done…"
