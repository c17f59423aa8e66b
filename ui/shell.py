"""Make every page run inside app.py, also when a deep link is the first request.

Streamlit treats an app with a `pages/` folder as an old-style multipage app until the
entry script has called `st.navigation` once in the process. On a freshly started server
a shared link such as `/project?project=PAY-01` would then run `pages/project.py` alone:
no page config, no navigation, no shared filters. The first page to notice switches
Streamlit to `st.navigation` and reruns; the same URL then runs through app.py.
"""

from __future__ import annotations

import streamlit as st


def ensure_app_shell() -> None:
    """Rerun through app.py if this page was started without it (see the module note)."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
