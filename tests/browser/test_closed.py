"""A secrets file that does not parse closes the cockpit in a real `streamlit run`: the page
says which file is wrong and shows nothing of the portfolio (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, screenshot, wait_for_app
from tests.support.streamlit_server import StreamlitServer

pytestmark = pytest.mark.browser

# `[access] require_login = true` with an unclosed list: once served the portfolio to anyone.
BROKEN = '[access]\nrequire_login = true\neditors = ["lead@acme.com",\n'


def app_copy(folder: Path) -> Path:
    """The app in FOLDER (its files linked, not copied), with a .streamlit folder of its own
    beside app.py: the folder Streamlit reads as the app's."""
    folder.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in (".streamlit", ".git", "tests"):
            (folder / entry.name).symlink_to(entry)
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "config.toml").symlink_to(ROOT / ".streamlit" / "config.toml")
    return folder / "app.py"


@pytest.mark.parametrize("where", ["app folder", "working folder"])
def test_a_broken_secrets_file_shows_the_refusal_and_no_portfolio(page, demo_db, tmp_path, where):
    script = app_copy(tmp_path / "app") if where == "app folder" else ROOT / "app.py"
    folder = script.parent if where == "app folder" else demo_db.parent
    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text(BROKEN)
    server = StreamlitServer(script, demo_db, cwd=demo_db.parent, log_dir=tmp_path)
    try:
        for path in ("", "/data"):
            page.goto(server.url + path)
            wait_for_app(page)
            page.get_by_text("The cockpit is closed").wait_for(timeout=15000)
            text = page.inner_text("body")
            assert ".streamlit/secrets.toml" in text and "cannot be read" in text
            assert str(tmp_path) not in text
            assert page.locator("[data-testid='stMetric']").count() == 0
            assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
            assert page.locator("[data-testid='stFileUploader']").count() == 0
            assert page.locator("[data-testid='stException']").count() == 0
            for shown in ("Fraud detection models", "Checkout redesign", "Overview", "Upload"):
                assert shown not in text
        if where == "app folder":
            screenshot(page, "closed-broken-secrets")
            page.set_viewport_size({"width": 1920, "height": 1080})
            page.reload()
            wait_for_app(page)
            screenshot(page, "closed-broken-secrets-1920")
    finally:
        server.stop()
