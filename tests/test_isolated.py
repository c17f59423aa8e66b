"""The child process that parses uploads: a reader that aborts, runs out of memory or
time ends only that child, and the caller gets a reason to tell the user."""

from __future__ import annotations

import pickle
import sys
import time
import types

import pytest

from connectors.ingest import ingest, read_upload, validate
from connectors.isolated import WorkerFailed, run_isolated
from connectors.sheets import load_files
from connectors.sheets.limits import GB, Limits
from connectors.sheets.read import SourceFile
from tests.sheets import AS_OF, dump, snapshot_files
from tests.support import hostile

# Caps so loose that the checks before parsing let the far-away cell through, so the
# XLSX reader itself meets it (and asks for 512 GiB).
LOOSE = Limits(max_columns=20_000, max_sheet_cells=10**12, worker_memory_bytes=2 * GB)


def test_a_reader_that_aborts_ends_only_the_child(loaded_store):
    before = dump(loaded_store)
    far = SourceFile("far.xlsx", hostile.far_cell_xlsx())
    result = validate(loaded_store, [far], AS_OF, LOOSE)
    assert not result.ok and result.n_errors == 1
    problem = result.errors[0]
    assert problem.file == "far.xlsx"
    assert "needed more than the 2 GB of memory an upload may use" in problem.problem
    assert "nothing was written" in problem.problem and problem.fix
    outcome = ingest(loaded_store, [far], AS_OF, limits=LOOSE)
    assert outcome.commit is None and dump(loaded_store) == before
    assert validate(loaded_store, snapshot_files(), AS_OF).ok  # and the next upload is read


def test_the_mapping_step_reads_nothing_from_a_file_that_kills_its_reader():
    far = SourceFile("far.xlsx", hostile.far_cell_xlsx())
    assert read_upload([far], LOOSE) == []
    tables = read_upload(snapshot_files())
    assert [t.file for t in tables] == ["projects.csv", "benefits.csv", "measurements.csv"]


def test_a_child_over_its_time_is_stopped():
    with pytest.raises(WorkerFailed) as failed:  # an hour's sleep: stopped, not waited for
        run_isolated(time.sleep, 3600, limits=Limits(worker_seconds=1))
    assert failed.value.reason == "time"


def test_a_child_over_its_memory_is_stopped():
    with pytest.raises(WorkerFailed) as failed:
        run_isolated(bytearray, 3 * GB, limits=Limits(worker_memory_bytes=1 * GB))
    assert failed.value.reason == "memory"


def test_the_child_does_not_run_the_callers_script_again(tmp_path, monkeypatch):
    """Under Streamlit the page being drawn is `__main__`; the child must not run it."""
    page = tmp_path / "page.py"
    page.write_text("raise SystemExit('the page ran again in the child')\n")
    script = types.ModuleType("__main__")
    script.__file__ = str(page)
    monkeypatch.setitem(sys.modules, "__main__", script)
    assert run_isolated(sum, [1, 2], limits=Limits()) == 3


def test_a_load_result_crosses_with_its_frames_once():
    """The frames travel inside the parsed tables and are rebuilt on arrival, equal."""
    files = snapshot_files()
    here = load_files(files, AS_OF)
    there = run_isolated(load_files, files, AS_OF, limits=Limits())
    assert here.frames is not None and there.frames is not None
    for table in ("projects", "benefits", "measurements"):
        assert getattr(there.frames, table).equals(getattr(here.frames, table))
        assert there.parsed[table].equals(here.parsed[table])
    assert pickle.loads(pickle.dumps(load_files(files[:1], AS_OF))).frames is not None


def test_a_job_answers_or_raises_as_in_process():
    assert run_isolated(sum, [1, 2, 3], limits=Limits()) == 6
    with pytest.raises(ValueError, match="invalid literal"):
        run_isolated(int, "six", limits=Limits())
