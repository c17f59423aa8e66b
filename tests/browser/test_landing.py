"""The landing page in headless Chromium against `streamlit run`."""

from __future__ import annotations

from urllib.parse import urlsplit

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


def test_the_app_asks_no_other_host_for_anything_on_load(serve, browser, demo_db):
    """Offline (air-gapped) machines get the whole app: its tab icon, page icons and fonts
    come from the app's own server, for every page of the navigation."""
    server = serve(demo_db)
    own = urlsplit(server.url).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    elsewhere: list[str] = []
    context.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(request.url).netloc != own
            else None
        ),
    )
    tab = context.new_page()
    try:
        for path in ("", "outcomes", "delivery", "project", "review", "data"):
            tab.goto(f"{server.url}/{path}")
            wait_for_app(tab)
            tab.wait_for_load_state("networkidle")
        icon = tab.locator("link[rel='shortcut icon'], link[rel='icon']").first
        icon_href = icon.get_attribute("href") or ""
    finally:
        context.close()
    assert elsewhere == []
    assert icon_href.startswith("data:image/svg+xml")  # the shipped icon, inline
