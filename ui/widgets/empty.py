"""What a page shows when the store has no data yet: how to get some, never an error."""

from __future__ import annotations

import streamlit as st

from ui.shell.filters import View
from ui.widgets.header import page_header


def show_empty_store() -> None:
    """The empty cockpit leads with what to do: load the demo, or upload a snapshot; the
    command lines are there for whoever runs the cockpit, one click away."""
    from ui.manage.upload import load_demo_button  # the Data page's own action

    st.info(
        "**No portfolio data yet.** Load the demo portfolio to look around, or upload your "
        "own snapshot to see the gap between delivery and value.",
        icon=":material/upload_file:",
    )
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        load_demo_button("Load the demo", primary=True)
        st.page_link(
            "views/data.py",
            label="Upload a spreadsheet on the Data page",
            icon=":material/upload_file:",
        )
    with st.expander("From the command line", icon=":material/terminal:"):
        demo, own = st.columns(2, gap="large")
        with demo:
            st.markdown("**The demo portfolio**: eight quarters of 64 projects.")
            st.code("cockpit demo", language="bash")
            st.caption(
                "`make run` loads it for you when the store is empty. `cockpit` is in the "
                "project's `.venv/bin` (`make` installs it)."
            )
        with own:
            st.markdown("**Your own snapshot**: projects, benefits and measurements.")
            st.code(
                "cockpit load \\\n"
                "  projects.csv benefits.csv measurements.csv \\\n"
                "  --as-of 2026-09-30",
                language="bash",
            )
            st.caption("CSV or XLSX; the Data page has the template. Reload this page after.")


def show_no_match() -> None:
    """The filters leave nothing to show: say so, and how to widen the view."""
    st.info(
        "**No active project matches these filters.** Remove a filter in the sidebar "
        "or pick another snapshot.",
        icon=":material/filter_alt_off:",
    )


def show_nothing_judged(n_projects: int, n_without_benefits: int) -> None:
    """No project can be placed on the value axis: say whether benefits are missing
    (a delivery-only export) or just not due yet, and where to go from here."""
    if n_without_benefits >= n_projects:
        st.info(
            f"**None of the {n_projects} projects in this view has a benefit defined**, so "
            "whether they deliver value cannot be judged yet. Their delivery side is on the "
            "Delivery page; add a benefits table (the template is on the Data page) to see "
            "the gap.",
            icon=":material/flag:",
        )
    else:
        st.info(
            "**No project in this view has benefits due yet**: projects appear here as "
            f"their benefits come due ({n_without_benefits} of {n_projects} have none "
            "defined).",
            icon=":material/hourglass_empty:",
        )
    delivery, data_page = st.columns(2)
    with delivery:
        st.page_link("views/delivery.py", label="Delivery", icon=":material/local_shipping:")
    with data_page:
        st.page_link("views/data.py", label="Data and template", icon=":material/database:")


def stop_if_empty(view: View, title: str) -> None:
    """A store with no snapshot: the page's title and how to load data, and the page ends."""
    if view.empty:
        page_header(title, view)
        show_empty_store()
        st.stop()
