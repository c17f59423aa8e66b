"""The Project page's delivery forecast in Chromium: the fan draws, in its colours, beside
the chances in words, at a laptop's and a projector's size."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from charts.forecast import BAND_COLORS
from tests.browser.conftest import screenshot, table_overflow, wait_for_app

pytestmark = pytest.mark.browser

FAN = ".st-key-delivery_fan [data-testid='stVegaLiteChart']"


def _share_in(image: Image.Image, color: str) -> float:
    """The share of the image's pixels within a few levels of `color`."""
    want = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    pixels = list(image.convert("RGB").getdata())
    near = sum(1 for p in pixels if all(abs(a - b) <= 6 for a, b in zip(p, want, strict=True)))
    return near / len(pixels)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_project_page_draws_the_delivery_fan(browser, demo_server, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    tab = context.new_page()
    try:
        tab.goto(f"{demo_server.url}/project?project=OPS-138")
        wait_for_app(tab)
        words = tab.get_by_text("6% chance of making 29 Sep 2027", exact=True)
        words.scroll_into_view_if_needed()
        assert words.is_visible()
        fan = tab.locator(FAN)
        fan.locator("canvas, svg").first.wait_for(timeout=30000)
        box = fan.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200
        drawn = Image.open(io.BytesIO(fan.screenshot()))
        # every band of the forecast is drawn in its colour
        shares = {band: _share_in(drawn, color) for band, color in BAND_COLORS.items()}
        bands = list(BAND_COLORS)
        assert all(shares[band] > 0.002 for band in bands[:3]), shares
        screenshot(tab, f"project-forecast-{size[0]}")
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_outcomes_tables_fit_the_screen(browser, demo_server, size):
    """Heading for a miss and the unmeasured benefits: every column on screen, no sideways
    scrolling, beside the sidebar on a 1280 px laptop as on a wall."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    tab = context.new_page()
    try:
        tab.goto(f"{demo_server.url}/outcomes")
        wait_for_app(tab)
        tables = tab.locator("[data-testid='stDataFrame']")
        tables.nth(1).wait_for(timeout=30000)
        assert tables.count() == 2
        for i in range(tables.count()):
            sideways, _ = table_overflow(tables.nth(i))
            assert sideways <= 0, (i, sideways)
        tab.get_by_text("Heading for a miss:").scroll_into_view_if_needed()
        screenshot(tab, f"outcomes-misses-{size[0]}")
    finally:
        context.close()
