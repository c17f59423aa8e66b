"""Entry point: page config, access, navigation, the shared filters. Pages do the rest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import streamlit as st

from charts import theme  # noqa: F401  (registers the Altair theme)
from domain.deployment import SettingError
from store import StoreError
from ui.shell.access import current_access
from ui.shell.filters import sidebar_view
from ui.shell.refusal import refusal_screen
from ui.shell.sign_in import sign_in_screen
from ui.shell.style import apply_style
from ui.shell.view_link import render_view_link
from ui.shell.warmup import keep_landing_warm
from ui.widgets.text import md

# Portfolio frames are small: Polars' in-memory engine runs the page queries about twice
# as fast as its default choice, and an occasional panic was seen in the streaming engine.
pl.Config.set_engine_affinity("in-memory")

HERE = Path(__file__).resolve().parent
VIEWS = HERE / "views"
# The tab icon, inlined by Streamlit as a data: URL. A ":material/...:" icon would be
# fetched from a font CDN by the browser, which fails offline.
TAB_ICON = HERE / "assets" / "target.svg"


def page(file: str, title: str, icon: str, **options: bool) -> st.Page:
    """A page of views/, its URL path named after its file (so links survive reordering)."""
    return st.Page(
        VIEWS / file,
        title=title,
        icon=f":material/{icon}:",
        url_path=file.removesuffix(".py"),
        **options,
    )


def only(screen: Callable[[], None], title: str) -> None:
    """Serve nothing but `screen`, at the site's root and at every page's address: a deep
    link (a shared /data) shows it too, not "Page not found" or the page itself."""
    addresses = ["", *(p.stem for p in sorted(VIEWS.glob("[!_]*.py")))]
    st.navigation(
        [
            st.Page(screen, title=title, url_path=address or None, default=not address)
            for address in addresses
        ],
        position="hidden",
    ).run()


def main() -> None:
    st.set_page_config(
        page_title="Outcomes cockpit",
        page_icon=str(TAB_ICON),
        layout="wide",
        initial_sidebar_state="expanded",
    )
    apply_style()

    try:
        access = current_access()
    except SettingError:
        only(refusal_screen, "Closed")  # access settings that cannot be read close the cockpit
        return
    if not access.can_view:
        only(sign_in_screen, "Sign in")  # nothing of the portfolio before sign-in
        return

    # One page per line, one section per block.
    navigation = st.navigation(
        {
            "Portfolio": [
                page("overview.py", "Overview", "space_dashboard", default=True),
                page("outcomes.py", "Outcomes", "flag"),
                page("delivery.py", "Delivery", "local_shipping"),
                page("project.py", "Project", "folder_open"),
            ],
            "Review": [
                page("review.py", "Quarterly review", "event_note"),
            ],
            "Manage": [
                page("data.py", "Data", "database"),
            ],
        }
    )

    if access.open_notice:
        st.sidebar.caption(f":material/lock_open: {access.open_notice}")

    try:
        view = sidebar_view(portfolio_filters=navigation.url_path != "data", page=navigation)
    except StoreError as exc:
        st.error(md(exc), icon=":material/database:")
        st.stop()
        return  # st.stop() does not raise outside a server (a bare import of this file)
    keep_landing_warm(view.url)
    with st.sidebar:
        render_view_link(view, navigation.url_path)

    navigation.run()


main()
