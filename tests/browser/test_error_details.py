"""Deployments show no error details: an uncaught exception under the app's own
.streamlit/config.toml shows Streamlit's generic line, not its type, message or traceback."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ROOT, wait_for_app
from tests.support.streamlit_server import StreamlitServer

pytestmark = pytest.mark.browser

SCRIPT = """
import streamlit as st

st.title("Before the error")
raise RuntimeError("details from /srv/cockpit/secret_module.py")
"""


def test_an_uncaught_error_shows_no_type_message_or_traceback(page, tmp_path):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").symlink_to(ROOT / ".streamlit" / "config.toml")
    script = tmp_path / "boom.py"
    script.write_text(SCRIPT)
    server = StreamlitServer(script, tmp_path / "unused.duckdb", cwd=tmp_path, log_dir=tmp_path)
    try:
        page.goto(server.url)
        wait_for_app(page)
        page.locator("[data-testid='stException']").wait_for(timeout=15000)
        text = page.inner_text("[data-testid='stMain']")
        assert "This app has encountered an error" in text
        for detail in ("RuntimeError", "secret_module", "/srv/cockpit", "boom.py", "Traceback"):
            assert detail not in text
    finally:
        server.stop()
    assert "secret_module" in next(tmp_path.glob("streamlit-*.log")).read_text()  # logged
