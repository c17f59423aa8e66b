"""Hostile uploads through the Data page of a real `streamlit run` server (issue 14).

Before, the first of these workbooks made the XLSX reader abort and took the whole server
down, for every user, two seconds after the upload. Now each file is refused with its
message on the page, the server still answers its health check after each one, and the
store is as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from connectors.ingest import ingest
from store import close_all, open_store
from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_data_page import _open_data_page
from tests.sheets import PROJECT, csv_text, dump_file, rows, snapshot_files
from tests.support import hostile

pytestmark = pytest.mark.browser

HOSTILE = [
    ("whole-grid.xlsx", hostile.huge_dimension_xlsx, "declares 17 billion cells in sheet"),
    (
        "upload.zip",
        lambda: hostile.in_zip("whole-grid.xlsx", hostile.huge_dimension_xlsx()),
        "declares 17 billion cells in sheet",
    ),
    ("far.xlsx", hostile.far_cell_xlsx, "in sheet projects from A1 to XFD1048576"),
    ("strings.xlsx", hostile.huge_shared_string_xlsx, "holds a text of more than 32,767"),
    ("count.xlsx", hostile.shared_strings_count_xlsx, "declares 4.0 billion different texts"),
    ("bomb.xlsx", hostile.sheet_bomb_xlsx, "unpacks to more than 1 GB"),
    ("line.csv", lambda: hostile.single_line_csv(mib=5), "line 2 is longer than 1 MB"),
    ("wide.csv", hostile.wide_csv, "columns, more than the 500 a table may have"),
    ("nul.csv", hostile.nul_csv, "NUL (zero) byte on line 4,001"),
    (
        "names.csv",
        lambda: csv_text(rows(PROJECT, {"name": "N" * 100_000})).encode(),
        "holds a text of 100,000 characters",
    ),
    (
        "ids.csv",
        lambda: csv_text(rows(PROJECT, {"project_id": "=HYPERLINK(1)"})).encode(),
        "which a spreadsheet opening an export of it would run as a formula",
    ),
]


def test_hostile_uploads_are_refused_and_the_server_keeps_answering(serve, page, tmp_path):
    db = tmp_path / "cockpit.duckdb"
    outcome = ingest(open_store(str(db)), snapshot_files(), dt.date(2026, 8, 31), actor="setup")
    assert outcome.commit is not None
    close_all()
    before = dump_file(db)
    server = serve(db)
    page.set_viewport_size({"width": 1400, "height": 1000})
    _open_data_page(page, server)
    for name, build, says in HOSTILE:
        page.reload()  # a new session: an empty uploader
        page.get_by_text("Spreadsheets to load").wait_for(timeout=30000)
        wait_for_app(page)
        uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
        uploader.set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": build()}
        )
        page.get_by_text("must be fixed before this can be committed").wait_for(timeout=120000)
        page.get_by_text(says).first.wait_for(timeout=30000)
        wait_for_app(page)
        assert page.get_by_role("button", name="Commit snapshot").count() == 0, name
        assert page.locator("[data-testid='stException']").count() == 0, name
        assert requests.get(f"{server.url}/_stcore/health", timeout=10).ok, name
        if name in ("whole-grid.xlsx", "names.csv"):
            screenshot(page, f"data-hostile-{name.split('.')[0]}")
    server.stop()
    assert dump_file(db) == before
