"""Uploading through the real Data page: `streamlit run` and headless Chromium."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import screenshot, table_overflow, wait_for_app
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
    # Open the root once, then the page by its URL in a new session, as a shared link would
    # (a deep link as the very first request of a server: tests/browser/test_pages.py).
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


def _type_year(page, year: str) -> None:
    """Type a year into the as-of box's year segment, as a user would, and leave the box."""
    page.locator("[data-testid='stDateInput']").first.locator("[data-type='year']").click()
    page.keyboard.type(year)
    page.locator("[data-testid='stMain'] h1").click()  # away from the box: the run follows
    wait_for_app(page)


def test_the_as_of_typed_in_the_box_is_the_one_committed(serve, page, tmp_path):
    """A 2012 export: the box once refused the year, kept showing it, and the page
    offered to commit under today's date. Now 2012 is taken; a year to come is shown
    and blocks the commit."""
    server = serve(tmp_path / "cockpit.duckdb")
    _open_data_page(page, server)
    files = tmp_path / "old"
    files.mkdir()
    early = rows(MEASUREMENT, {"measured_at": "2011-06-30"})
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        _files(files, measurements=early)
    )
    page.get_by_text("Ready to commit").wait_for(timeout=30000)
    wait_for_app(page)
    box = page.locator("[data-testid='stDateInputField']").first
    _type_year(page, "2999")
    page.get_by_text("Nothing can be committed yet").wait_for(timeout=30000)
    assert "2999" in box.inner_text()
    assert page.get_by_role("button", name="Commit snapshot").count() == 0
    _type_year(page, "2012")
    assert "2012" in box.inner_text()
    page.get_by_text("Ready to commit").wait_for(timeout=30000)
    wait_for_app(page)
    shown = page.get_by_text("a snapshot as of").inner_text()
    assert "2012" in shown
    screenshot(page, "data-as-of-2012")
    page.get_by_role("button", name="Commit snapshot").click()
    page.get_by_text("committed").first.wait_for(timeout=30000)
    assert page.get_by_text("as of 2012-").count() >= 1


def test_enter_takes_a_typed_as_of_date_and_closes_the_calendar(demo_server, page):
    """Streamlit's date box opens its calendar on focus and, left to itself, keeps it open
    after Enter without taking the typed date (ui/widgets/date_enter.py)."""
    page.goto(demo_server.url + "/data?tab=Sources")
    page.get_by_text("Measure as of").wait_for(timeout=60000)
    wait_for_app(page)
    box = page.locator("[data-testid='stDateInput']").filter(has_text="Measure as of")
    later = page.get_by_text("values dated later count from the next snapshot on")
    if dt.date.today() > dt.date(2026, 9, 30):  # today is after the demo's latest snapshot
        assert later.count() == 1
    box.locator("[data-type='year']").click()
    calendar = page.locator("[data-testid='stDateInputCalendar']")
    calendar.wait_for(timeout=10000)  # opened by the focus
    page.keyboard.type("2026")
    page.keyboard.type("08")
    page.keyboard.type("31")
    page.keyboard.press("Enter")
    calendar.wait_for(state="detached", timeout=10000)
    wait_for_app(page)
    assert box.locator("[data-testid='stDateInputField']").inner_text().split() == [
        "2026", "-", "08", "-", "31"
    ]  # fmt: skip
    later.wait_for(state="detached", timeout=30000)  # the page has 31 Aug 2026
    screenshot(page, "data-as-of-typed-enter")


def test_the_validation_report_reads_whole_at_1280_and_1920(serve, browser, tmp_path):
    """A few bad rows: the report's causes and its row-by-row listing, every column whole
    (the listing scrolls down past its first rows, never sideways)."""
    server = serve(tmp_path / "cockpit.duckdb")
    bad = tmp_path / "bad"
    bad.mkdir()
    files = _files(
        bad,
        projects=rows(
            PROJECT,
            {"budget": "-5"},
            {"project_id": "P2", "baseline_end": "31/13/2026"},
            {"project_id": "P3", "status": "maybe"},
            {"project_id": "P1", "name": "Twice"},
        ),
        measurements=rows(MEASUREMENT, {"measured_at": "yesterday"}),
    )
    for width, height in ((1280, 720), (1920, 1080)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            _open_data_page(page, server)
            uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
            uploader.set_input_files(files)
            page.get_by_text("Validation report").wait_for(timeout=30000)
            wait_for_app(page)
            page.get_by_text("Every problem, row by row").click()
            listing = page.locator("[data-testid='stExpander'] [data-testid='stDataFrame']")
            sideways, _ = table_overflow(listing)
            assert sideways == 0, width
            page.get_by_text("Validation report").scroll_into_view_if_needed()
            screenshot(page, f"data-report-{width}x{height}")
        finally:
            context.close()
