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
from ui.access import current_access  # noqa: E402
from ui.filters import sidebar_view  # noqa: E402
from ui.shell import app_shell  # noqa: E402
from ui.sign_in import sign_in_screen  # noqa: E402

PAGES = HERE / "pages"


def main() -> None:
    st.set_page_config(
        page_title="Outcomes cockpit",
        page_icon=":material/target:",
        layout="wide",
        initial_sidebar_state="expanded",
    )

    access = current_access()
    if not access.can_view:
        # Nothing of the portfolio before sign-in: the only page is the sign-in screen.
        st.navigation([st.Page(sign_in_screen, title="Sign in", url_path="sign-in")]).run()
        return

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

    if access.open_notice:
        st.sidebar.caption(f":material/lock_open: {access.open_notice}")

    try:
        sidebar_view()
    except StoreError as exc:
        st.error(str(exc), icon=":material/database:")
        st.stop()

    navigation.run()


with app_shell():
    main()
