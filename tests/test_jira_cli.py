"""`python -m connectors jira-sync`: progress on stderr, a summary on stdout, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.cli import main
from tests.support.fake_jira import Fault
from tests.support.jira_data import generated

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
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIRA_")}
    env.update(
        JIRA_URL=site.url,
        JIRA_EMAIL=site.app.email,
        JIRA_API_TOKEN=site.app.api_token,
        JIRA_JQL="project = GEN",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "connectors",
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
    assert done.returncode == 1
    assert f"Jira refused the credentials for {site.app.email} at {site.url}" in done.stderr
    assert "Traceback" not in done.stderr
    assert site.app.api_token not in done.stdout + done.stderr
