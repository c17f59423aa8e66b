"""`python -m connectors load`: exit 0 with a summary, 1 with every problem and nothing
written, 2 for usage errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.cli import main
from store import close_all, open_store
from tests.sheets import PROJECT, dump_file, rows, snapshot_files

ROOT = Path(__file__).resolve().parent.parent


def write(folder: Path, files) -> list[str]:
    paths = []
    for source in files:
        path = folder / source.name
        path.write_bytes(source.data)
        paths.append(str(path))
    return paths


def test_load_prints_counts_and_warnings(tmp_path, db_path, capsys):
    files = write(tmp_path, snapshot_files(projects=rows(PROJECT, {}, {"project_id": "P2"})))
    code = main(["load", *files, "--as-of", "2026-09-30", "--db", str(db_path), "--source", "Q3"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Snapshot #1 as of 2026-09-30 committed" in out
    assert "projects: 2" in out and "benefits: 1" in out and "measurements: 1" in out
    assert "1 warning(s)" in out and "row 3 column project_id" in out
    snapshot = open_store(str(db_path)).snapshots().row(0, named=True)
    assert snapshot["source"] == "Q3" and snapshot["created_by"] == "cli"


def test_the_same_files_again_say_nothing_to_do(tmp_path, db_path, capsys):
    files = write(tmp_path, snapshot_files())
    assert main(["load", *files, "--as-of", "2026-09-30", "--db", str(db_path)]) == 0
    assert main(["load", *files, "--as-of", "2026-09-30", "--db", str(db_path)]) == 0
    assert "Nothing to do" in capsys.readouterr().out


def test_problems_exit_1_list_everything_and_write_nothing(tmp_path, db_path, capsys):
    good = write(tmp_path, snapshot_files())
    assert main(["load", *good, "--as-of", "2026-08-31", "--db", str(db_path)]) == 0
    close_all()
    before = dump_file(db_path)
    bad = write(
        tmp_path,
        snapshot_files(projects=rows(PROJECT, {"budget": "-1"}, {"project_id": "P1"})),
    )
    code = main(["load", *bad, "--as-of", "2026-09-30", "--db", str(db_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Refused: 3 error(s) found; nothing was written." in err
    assert "projects.csv [projects] row 2 column budget: value '-1': is negative" in err
    assert "row 3 column project_id: value 'P1': appears more than once" in err
    close_all()
    assert dump_file(db_path) == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--as-of", "30/09/2026"], "is not a date like 2026-09-30"),
        (["--as-of", "2026-02-30"], "is not a date"),
        ([], "--as-of"),
    ],
)
def test_usage_errors_exit_2(tmp_path, db_path, capsys, args, says):
    files = write(tmp_path, snapshot_files())
    with pytest.raises(SystemExit) as stop:
        main(["load", *files, *args, "--db", str(db_path)])
    assert stop.value.code == 2
    assert says in capsys.readouterr().err


def test_a_missing_file_or_a_folder_is_a_usage_error(tmp_path, db_path, capsys):
    assert main(["load", str(tmp_path / "nope.csv"), "--as-of", "2026-09-30"]) == 2
    assert "nope.csv does not exist" in capsys.readouterr().err
    assert main(["load", str(tmp_path), "--as-of", "2026-09-30", "--db", str(db_path)]) == 2
    assert not db_path.exists()


def test_an_oversized_file_is_refused_without_reading_it(tmp_path, db_path, capsys):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:  # a sparse 200 MB file: nothing is really written to disk
        f.truncate(200 * 1024 * 1024)
    code = main(["load", str(huge), "--as-of", "2026-09-30", "--db", str(db_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert "huge.csv is 200.0 MB, more than the 50 MB an upload may hold" in err
    assert not db_path.exists()


def test_the_real_command_line(tmp_path, db_path):
    files = write(tmp_path, snapshot_files())
    done = subprocess.run(
        [sys.executable, "-m", "connectors", "load", *files, "--as-of", "2026-09-30"],
        cwd=ROOT,
        env={"COCKPIT_DB": str(db_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "committed" in done.stdout and not done.stderr


def test_the_upload_limit_setting_applies_to_the_cli(tmp_path, monkeypatch):
    """COCKPIT_MAX_UPLOAD_MB is the deployment's limit for the app and the CLI alike."""
    big = tmp_path / "measurements.csv"
    big.write_text("benefit_id,measured_at,value\n" + "B1,2026-01-31,1\n" * 150_000)  # ~2.3 MB
    db = tmp_path / "store.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "connectors", "load", str(big), "--as-of", "2026-09-30",
         "--db", str(db)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "COCKPIT_MAX_UPLOAD_MB": "1"},
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert done.returncode == 1
    assert "MB" in done.stderr and "measurements.csv" in done.stderr
    assert "Traceback" not in done.stderr
