"""The landing page in headless Chromium against `streamlit run`."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_landing_page_renders_a_chart_and_no_exception(serve, page, demo_db):
    server = serve(demo_db)
    page.goto(server.url)
    wait_for_app(page)
    page.wait_for_selector(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg", timeout=30000
    )
    assert page.get_by_text("Where is the gap?").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stMetric']").count() >= 5
    screenshot(page, "overview-demo")


def test_landing_page_on_an_empty_store(serve, page, tmp_path):
    server = serve(tmp_path / "empty.duckdb")
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_text("No portfolio data yet").wait_for(timeout=15000)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "overview-empty")
