"""The Data page under AppTest: upload, report, commit, history, undoable delete, audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from store import close_all, open_store
from tests.sheets import MEASUREMENT, PROJECT, dump, rows, snapshot_files
from tests.support.data_page import button, causes, open_tab, upload
from tests.support.markdown import shown
from tests.support.tables import unreadable_cells


def rows_listed(at: AppTest):
    """The row-by-row listing of the report."""
    return next(d.value for d in at.dataframe if "Severity" in d.value.columns)


def test_an_empty_store_explains_how_to_load_data(data_page, tmp_path):
    at = data_page(tmp_path / "empty.duckdb")
    assert not at.error
    assert any("No data yet" in i.value for i in at.info)
    labels = [d.label for d in at.get("download_button")]
    assert "Template (Excel)" in labels and "Template (CSV files, zip)" in labels
    for tab in ("History", "Audit log"):
        open_tab(at, tab)
        assert not at.error and at.info, tab


def test_the_demo_can_be_loaded_from_an_empty_store(data_page, tmp_path):
    at = data_page(tmp_path / "empty.duckdb", user="ana@example.com")
    button(at, "Load the demo portfolio").click().run()
    assert not at.exception
    assert any("demo portfolio is loaded" in s.value for s in at.success)
    close_all()
    snapshots = open_store(str(tmp_path / "empty.duckdb")).snapshots()
    # eight quarterly uploads and three measurement runs over the demo's warehouse
    assert snapshots["kind"].value_counts().sort("kind").rows() == [
        ("measure", 3),
        ("portfolio", 8),
    ]
    assert set(snapshots["created_by"]) == {"ana@example.com"}


def test_upload_check_and_commit(data_page, db_path):
    at = upload(data_page(db_path, user="ana@example.com"), snapshot_files())
    assert any("Ready to commit" in m.value for m in at.markdown)
    assert any("1 project," in m.value for m in at.markdown)
    assert [t.label for t in at.tabs if "(" in t.label] == [
        "Projects (1)",
        "Benefits (1)",
        "Measurements (1)",
    ]
    button(at, "Commit snapshot").click().run()
    assert not at.exception
    assert any("Snapshot #1 as of 2026-09-30 committed" in shown(s.value) for s in at.success)
    assert at.file_uploader[0].value == []  # a fresh uploader for the next upload
    close_all()
    snapshot = open_store(str(db_path)).snapshots().row(0, named=True)
    assert snapshot["created_by"] == "ana@example.com" and snapshot["state"] == "active"


def test_a_refused_upload_shows_the_report_and_writes_nothing(data_page, db_path):
    at = upload(data_page(db_path), snapshot_files())
    button(at, "Commit snapshot").click().run()
    before = dump(open_store(str(db_path)))  # the app's own connection: nothing closed
    bad = snapshot_files(projects=rows(PROJECT, {"budget": "-5"}))
    at = upload(at, bad)
    assert any(
        "must be fixed" in e.value and "Nothing has been written" in e.value for e in at.error
    )
    assert all(b.label != "Commit snapshot" for b in at.button)
    [cause] = causes(at)
    assert cause["Problem"] == "1 row: budget is negative" and cause["Rows"] == "2"
    assert cause["Example"] == "-5" and "0 or more" in cause["How to fix"]
    assert "Where" not in cause  # one file: named above the table
    assert any("1 problem in 1 cause, all in projects.csv" in shown(m.value) for m in at.markdown)
    report = rows_listed(at)
    assert report.loc[0, "Row"] == 2 and report.loc[0, "Column"] == "budget"
    assert report.loc[0, "Value"] == "-5"
    assert any(d.label == "Download the report (CSV)" for d in at.get("download_button"))
    assert dump(open_store(str(db_path))) == before


def test_the_report_reads_whole_at_1280(data_page, db_path):
    """A few bad rows: the row-by-row listing fits its expander on a 1280 px screen with
    every header, file, column name and problem whole; the preview names each file whole."""
    from ui.widgets.tables import FIT_WIDTH_IN_EXPANDER, one_line_px

    bad = snapshot_files(
        projects=rows(
            PROJECT,
            {"budget": "-5"},
            {"project_id": "P2", "baseline_end": "31/13/2026"},
            {"project_id": "P1", "name": "Twice"},
        ),
        measurements=rows(MEASUREMENT, {"measured_at": "yesterday"}),
    )
    at = upload(data_page(db_path), bad)
    listing = next(d for d in at.dataframe if "Severity" in d.value.columns)
    assert {"baseline_end", "measured_at"} <= set(listing.value["Column"])
    assert unreadable_cells(listing, FIT_WIDTH_IN_EXPANDER) == []
    assert any("project_id must be unique" in p for p in listing.value["Problem"])
    preview = next(d for d in at.dataframe if "file" in d.value.columns)
    width = json.loads(preview.proto.columns)["file"]["width"]
    assert width >= one_line_px(list(preview.value["file"]))


def test_the_same_content_again_is_a_noop(data_page, db_path):
    at = upload(data_page(db_path), snapshot_files())
    button(at, "Commit snapshot").click().run()
    at = upload(at, snapshot_files())
    button(at, "Commit snapshot").click().run()
    assert any("Nothing to do" in i.value for i in at.info)


def test_history_delete_then_undo(data_page, db_path):
    at = upload(data_page(db_path), snapshot_files())
    button(at, "Commit snapshot").click().run()
    at = upload(at, snapshot_files(projects=rows(PROJECT, {"name": "Renamed"})))
    button(at, "Commit snapshot").click().run()
    open_tab(at, "History")
    table = at.dataframe[0].value
    assert list(table["Snapshot"]) == [2, 1]
    assert list(table["State"]) == ["Active", "Superseded"]
    assert table.loc[0, "Changes since the previous snapshot"] == "projects ~1"

    at.session_state["history_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert any("Snapshot #2" in m.value for m in at.markdown)
    button(at, "Delete").click().run()
    assert not at.exception
    assert any("deleted" in m.value for m in at.markdown)
    assert list(at.dataframe[0].value["State"]) == ["Deleted", "Superseded"]
    button(at, "Undo").click().run()
    assert not at.exception
    assert list(at.dataframe[0].value["State"]) == ["Active", "Superseded"]


def test_restore_a_superseded_snapshot(data_page, db_path):
    at = upload(data_page(db_path), snapshot_files())
    button(at, "Commit snapshot").click().run()
    at = upload(at, snapshot_files(projects=rows(PROJECT, {"name": "Renamed"})))
    button(at, "Commit snapshot").click().run()
    open_tab(at, "History")
    at.session_state["history_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    button(at, "Restore").click().run()
    assert any("active again" in s.value for s in at.success)
    assert list(at.dataframe[0].value["State"]) == ["Superseded", "Active"]


def test_the_audit_log_lists_every_change(data_page, db_path):
    at = upload(data_page(db_path, user="ana@example.com"), snapshot_files())
    button(at, "Commit snapshot").click().run()
    open_tab(at, "Audit log")
    log = at.dataframe[0].value
    assert list(log["Action"]) == ["Upload"] and list(log["Who"]) == ["ana@example.com"]
    detail = log.loc[0, "Detail"]  # a sentence, not the stored field names
    assert detail.startswith("As of 2026-09-30, ") and detail.endswith(".")
    assert "projects" in detail and "as_of" not in detail and "{" not in detail
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Audit log (CSV)", "Audit log (Excel)"]


def test_an_old_as_of_date_is_accepted_and_committed_under_that_date(data_page, db_path):
    # A 2012 export: the date box once refused dates before ten years ago and the page
    # went on to commit under today's date instead.
    at = data_page(db_path)
    at.file_uploader[0].set_value(
        [
            (f.name, f.data, "text/csv")
            for f in snapshot_files(measurements=rows({**MEASUREMENT, "measured_at": "2012-08-31"}))
        ]
    )
    at.date_input(key="upload_as_of").set_value("2012-09-30")
    at.run()
    assert at.date_input(key="upload_as_of").value.isoformat() == "2012-09-30"
    assert any("Ready to commit** a snapshot as of 30 Sep 2012" in m.value for m in at.markdown)
    button(at, "Commit snapshot").click().run()
    assert any("as of 2012-09-30 committed" in shown(s.value) for s in at.success)
    close_all()
    assert open_store(str(db_path)).snapshots()["as_of"].to_list() == [dt.date(2012, 9, 30)]


@pytest.mark.parametrize(
    ("typed", "why"), [("1812-09-30", "before 1970"), ("2999-09-30", "in the future")]
)
def test_an_unusable_as_of_date_blocks_the_commit(data_page, db_path, typed, why):
    at = upload(data_page(db_path), snapshot_files())
    assert any(b.label == "Commit snapshot" for b in at.button)
    at.date_input(key="upload_as_of").set_value(typed)
    at.run()
    # the box keeps what was typed, and nothing offers to commit under another date
    assert at.date_input(key="upload_as_of").value.isoformat() == typed
    assert any(why in e.value and "Nothing can be committed" in e.value for e in at.error)
    assert all(b.label != "Commit snapshot" for b in at.button)
    assert not any("Ready to commit" in m.value for m in at.markdown)


def test_amounts_that_look_like_another_unit_must_be_confirmed(data_page, db_path):
    # £221.2M written as 221.2 on a first snapshot: no error, but not committed unasked
    at = upload(data_page(db_path), snapshot_files(projects=rows(PROJECT, {"budget": "221.2"})))
    assert any("Ready to commit" in m.value for m in at.markdown)
    [warning] = [w.value for w in at.warning if "Check the amounts" in w.value]
    assert "too little for a project" in warning and "millions" in warning
    commit = button(at, "Commit snapshot")
    assert commit.disabled
    at.checkbox[0].check().run()
    assert not button(at, "Commit snapshot").disabled
    button(at, "Commit snapshot").click().run()
    assert any("committed" in s.value for s in at.success)
