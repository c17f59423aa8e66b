"""Uploading through the real Data page: `streamlit run` and headless Chromium."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import screenshot, wait_for_app
from tests.sheets import MEASUREMENT, PROJECT, rows, snapshot_files

pytestmark = pytest.mark.browser


def _files(tmp_path, **tables):
    """The upload as files on disk, dated relative to today (the page's default as-of)."""
    last_month = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    tables.setdefault("measurements", rows(MEASUREMENT, {"measured_at": last_month}))
    paths = []
    for source in snapshot_files(**tables):
        path = tmp_path / source.name
        path.write_bytes(source.data)
        paths.append(str(path))
    return paths


def _open_data_page(page, server) -> None:
    # A freshly started server treats the pages/ folder as a legacy multipage app until
    # one session has run app.py (Streamlit flips that only when st.navigation first
    # runs), so the first session sees the legacy navigation. Open the root once, then
    # the page by its URL in a new session, as a shared link would.
    page.goto(server.url)
    page.get_by_text("Where is the gap?").wait_for(timeout=30000)
    wait_for_app(page)
    page.goto(server.url + "/data")
    page.get_by_text("Spreadsheets to load").wait_for(timeout=30000)
    wait_for_app(page)
    assert page.get_by_text("Manage").count() == 1  # the app's own navigation


def test_upload_check_and_commit_through_the_page(serve, page, tmp_path):
    db = tmp_path / "cockpit.duckdb"
    server = serve(db)
    page.set_viewport_size({"width": 1400, "height": 1000})
    _open_data_page(page, server)
    page.get_by_text("No data yet").wait_for(timeout=15000)
    screenshot(page, "data-empty")

    uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
    bad = tmp_path / "bad"
    bad.mkdir()
    uploader.set_input_files(_files(bad, projects=rows(PROJECT, {"budget": "-5"})))
    page.get_by_text("must be fixed before this can be committed").wait_for(timeout=30000)
    wait_for_app(page)
    assert page.get_by_role("button", name="Commit snapshot").count() == 0
    screenshot(page, "data-refused")

    page.reload()  # a new session: an empty uploader
    page.get_by_text("Spreadsheets to load").wait_for(timeout=30000)
    wait_for_app(page)
    good = tmp_path / "good"
    good.mkdir()
    uploader.set_input_files(_files(good))
    page.get_by_text("Ready to commit").wait_for(timeout=30000)
    wait_for_app(page)
    screenshot(page, "data-ready")
    page.get_by_role("button", name="Commit snapshot").click()
    page.get_by_text("committed: 1 project, 1 benefit, 1 measurement").wait_for(timeout=30000)
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "data-committed")

    page.get_by_role("tab", name="History").click()
    page.get_by_text("Every upload is kept").wait_for(timeout=30000)
    wait_for_app(page)
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    screenshot(page, "data-history")
