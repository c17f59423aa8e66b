"""Measurement sources through the real app: the Data page's sources and "Run now" (each
source's value or error shown, then committed), and evidence on the Overview, Outcomes and
Project pages; `streamlit run` and headless Chromium, screenshots at 1280x720 and
1920x1080."""

from __future__ import annotations

import pytest

from store import close_all, open_store
from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

SIZES = ((1280, 720), (1920, 1080))


def _open(page, url: str, marker: str) -> None:
    page.goto(url)
    page.get_by_text(marker).first.wait_for(timeout=60000)
    wait_for_app(page)


def _shots(page, name: str, anchor: str | None = None) -> None:
    """Screenshots at each size, scrolled to `anchor` (a text) when given."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        wait_for_app(page)
        if anchor:
            page.get_by_text(anchor).first.scroll_into_view_if_needed()
        screenshot(page, f"{name}-{width}")


def _hover_a_measured_point(page, chart) -> str:
    """Move the mouse over the chart, right to left (the latest values first), until
    Vega's tooltip shows a measured value's; its text ('' when none showed)."""
    box = chart.bounding_box()
    tooltip = page.locator("#vg-tooltip-element")
    for x in range(int(box["x"] + box["width"] - 10), int(box["x"] + 40), -6):
        for y in range(int(box["y"] + 30), int(box["y"] + box["height"] - 30), 6):
            page.mouse.move(x, y)
            if tooltip.count() and "Measured by" in (tooltip.inner_text() or ""):
                return tooltip.inner_text()
    return ""


@pytest.fixture
def demo_server(serve, demo_db, demo_db_template):
    """The demo, its warehouse connection named as `make run` names it."""
    warehouse = demo_db_template.parent / "warehouse.sqlite"
    assert warehouse.is_file()
    return serve(demo_db, {"COCKPIT_SOURCE_DEMO_WAREHOUSE_URL": f"sqlite://{warehouse}"})


def test_run_now_shows_each_value_or_error_then_commits(demo_server, page, demo_db):
    # The first session runs app.py (see tests/browser/test_data_page.py), then the tab.
    _open(page, demo_server.url, "Where is the gap?")
    _shots(page, "measure-overview")
    assert page.get_by_text("of the benefits due").count() >= 1  # the evidenced share

    _open(page, demo_server.url + "/data?tab=Sources", "Failing sources: 1")
    assert page.get_by_text("Sources: 41").count() == 1
    _shots(page, "measure-sources")

    page.get_by_role("button", name="Run now").click()
    page.get_by_text("40 of 41 sources gave a value, 1 failed").wait_for(timeout=120000)
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    _shots(page, "measure-preview")

    page.get_by_role("button", name="Commit 40 values").click()
    page.get_by_text("Measurement run #4").wait_for(timeout=60000)  # the demo made 1-3
    wait_for_app(page)
    assert page.get_by_text("40 of 41 source(s) measured, 1 failed").count() == 1
    assert page.get_by_role("button", name="Run now").count() == 1  # ready for another
    _shots(page, "measure-committed")
    demo_server.stop()  # the store file has one user at a time
    runs = open_store(str(demo_db)).measure_runs()
    close_all()
    assert runs.height == 4 and runs["n_values"][0] == 40 and runs["actor"][0] == "anonymous"


def test_pages_mark_values_sourced_or_typed(demo_server, page):
    _open(page, demo_server.url, "Where is the gap?")
    _open(page, demo_server.url + "/project?project=APP-107", "Benefits:")
    _shots(page, "measure-project", anchor="Benefits:")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_text("Benefits:").first.scroll_into_view_if_needed()
    wait_for_app(page)
    first = page.locator("[data-testid='stVegaLiteChart']").filter(
        has_text="Digital sales conversion"
    )
    text = _hover_a_measured_point(page, first.first)
    screenshot(page, "measure-project-hover")
    assert "Measured by" in text and "Sourced · sql: demo_warehouse" in text, text
    _open(page, demo_server.url + "/outcomes", "Benefit trajectory")
    _shots(page, "measure-outcomes")
