"""The quarterly review in headless Chromium: presentation mode on a 1920x1080 wall screen,
and the briefing downloaded as a PDF."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader

from tests.browser.conftest import screenshot, table_overflow, wait_for_app

pytestmark = pytest.mark.browser


def test_presentation_mode_on_a_wall_screen(serve, browser, demo_db):
    server = serve(demo_db)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/review?present=true")
        wait_for_app(page, marker=".slide-band")
        assert "2026-Q3 · Quarterly strategy review" in page.locator(".slide-band").inner_text()
        message = page.locator(".slide-message")
        assert "gap of 25 points" in message.inner_text()
        # Large type: the message is set far above body size, and no sidebar takes room.
        size = message.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 40
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, "review-present-1920")

        page.get_by_role("button", name="Next").click()
        page.wait_for_url("**slide=In+brief**", timeout=15000)
        wait_for_app(page, marker=".slide-band")
        assert "2 of 8" in page.locator(".slide-band").inner_text()
        assert "In brief" in page.locator(".slide-message").inner_text()  # a headline too
    finally:
        context.close()


def _slide_after(page, key: str) -> str:
    before = page.locator(".slide-band").inner_text()
    page.keyboard.press(key)
    page.wait_for_function(
        "b => document.querySelector('.slide-band')?.innerText !== b", arg=before, timeout=15000
    )
    wait_for_app(page, marker=".slide-band")
    return page.locator(".slide-band").inner_text().rsplit("·", 1)[-1].strip()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1280, 800)])
def test_a_clickers_keys_move_the_slides_and_only_the_slide_is_on_screen(
    serve, browser, demo_db, size
):
    server = serve(demo_db)
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/review?present=true")
        wait_for_app(page, marker=".slide-band")
        page.locator(".slide-band").click()  # the keys go to the page, as a clicker's do
        assert _slide_after(page, "ArrowRight") == "2 of 8"
        assert _slide_after(page, "PageDown") == "3 of 8"
        assert _slide_after(page, "Space") == "4 of 8"
        assert "slide=Project+by+project" in page.url
        # the controls are a slim bar at the bottom, out of the slide
        bar = page.locator(".st-key-slide_bar").bounding_box()
        assert bar is not None and bar["y"] + bar["height"] >= height - 2 and bar["height"] < 80
        # chart text for the back of the room, the bubbles that matter named, no toolbar
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.locator("svg text").first.wait_for(timeout=30000)
        sizes = chart.locator("svg text").evaluate_all(
            "ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize))"
        )
        texts = chart.locator("svg text").evaluate_all("ts => ts.map(t => t.textContent)")
        assert "Regulatory reporting rebuild" in " ".join(texts)
        if width == 1920:
            assert min(sizes) >= 18
        assert not page.locator("[data-testid='stElementToolbar']").first.is_visible()
        screenshot(page, f"review-present-quadrant-{width}x{height}")
        assert _slide_after(page, "ArrowLeft") == "3 of 8"
        assert _slide_after(page, "PageUp") == "2 of 8"
        for _ in range(4):
            _slide_after(page, "ArrowRight")
        assert "slide=Benefits" in page.url
        assert page.locator(".slide-list li").count() <= 7  # a table fits: top rows, "and N more"
        assert "more" in page.locator("[data-testid='stMain']").inner_text()
        last = page.locator(".slide-list li").last.bounding_box()
        assert last is not None and last["y"] + last["height"] <= bar["y"]
        screenshot(page, f"review-present-benefits-{width}x{height}")
    finally:
        context.close()


def test_the_briefing_downloads_as_a_pdf(serve, page, demo_db):
    server = serve(demo_db)
    page.goto(f"{server.url}/review")
    wait_for_app(page)
    page.get_by_role("button", name="Briefing (PDF)").click(timeout=30000)
    ready = page.get_by_role("button", name="Download briefing (PDF)")
    ready.wait_for(timeout=120000)  # drawn in the page's run: charts render offline
    wait_for_app(page)
    screenshot(page, "review-briefing-ready")
    with page.expect_download(timeout=60000) as download:
        ready.click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "2026-Q3" in text and "Decisions to take" in text
    assert download.value.suggested_filename == "quarterly-briefing-2026-Q3.pdf"


def test_a_briefing_that_cannot_be_drawn_says_why(serve, page, demo_db):
    con = duckdb.connect(str(demo_db))
    con.execute("UPDATE projects SET sponsor = repeat('Chief Sponsor ', 45)")  # 630 characters
    con.close()
    server = serve(demo_db)
    page.goto(f"{server.url}/review")
    wait_for_app(page)
    page.get_by_role("button", name="Briefing (PDF)").click(timeout=30000)
    alert = page.locator("[data-testid='stAlertContentError']")
    alert.wait_for(timeout=120000)
    assert "cannot be drawn" in alert.inner_text() and "is the sponsor" in alert.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    page.mouse.move(5, 700)  # no tooltip over the message
    wait_for_app(page)
    screenshot(page, "review-briefing-refused")
    page.set_viewport_size({"width": 1920, "height": 1080})
    screenshot(page, "review-briefing-refused-1920")


# A table's scroller: as wide and as tall as what it holds when nothing is out of sight.
def test_the_why_reads_whole_on_a_projector_and_a_wall(serve, browser, demo_db):
    """At 1280x720 (the sidebar open) and 1920x1080 the quadrant moves and the agenda show
    every column and every row: no table scrolls sideways or down."""
    server = serve(demo_db)
    for width, height in ((1280, 720), (1920, 1080)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            page.goto(f"{server.url}/review")
            wait_for_app(page)
            tables = page.locator("[data-testid='stDataFrame']:visible")
            tables.nth(1).wait_for(timeout=30000)
            assert tables.count() == 2  # the moves and the agenda (the rest is in expanders)
            for i in range(2):
                assert table_overflow(tables.nth(i)) == (0, 0), (width, i)
            tables.nth(1).scroll_into_view_if_needed()
            screenshot(page, f"review-decisions-{width}x{height}")
        finally:
            context.close()
