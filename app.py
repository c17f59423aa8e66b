"""Entry point: page config, navigation, the shared filters. Pages do the rest."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # importable from any working directory
    sys.path.insert(0, str(HERE))

from charts import theme  # noqa: E402,F401  (registers the Altair theme)

# Portfolio frames are small: Polars' in-memory engine runs the page queries about twice
# as fast as its default choice, and an occasional panic was seen in the streaming engine.
pl.Config.set_engine_affinity("in-memory")
from store import StoreError  # noqa: E402
from ui.filters import sidebar_view  # noqa: E402
from ui.style import apply_style  # noqa: E402

st.set_page_config(
    page_title="Outcomes cockpit",
    page_icon=":material/target:",
    layout="wide",
    initial_sidebar_state="expanded",
)
apply_style()

PAGES = HERE / "pages"


def page(file: str, title: str, icon: str, **options: bool) -> st.Page:
    """A page of pages/, its URL path named after its file (so links survive reordering)."""
    return st.Page(
        PAGES / file,
        title=title,
        icon=f":material/{icon}:",
        url_path=file.removesuffix(".py"),
        **options,
    )


# One page per line, one section per block: other branches add sections ("Manage",
# "Review") here, and one entry per line keeps those merges trivial.
navigation = st.navigation(
    {
        "Portfolio": [
            page("overview.py", "Overview", "space_dashboard", default=True),
            page("outcomes.py", "Outcomes", "flag"),
            page("delivery.py", "Delivery", "local_shipping"),
            page("project.py", "Project", "folder_open"),
        ],
    }
)

try:
    sidebar_view()
except StoreError as exc:
    st.error(str(exc), icon=":material/database:")
    st.stop()

navigation.run()
