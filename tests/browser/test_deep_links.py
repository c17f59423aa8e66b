"""A shared link must open the app itself, even as the first request to a fresh server."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_first_visit_to_a_deep_link_opens_the_app(serve, page, demo_db):
    server = serve(demo_db)  # nobody has opened "/" yet
    page.goto(f"{server.url}/data?tab=History")
    wait_for_app(page)
    page.get_by_role("heading", name="Data").wait_for(timeout=20000)
    nav = page.locator("[data-testid='stSidebarNav']")
    assert nav.get_by_text("Overview").is_visible()
    # Not Streamlit's legacy folder navigation, which names the files ("app", "data").
    assert nav.get_by_text("app", exact=True).count() == 0
    assert page.get_by_text("As of").first.is_visible()  # the shared filters are there
    assert page.locator("[data-testid='stException']").count() == 0
