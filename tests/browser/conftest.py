"""`streamlit run` in a subprocess and headless Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


class Server(StreamlitServer):
    """The app on the store DB, run from the store's folder, its log beside the store."""

    def __init__(self, db: Path, env: dict[str, str] | None = None) -> None:
        super().__init__(ROOT / "app.py", db, cwd=db.parent, env=env, log_dir=db.parent)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    servers: list[Server] = []

    def start(db: Path, env: dict[str, str] | None = None) -> Server:
        server = Server(db, env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def demo_server(demo_db_template: Path, tmp_path_factory) -> Iterator[Server]:
    """One server on a private copy of the demo for the whole module (starting is slow)."""
    db = tmp_path_factory.mktemp("browser-demo") / "demo.duckdb"
    shutil.copy(demo_db_template, db)
    server = Server(db)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the chromium package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    yield tab
    context.close()


def wait_for_app(tab, timeout: float = 60.0, marker: str = "[data-testid='stMain'] h1") -> None:
    """Wait until Streamlit has run the page and stayed idle for a moment.

    Every page starts with a title (a slide with its band), so that marker in the main
    area means the script has started drawing; the status widget ("Running...") shows
    while a run is under way.
    """
    tab.wait_for_selector(marker, timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    idle = 0
    while idle < 4 and time.monotonic() < deadline:
        busy = tab.locator("[data-testid='stStatusWidget']").count()
        idle = 0 if busy else idle + 1
        time.sleep(0.25)


def table_overflow(table) -> tuple[int, int]:
    """How far a drawn table (an stDataFrame locator) scrolls sideways and down, in pixels
    (0, 0: every column and row on screen); it is scrolled into sight first, since the grid
    is drawn only once seen."""
    table.scroll_into_view_if_needed()
    grid = table.locator(".dvn-scroller")
    grid.wait_for(timeout=30000)
    wide, tall = grid.evaluate(
        "s => [s.scrollWidth - s.clientWidth, s.scrollHeight - s.clientHeight]"
    )
    return wide, tall


def screenshot(tab, name: str) -> Path:
    """The viewport as a user sees it, and (as NAME-full) the whole page when it scrolls."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path))
    size = tab.viewport_size
    height = tab.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0"
    )
    if size and height > size["height"]:
        tab.set_viewport_size({"width": size["width"], "height": height})
        time.sleep(1.0)  # charts re-fit their container
        tab.screenshot(path=str(ARTIFACTS / f"{name}-full.png"))
        tab.set_viewport_size(size)
    return path
