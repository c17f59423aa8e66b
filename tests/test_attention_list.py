"""The attention list: links for the worst few, every other project one click away."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.portfolio.attention_list import MAX_LINKS


def _list_of(n: int) -> None:
    import polars as pl
    import streamlit as st

    from ui.portfolio.attention_list import render_attention_list
    from ui.shell.links import PROJECT_PAGE

    def the_list() -> None:
        render_attention_list(
            pl.DataFrame(
                {
                    "project_id": [f"P{i:03d}" for i in range(n)],
                    "name": [f"Project {i}" for i in range(n)],
                    "sponsor": ["Ana"] * n,
                    "budget": [1_000_000.0] * n,
                    "quadrant": ["watermelon"] * n,
                    "why": ["on plan, value 30 points behind"] * n,
                }
            ),
            height=400,
        )

    st.navigation([st.Page(the_list, default=True), st.Page(PROJECT_PAGE)]).run()


def test_the_projects_beyond_the_links_are_sent_only_once_asked_for():
    at = AppTest.from_function(_list_of, args=(45,))
    at.run()
    assert not at.exception
    assert len(at.get("page_link")) == MAX_LINKS
    more = next(e for e in at.expander if e.label == "All 45 projects that need attention")
    assert not more.dataframe  # closed: thousands of rows would cost every visit
    at.session_state["attention_more"] = True
    at.run()
    table = next(e for e in at.expander if e.label.startswith("All 45")).dataframe
    assert len(table) == 1 and len(table[0].value) == 45
