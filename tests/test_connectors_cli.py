"""`python -m connectors load`: exit 0 with a summary, 1 with every problem and nothing
written, 2 for usage errors."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.cli import main
from store import close_all, open_store
from tests.sheets import PROJECT, dump_file, export_2019_like, rows, snapshot_files

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
    assert "ERROR 2 rows: project_id appears more than once" in err  # by cause, counted
    assert "ERROR 1 row: budget is negative (projects.csv)" in err
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


MAPPING_2019 = """
# Cockpit column mapping, version 1
table = "projects"
[columns.project_id]
derive = "slug"
column = "project_name"
[columns.name]
column = "project_name"
[columns.baseline_end]
column = "end_date"
date_format = "%d.%m.%y"
skip_unreadable = true
[columns.budget]
column = "yearly_budget"
unit = "millions"
currency = "GBP"
blank_unreadable = true
"""


def _export(tmp_path: Path) -> str:
    return write(tmp_path, [export_2019_like()])[0]


def test_load_with_a_mapping_and_save_it_for_the_source(tmp_path, db_path, capsys):
    mapping = tmp_path / "gmpp.toml"
    mapping.write_text(MAPPING_2019)
    args = ["load", _export(tmp_path), "--as-of", "2026-09-30", "--db", str(db_path)]
    code = main([*args, "--mapping", str(mapping), "--source", "GMPP", "--save-mapping"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Mapping: gmpp.toml (projects)." in captured.err
    assert "projects: 3" in captured.out and "The mapping is saved for 'GMPP'" in captured.out
    assert "row 4 column baseline_end" in captured.out  # its row left out, as a warning
    close_all()
    # the next load of that source is mapped without --mapping
    code = main([*args[:3], "2026-12-31", "--db", str(db_path), "--source", "gmpp"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Mapping: the one saved for 'gmpp' (projects)." in captured.err
    close_all()
    assert open_store(str(db_path)).mappings()["source"].to_list() == ["GMPP"]


def test_an_explicit_mapping_wins_over_the_saved_one(tmp_path, db_path, capsys):
    store = open_store(str(db_path))
    store.save_mapping("GMPP", 'table = "projects"\n[columns.name]\ncolumn = "nope"\n', "ana")
    close_all()
    mapping = tmp_path / "gmpp.toml"
    mapping.write_text(MAPPING_2019)
    args = ["load", _export(tmp_path), "--as-of", "2026-09-30", "--db", str(db_path)]
    assert main([*args, "--source", "GMPP"]) == 1  # the saved one reads a column "nope"
    assert "the mapping reads the column 'nope'" in capsys.readouterr().err
    close_all()
    assert main([*args, "--source", "GMPP", "--mapping", str(mapping)]) == 0


def test_a_refused_mapped_load_exits_1_and_writes_nothing(tmp_path, db_path, capsys):
    mapping = tmp_path / "gmpp.toml"
    mapping.write_text(MAPPING_2019.replace("skip_unreadable = true\n", ""))
    args = ["load", _export(tmp_path), "--as-of", "2026-09-30", "--db", str(db_path)]
    code = main([*args, "--mapping", str(mapping), "--save-mapping", "--source", "GMPP"])
    err = capsys.readouterr().err
    assert code == 1
    assert "gmpp_2019.csv [projects] row 4 column baseline_end: value 'Exempt under" in err
    close_all()
    assert dump_file(db_path)["snapshots"] == [] and dump_file(db_path)["mappings"] == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('table = "projects"\n[columns.budget]\ncolumn = "b"\nunit = "lakhs"', "unit = 'lakhs'"),
        ("table = ", "is not valid TOML"),
        ('table = "projects"\nx = ' + "[" * 5000 + "]" * 5000, "nests arrays or tables too"),
        ("x = " + "{a = " * 5000 + "1" + "}" * 5000, "nests arrays or tables too deeply"),
    ],
)
def test_a_bad_mapping_file_is_a_usage_error(tmp_path, db_path, capsys, text, says):
    mapping = tmp_path / "bad.toml"
    mapping.write_text(text)
    args = ["load", _export(tmp_path), "--as-of", "2026-09-30", "--db", str(db_path)]
    code = main([*args, "--mapping", str(mapping)])
    err = capsys.readouterr().err
    assert code == 2 and says in err and "bad.toml" in err
    assert "Traceback" not in err and "RecursionError" not in err
    assert not db_path.exists()


def test_save_mapping_needs_a_mapping_and_the_mapping_must_exist(tmp_path, db_path, capsys):
    args = ["load", _export(tmp_path), "--as-of", "2026-09-30", "--db", str(db_path)]
    assert main([*args, "--save-mapping"]) == 2
    assert "--save-mapping needs --mapping" in capsys.readouterr().err
    assert main([*args, "--mapping", str(tmp_path / "none.toml")]) == 2
    assert "none.toml does not exist" in capsys.readouterr().err


def test_load_records_the_currency_said_or_shown(tmp_path, db_path, capsys):
    files = write(tmp_path, snapshot_files())
    assert main(["load", *files, "--as-of", "2026-09-30", "--db", str(db_path),
                 "--currency", "gbp"]) == 0  # fmt: skip
    assert "Amounts in GBP." in capsys.readouterr().out
    pounds = write(tmp_path, snapshot_files(projects=rows(PROJECT, {"budget": "£1,000,000"})))
    code = main(["load", *pounds, "--as-of", "2026-08-31", "--db", str(db_path),
                 "--currency", "USD"])  # fmt: skip
    assert code == 1 and "the amounts are in GBP" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["load", *files, "--as-of", "2026-10-31", "--db", str(db_path),
              "--currency", "pounds"])  # fmt: skip
    assert usage.value.code == 2
    assert "'pounds' is not a currency code" in capsys.readouterr().err
    close_all()
    assert open_store(str(db_path)).snapshot_currency(dt.date(2026, 9, 30)) == "GBP"
