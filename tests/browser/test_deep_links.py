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


def test_link_to_this_view_reopens_the_snapshot_on_screen(serve, page, demo_db):
    """The review of an earlier quarter, picked on the page: the pinned link names its date
    and quarter, and opening it shows that review again (the sidebar on the same date)."""
    server = serve(demo_db)
    page.goto(f"{server.url}/review?quarter=2025-Q4")
    wait_for_app(page)
    page.get_by_role("heading", name="Quarterly review: 2025-Q4").wait_for(timeout=20000)
    page.get_by_text("Link to this view").click()
    link = page.locator("[data-testid='stCode'] code").first.inner_text(timeout=10000)
    assert "as_of=2025-12-31" in link and "quarter=2025-Q4" in link, link
    page.goto(link)
    wait_for_app(page)
    page.get_by_role("heading", name="Quarterly review: 2025-Q4").wait_for(timeout=20000)
    assert page.get_by_text("As of 31 Dec 2025 · compared with 2025-Q3").is_visible()
    assert "as_of=31+Dec+2025" in page.url  # the address keeps the snapshot: a reload too
    page.reload()
    wait_for_app(page)
    page.get_by_text("As of 31 Dec 2025 · compared with 2025-Q3").wait_for(timeout=20000)


def test_a_stale_link_says_what_it_cannot_show(serve, page, demo_db):
    server = serve(demo_db)
    page.goto(f"{server.url}/project?project=NOPE-1")
    wait_for_app(page)
    page.get_by_text("No project NOPE-1 in the snapshot of").wait_for(timeout=20000)
    assert page.locator("[data-testid='stException']").count() == 0
