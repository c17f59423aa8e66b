"""Every page in headless Chromium against `streamlit run`: charts, links, shareable URLs.

Screenshots of every page, at a laptop's 1280x720 and a projector's 1920x1080, on the demo
and on an empty store, are kept in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import Server, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SIZES = {"1280": (1280, 720), "1280x800": (1280, 800), "1920": (1920, 1080)}
# page -> (path, title, least number of charts)
PAGES = {
    "overview": ("", "Where is the gap?", 3),
    "outcomes": ("outcomes", "Is the value arriving?", 3),
    "delivery": ("delivery", "Are we delivering what we promised?", 2),
    "project": ("project?project=CX-142", "Voice of the customer programme", 6),
}
CHARTS = "[data-testid='stVegaLiteChart']"


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("browser-empty") / "empty.duckdb")
    yield server
    server.stop()


def _open(tab, server: Server, path: str) -> None:
    tab.goto(f"{server.url}/{path}")
    wait_for_app(tab)


def _no_exception(tab) -> None:
    assert tab.locator("[data-testid='stException']").count() == 0
    assert tab.locator("[data-testid='stAlertContentError']").count() == 0


def _caption(tab) -> str:
    return tab.locator(
        "[data-testid='stMain'] [data-testid='stCaptionContainer']"
    ).first.inner_text()


def _params(tab) -> dict[str, list[str]]:
    return parse_qs(urlparse(tab.url).query)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_its_charts(browser, demo_server, name, size):
    path, title, charts = PAGES[name]
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    try:
        _open(tab, demo_server, path)
        assert tab.locator("[data-testid='stMain'] h1").first.inner_text() == title
        tab.wait_for_selector(f"{CHARTS} canvas, {CHARTS} svg", timeout=30000)
        assert tab.locator(CHARTS).count() >= charts
        _no_exception(tab)
        screenshot(tab, f"{name}-demo-{size}")
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_on_an_empty_store_explains_how_to_load_data(browser, empty_server, name, size):
    path = PAGES[name][0]
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    try:
        _open(tab, empty_server, path)
        tab.get_by_text("No portfolio data yet").wait_for(timeout=15000)
        assert tab.get_by_role("button", name="Load the demo").is_visible()  # the actions lead
        assert tab.get_by_text("From the command line").is_visible()
        _no_exception(tab)
        screenshot(tab, f"{name}-empty-{size}")
    finally:
        context.close()


def _pick(tab, label: str, option: str) -> None:
    """Choose `option` in the sidebar select or multiselect labelled `label`."""
    widgets = tab.locator("[data-testid='stSidebar']").locator(
        "[data-testid='stMultiSelect'], [data-testid='stSelectbox']"
    )
    widget = widgets.filter(has=tab.locator("[data-testid='stWidgetLabel']", has_text=label)).first
    widget.locator("input").first.click()
    tab.get_by_role("option", name=option, exact=True).click()
    tab.keyboard.press("Escape")
    time.sleep(0.5)
    wait_for_app(tab)


def test_a_filter_goes_into_the_url_and_the_url_restores_it(browser, demo_server, page):
    _open(page, demo_server, "")
    everyone = _caption(page)
    _pick(page, "Portfolio", "Digital Channels")
    assert _params(page)["portfolio"] == ["Digital Channels"]
    filtered = _caption(page)
    assert "Portfolio: Digital Channels" in filtered and filtered != everyone
    _pick(page, "As of", "31 Mar 2026 · 2026-Q1")
    shared = page.url
    assert "as_of" in _params(page)

    other = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    try:
        other.goto(shared)  # a colleague opens the copied link
        wait_for_app(other)
        caption = _caption(other)
        assert caption.startswith("As of 31 Mar 2026") and "Portfolio: Digital Channels" in caption
        _no_exception(other)
    finally:
        other.context.close()


def test_the_view_follows_to_other_pages(demo_server, page):
    _open(page, demo_server, "?portfolio=Digital+Channels")
    page.get_by_role("link", name="Outcomes").click()
    page.wait_for_url("**/outcomes*")
    wait_for_app(page)
    assert _params(page)["portfolio"] == ["Digital Channels"]
    assert "Portfolio: Digital Channels" in _caption(page)


def test_clicking_a_watermelon_opens_its_project_page(demo_server, page):
    _open(page, demo_server, "?sponsor=Jonas+Berg")
    attention = page.locator(".st-key-attention [data-testid='stPageLink'] a")
    name = attention.first.locator("p").inner_text().strip()
    attention.first.click()
    page.wait_for_url("**/project?*")
    wait_for_app(page)
    params = _params(page)
    assert params["project"] and params["sponsor"] == ["Jonas Berg"]  # the view comes along
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == name
    assert page.get_by_text("On plan, value missing").count() >= 1  # the verdict is shown
    _no_exception(page)

    page.reload()  # the project's URL is shareable too
    wait_for_app(page)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == name


def test_selecting_a_late_project_opens_its_page(demo_server, page):
    _open(page, demo_server, "delivery?sponsor=Jonas+Berg")
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selection box
    page.wait_for_url("**/project?*")
    wait_for_app(page)
    params = _params(page)
    assert params["project"] and params["sponsor"] == ["Jonas Berg"]
    assert "Jonas Berg" in _caption(page)
    _no_exception(page)


def test_clicking_a_bubble_in_the_quadrant_opens_its_project_page(demo_server, page):
    _open(page, demo_server, "")
    chart = page.locator(CHARTS).first
    marks = chart.locator("g.mark-symbol path")  # Vega draws one labelled path per project
    marks.first.wait_for(timeout=30000)
    labels = [marks.nth(i).get_attribute("aria-label") or "" for i in range(marks.count())]
    # A bubble at a third of the criteria (late, but realizing) whose centre no other covers.
    for index in (i for i, label in enumerate(labels) if "share met): 3" in label):
        target = marks.nth(index)
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        assert box is not None
        on_top = target.evaluate(
            "(mark, [x, y]) => document.elementFromPoint(x, y) === mark",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        if on_top:
            break
    else:
        raise AssertionError("every bubble at a third of the criteria is covered")
    name = re.search(r"Project: ([^;]+);", labels[index]).group(1)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/project?*", timeout=30000)
    wait_for_app(page)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == name
    _no_exception(page)


def test_a_deep_link_is_the_first_request_of_a_fresh_server(serve, page, demo_db):
    server = serve(demo_db)  # nobody has opened the landing page on this server yet
    _open(page, server, "project?project=RISK-111&sponsor=Samuel+Osei")
    assert (
        page.locator("[data-testid='stMain'] h1").first.inner_text()
        == "Regulatory reporting rebuild"
    )
    nav = page.locator("[data-testid='stSidebarNav']")
    # st.navigation's pages, not the old-style list of page files (with "app")
    assert nav.get_by_text("Overview", exact=True).count() == 1
    assert nav.get_by_text("app", exact=True).count() == 0
    assert _params(page)["sponsor"] == ["Samuel Osei"]
    _no_exception(page)


@pytest.mark.parametrize("path", ["", "outcomes"])
def test_no_tile_label_is_cut_at_1280(demo_server, page, path):
    """Five tiles beside the sidebar on a laptop: a long label wraps, it is never cut."""
    page.set_viewport_size({"width": 1280, "height": 800})
    _open(page, demo_server, path)
    labels = page.locator("[data-testid='stMetricLabel']")
    assert labels.count() >= 5
    cut = labels.evaluate_all(
        "els => els.filter(l => [l, ...l.querySelectorAll('*')].some("
        "e => e.scrollWidth > e.clientWidth + 1)).map(l => l.innerText)"
    )
    assert cut == []
