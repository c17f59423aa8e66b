"""The app under Streamlit's AppTest: on the demo and on an empty store, no exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app_on(monkeypatch):
    def make(db: Path) -> AppTest:
        monkeypatch.setenv("COCKPIT_DB", str(db))
        at = AppTest.from_file(APP, default_timeout=60)
        return at

    return make


def test_overview_on_the_demo(app_on, demo_db):
    at = app_on(demo_db)
    at.run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Delivered to plan" in labels and "Realizing their outcomes" in labels
    gap = next(m for m in at.metric if m.label == "The gap")
    assert gap.value.endswith("pts") and gap.value.startswith("+")
    assert any("Watermelons" in s.value for s in at.subheader)


def test_overview_on_an_empty_store_explains_how_to_load_data(app_on, tmp_path):
    at = app_on(tmp_path / "empty.duckdb")
    at.run()
    assert not at.exception
    assert not at.error
    assert any("No portfolio data yet" in i.value for i in at.info)
