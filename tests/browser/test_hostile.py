"""Every page in Chromium on a store whose every text is an attack (tests/support/hostile_text.py):
names, sponsors, objectives, portfolios, owners, KPIs and units made of Markdown images and
links, HTML tags, <style>, LaTeX, colour and icon shortcodes, bare URLs and e-mail
addresses, backslashes, bidi overrides, formulas, entities, line breaks and quotes.

On each page: no request leaves for another host than the app's, nothing of the data
renders as markup (no image, link, formula, colour, icon or style of its making), the text
reads as written, and every chart draws. Tables offer no download of their own.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import quote, urlparse

import pytest

from domain.bidi import BIDI_CONTROLS, strip_bidi
from store import close_all, open_store
from tests.browser.conftest import Server, screenshot, wait_for_app
from tests.support.hostile_text import BACKSLASH, BIDI, EVIL_HOST, IMAGE

pytestmark = pytest.mark.browser

CHARTS = "[data-testid='stVegaLiteChart']"
# path -> least number of charts it draws
PAGES = {
    "overview": ("", 3),
    "outcomes": ("outcomes", 3),
    "delivery": ("delivery", 2),
    "project": ("project", 6),
    "review": ("review", 2),
    "upload": ("data?tab=Upload", 0),
    "history": ("data?tab=History", 0),
    "jira": ("data?tab=Jira", 0),
    "audit": ("data?tab=Audit+log", 0),
}
SHOWS_NAMES = ("overview", "outcomes", "project", "review")
# What the data would have made of the page, were it markup.
MARKUP = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const markdown = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')];
  return {
    images: [...document.querySelectorAll('img')].map(i => i.src)
      .filter(s => !s.startsWith('data:') && !s.startsWith(location.origin)),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href)
      .filter(h => !h.startsWith(location.origin)),
    latex: document.querySelectorAll('.katex').length,
    colours: markdown.flatMap(m => [...m.querySelectorAll('span')])
      .filter(s => String(s.className).includes('Colored')).length,
    icons: markdown.flatMap(m => [...m.querySelectorAll('span[role="img"]')])
      .map(s => s.textContent).filter(t => t === 'warning'),
    hidden: getComputedStyle(document.body).display === 'none'
      || getComputedStyle(main).display === 'none',
    styles: [...document.querySelectorAll('style')]
      .filter(s => s.textContent.includes('display:none}')).length,
  };
}"""


class Hostile(NamedTuple):
    server: Server
    sponsor: str  # a sponsor and an objective of the latest snapshot
    objective: str


@pytest.fixture(scope="module")
def hostile(hostile_db_template, tmp_path_factory) -> Iterator[Hostile]:
    db = tmp_path_factory.mktemp("browser-hostile") / "hostile.duckdb"
    shutil.copy(hostile_db_template, db)
    projects = open_store(str(db)).portfolio_input().projects.collect()
    close_all()
    server = Server(db)
    yield Hostile(server, *projects.select("sponsor", "objective").drop_nulls().row(0))
    server.stop()


class Visit:
    """A page opened in its own tab, with every request and page error it caused."""

    def __init__(self, browser, url: str, size: tuple[int, int], marker: str) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.tab = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.tab.on("request", lambda r: self.requests.append(r.url))
        self.tab.on("pageerror", lambda e: self.errors.append(str(e)))
        self.tab.goto(url)
        wait_for_app(self.tab, marker=marker)

    def elsewhere(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlparse(url).scheme in ("http", "https", "ws", "wss")
            and urlparse(url).hostname != "127.0.0.1"
        ]

    def text(self) -> str:
        return self.tab.locator("body").inner_text().replace("\u2060", "")


def _charts_drawn(visit: Visit, least: int) -> None:
    """At least `least` charts, each drawn (a canvas or SVG marks), and no Vega error."""
    tab = visit.tab
    charts = tab.locator(CHARTS)
    drawn = tab.locator(f"{CHARTS}:has(canvas), {CHARTS}:has(svg.marks)")
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        if charts.count() >= least and drawn.count() == charts.count():
            break
        time.sleep(0.5)
    assert charts.count() >= least
    assert drawn.count() == charts.count()
    assert not [e for e in visit.errors if "Expression" in e or "Vega" in e], visit.errors


def _inert(visit: Visit) -> None:
    assert visit.elsewhere() == []
    markup = visit.tab.evaluate(MARKUP)
    assert markup["images"] == [] and markup["links"] == []
    assert markup["latex"] == 0 and markup["colours"] == 0 and markup["icons"] == []
    assert markup["styles"] == 0 and not markup["hidden"]
    assert visit.tab.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_hostile_data_as_text(browser, hostile, name):
    path, least = PAGES[name]
    for size in ((1280, 720), (1920, 1080)):
        visit = Visit(browser, f"{hostile.server.url}/{path}", size, "[data-testid='stMain'] h1")
        try:
            _charts_drawn(visit, least)
            _inert(visit)
            if name in SHOWS_NAMES:  # names as written: not fetched, not unescaped, in order
                text = visit.text()
                assert IMAGE in text and BACKSLASH in text and strip_bidi(BIDI) in text
                assert not [c for c in BIDI_CONTROLS if c in text]
            screenshot(visit.tab, f"hostile-{name}-{size[0]}")
        finally:
            visit.context.close()


def test_presentation_mode_with_hostile_filters_in_the_url(browser, hostile):
    # A bound filter carries the value as its picker shows it (without bidi controls).
    sponsor, objective = strip_bidi(hostile.sponsor), strip_bidi(hostile.objective)
    made_up = f'<img src="http://{EVIL_HOST}/q.png"><style>body{{display:none}}</style>'
    query = "&".join(
        [
            "present=true",
            f"sponsor={quote(sponsor)}",
            f"sponsor={quote(made_up)}",
            f"objective={quote(objective)}",
        ]
    )
    visit = Visit(browser, f"{hostile.server.url}/review?{query}", (1920, 1080), ".slide-band")
    try:
        _inert(visit)
        band = visit.tab.locator(".slide-band").inner_text().replace("\u2060", "")
        assert sponsor.split("\n")[0] in band  # the filter as text, on the wall screen
        screenshot(visit.tab, "hostile-present-1920")
        for slide, charts in (("Project by project", 1), ("What moved", 0), ("Decisions", 0)):
            visit.tab.goto(f"{hostile.server.url}/review?{query}&slide={quote(slide)}")
            wait_for_app(visit.tab, marker=".slide-band")
            _charts_drawn(visit, charts)
            _inert(visit)
    finally:
        visit.context.close()


def test_tables_offer_no_download_of_their_own(browser, hostile):
    """The grid's "Download as CSV" would write =HYPERLINK(...) as it is: it is off, and
    the page's own downloads (neutralised) stand in."""
    visit = Visit(
        browser, f"{hostile.server.url}/outcomes", (1280, 720), "[data-testid='stMain'] h1"
    )
    try:
        table = visit.tab.locator("[data-testid='stDataFrame']").last
        table.scroll_into_view_if_needed()
        table.hover()
        holder = visit.tab.locator("[data-testid='stElementContainer']").filter(has=table).last
        toolbar = holder.locator("[data-testid='stElementToolbar'] button")
        toolbar.first.wait_for(timeout=10000)  # the table's own toolbar is showing
        buttons = [(b.get_attribute("aria-label") or "") + b.inner_text() for b in toolbar.all()]
        assert "Search" in " ".join(buttons), buttons
        assert not [b for b in buttons if "CSV" in b], buttons
        offered = visit.tab.locator("[data-testid='stDownloadButton']").all_inner_texts()
        assert "Unmeasured benefits (CSV)" in " ".join(offered)
    finally:
        visit.context.close()
