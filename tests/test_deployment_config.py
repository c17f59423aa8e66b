"""The deployment configuration in .streamlit/config.toml that keeps details from visitors."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit.config import ShowErrorDetailsConfigOptions

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def test_uncaught_errors_show_no_details():
    value = tomllib.loads(CONFIG.read_text())["client"]["showErrorDetails"]
    # "none": no type, message or traceback ("false" still shows the traceback).
    assert value == ShowErrorDetailsConfigOptions.NONE.value
