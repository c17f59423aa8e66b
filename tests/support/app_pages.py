"""The app under AppTest, for every test module that opens a page: the script, the views'
names and `open_page` (the `app_on` fixture of tests/conftest.py calls it)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent.parent
APP = str(ROOT / "app.py")
PAGES = ("overview", "outcomes", "delivery", "project", "review")


def open_page(page: str = "overview", **params: str) -> AppTest:
    """The app run once on `page` with the query parameters (COCKPIT_DB set by the caller);
    a page that raises fails the test."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    if page != "overview":
        at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at
