"""Pages run inside app.py (navigation, filters, access). This makes sure they do.

On a freshly started server Streamlit treats `pages/` as a legacy multipage folder until
app.py has called `st.navigation` once, so the very first visit to a deep link such as
`/data` would run the page file on its own, without the app around it. A page that finds
itself outside app.py runs app.py instead, which routes to that same page.
"""

from __future__ import annotations

import runpy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

APP = Path(__file__).resolve().parent.parent / "app.py"
_run = threading.local()  # Streamlit runs each session's script in its own thread


@contextmanager
def app_shell() -> Iterator[None]:
    """app.py wraps every run in this, so pages can tell they run inside it."""
    _run.inside = True
    try:
        yield
    finally:
        _run.inside = False


def ensure_app_shell() -> None:
    """First line of every page: outside app.py, run app.py (which shows this page)."""
    if getattr(_run, "inside", False):
        return
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()
