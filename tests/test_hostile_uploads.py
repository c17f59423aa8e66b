"""Uploads built to exhaust the server (issue 14), through the real command line.

Each file is generated here and small on disk (except the single-line CSV, which must be
large to be what it is). Each must be refused with a message that says what is wrong,
leave the store as it was, and make `python -m connectors load` exit 1: before, the
workbooks aborted the process (exit 134; in the app, the whole server) or took gigabytes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from connectors.ingest import ingest
from store import close_all, open_store
from tests.sheets import dump_file, snapshot_files
from tests.support import hostile

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one snapshot, so 'unchanged' means something."""
    path = tmp_path_factory.mktemp("hostile") / "cockpit.duckdb"
    outcome = ingest(open_store(str(path)), snapshot_files(), dt.date(2026, 8, 31), actor="setup")
    assert outcome.commit is not None
    close_all()
    return path


def load(db: Path, path: Path) -> subprocess.CompletedProcess[str]:
    command = ["load", str(path), "--as-of", "2026-09-30", "--db", str(db)]
    return subprocess.run(
        [sys.executable, "-m", "connectors", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


HOSTILE: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "dimension": (
        "whole-grid.xlsx",
        hostile.huge_dimension_xlsx,
        "whole-grid.xlsx: declares 17 billion cells in sheet projects (A1:XFD1048576)",
    ),
    "dimension in a zip": (
        "upload.zip",
        lambda: hostile.in_zip("whole-grid.xlsx", hostile.huge_dimension_xlsx()),
        "upload.zip/whole-grid.xlsx: declares 17 billion cells",
    ),
    "far cell": (
        "far.xlsx",
        hostile.far_cell_xlsx,
        "far.xlsx: has values in sheet projects from A1 to XFD1048576: 16,384 columns",
    ),
    "far cell in a zip": (
        "upload.zip",
        lambda: hostile.in_zip("far.xlsx", hostile.far_cell_xlsx()),
        "upload.zip/far.xlsx: has values in sheet projects from A1 to XFD1048576",
    ),
    "huge shared string": (
        "strings.xlsx",
        hostile.huge_shared_string_xlsx,
        "strings.xlsx: holds a text of more than 32,767 characters in its shared strings",
    ),
    "declared shared strings": (
        "count.xlsx",
        hostile.shared_strings_count_xlsx,
        "count.xlsx: declares 4.0 billion different texts (shared strings)",
    ),
    "sheet XML bomb": (
        "bomb.xlsx",
        hostile.sheet_bomb_xlsx,
        "bomb.xlsx: unpacks to more than 1 GB",
    ),
    "single line": (
        "line.csv",
        hostile.single_line_csv,
        "line.csv row 2: line 2 is longer than 1 MB",
    ),
    "100,000 columns": (
        "wide.csv",
        hostile.wide_csv,
        "columns, more than the 500 a table may have",
    ),
    "NUL byte": (
        "nul.csv",
        hostile.nul_csv,
        "nul.csv row 4001: holds a NUL (zero) byte on line 4,001",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_is_refused_and_the_store_is_unchanged(loaded_db, tmp_path, case):
    name, build, says = HOSTILE[case]
    path = tmp_path / name
    path.write_bytes(build())
    before = dump_file(loaded_db)
    done = load(loaded_db, path)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Refused" in done.stderr and "nothing was written" in done.stderr
    assert says in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert dump_file(loaded_db) == before
