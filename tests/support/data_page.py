"""Driving the Data page under AppTest: upload files, read the validation report, press a
button, open a tab (shared by the tests of uploads, mappings and currencies)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.markdown import shown


def upload(at: AppTest, files) -> AppTest:
    at.file_uploader[0].set_value([(f.name, f.data, "text/csv") for f in files])
    at.date_input(key="upload_as_of").set_value("2026-09-30")
    at.run()
    assert not at.exception
    return at


def causes(at: AppTest) -> list[dict[str, str]]:
    """The validation report by cause, as the page shows it (Markdown escapes removed)."""
    return [
        {k: shown(v) for k, v in row.items()}
        for table in at.table
        if "How to fix" in table.value.columns
        for row in table.value.to_dict("records")
    ]


def button(at: AppTest, label: str):
    return next(b for b in at.button if shown(b.label) == label)


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["tab"] = label
    at.run()
    assert not at.exception
    return at
