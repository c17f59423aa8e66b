"""Entry point: page config, navigation, the shared filters. Pages do the rest."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # importable from any working directory
    sys.path.insert(0, str(HERE))

from charts import theme  # noqa: E402,F401  (registers the Altair theme)
from store import StoreError  # noqa: E402
from ui.filters import sidebar_view  # noqa: E402

st.set_page_config(
    page_title="Outcomes cockpit",
    page_icon=":material/target:",
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = HERE / "pages"
navigation = st.navigation(
    {
        "Portfolio": [
            st.Page(
                PAGES / "overview.py",
                title="Overview",
                icon=":material/space_dashboard:",
                url_path="overview",
                default=True,
            ),
        ],
        "Manage": [
            st.Page(
                PAGES / "data.py",
                title="Data",
                icon=":material/database:",
                url_path="data",
            ),
        ],
    }
)

try:
    sidebar_view()
except StoreError as exc:
    st.error(str(exc), icon=":material/database:")
    st.stop()

navigation.run()
