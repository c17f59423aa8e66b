"""`cockpit`, the product's one command, as a user runs it: a real process each time.

`make` installs it from pyproject.toml's `[project.scripts]` (an editable install); the
tests run the very function it calls through `python -m cockpit`, from another folder.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import duckdb
import pytest

from cockpit.cli import build_parser, main
from domain.console import EXIT_PIPE_CLOSED

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (
    "load", "demo", "jira-sync", "measure", "maintain-store", "check-store", "migrate-store",
    "report", "briefing",
)  # fmt: skip


def cockpit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`cockpit ARGS` in `cwd`, with the repository importable as the install makes it."""
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def test_pyproject_installs_one_console_command_and_every_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"] == {"cockpit": "cockpit.cli:main"}
    module, _, name = project["project"]["scripts"]["cockpit"].partition(":")
    assert getattr(sys.modules[module], name) is main
    # every top-level package of the product is installed (the tests are not)
    include = set(project["tool"]["setuptools"]["packages"]["find"]["include"])
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert include == packages | {f"{p}.*" for p in packages}


def test_cockpit_lists_every_command_and_runs_from_any_folder(demo_db, tmp_path):
    shown = cockpit("--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    listed = re.findall(r"^    (\S+)", shown.stdout, flags=re.MULTILINE)
    assert tuple(listed) == COMMANDS
    done = cockpit("report", "--db", str(demo_db), "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "report.json").is_file()


def test_demo_twice_loads_its_jira_issues_once(tmp_path):
    db = tmp_path / "cockpit.duckdb"
    first = cockpit("demo", "--db", str(db), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Jira demo sync #1: 500 issues" in first.stdout
    again = cockpit("demo", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Nothing to do: the demo's Jira issues are already loaded (sync #1)." in again.stdout
    assert "committed" not in again.stdout  # every snapshot is already there
    with duckdb.connect(str(db), read_only=True) as con:
        runs = con.execute("SELECT count(*) FROM jira_sync_runs").fetchone()[0]
        audit = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert runs == 1
    # from the first run only: eight snapshots, the 41 measurement sources they define,
    # one Jira load and the three monthly measurement runs of the latest quarter
    assert audit == 8 + 41 + 1 + 3
    assert "the demo's measurement runs are already done (run #3)" in again.stdout


def test_the_readme_load_command_loads_the_exported_demo_as_written(tmp_path):
    exported = cockpit("demo", "--db", "demo.duckdb", "--export", "demo", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    folder = tmp_path / "demo" / "2026-09-30"
    assert sorted(p.name for p in folder.iterdir()) == [
        "benefits.csv",
        "measurement_sources.csv",
        "measurements.csv",
        "projects.csv",
    ]
    readme = (ROOT / "README.md").read_text()
    (command,) = re.findall(r"^cockpit load projects\.csv .*$", readme, flags=re.MULTILINE)
    args = [*shlex.split(command)[1:], "--db", str(tmp_path / "mine.duckdb")]
    loaded = cockpit(*args, cwd=folder)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("Snapshot #1 as of 2026-09-30 committed: 64 projects")


def test_every_command_the_readme_shows_is_one_cockpit_knows():
    """Each `cockpit ...` line of the README names a real command and real options, and
    no product command is shown as `python -m connectors|metrics`."""
    readme = (ROOT / "README.md").read_text()
    assert not re.search(r"python -m (connectors|metrics)\b", readme)
    shown = re.findall(r"`?cockpit ((?:[a-z-]+)(?: [^`\n]*)?)", readme)
    commands = build_parser()._subparsers._group_actions[0].choices  # name -> parser
    seen = set()
    for line in shown:
        name, *rest = line.split()
        if name not in commands:
            continue  # "cockpit column", "cockpit puts"...: prose
        seen.add(name)
        known = {o for a in commands[name]._actions for o in a.option_strings}
        assert set(re.findall(r"--[a-z-]+", " ".join(rest))) <= known, line
    assert seen == set(COMMANDS)


@pytest.mark.parametrize("entry", ["cockpit", "metrics"])
def test_a_reader_that_stops_early_gets_no_traceback(demo_db, tmp_path, entry):
    """`cockpit report ... | head -1`: the reader is gone before the report is written."""
    for args in (["report"], ["report", "--format", "csv", "--table", "benefits"]):
        child = subprocess.Popen(
            [sys.executable, "-m", entry, *args, "--db", str(demo_db)],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()  # like `head` once it has its lines
        errors = child.stderr.read().decode()
        assert child.wait(timeout=120) == EXIT_PIPE_CLOSED, errors
        assert errors == ""
