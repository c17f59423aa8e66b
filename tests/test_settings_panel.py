"""The tolerances panel under AppTest: shows, validates, saves with who saved."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from store import open_store


def _panel(can_edit: bool = True) -> None:
    from ui.manage.settings_panel import render_settings_panel

    render_settings_panel(can_edit=can_edit)


@pytest.fixture
def panel(monkeypatch, db_path):
    monkeypatch.setenv("COCKPIT_DB", str(db_path))
    monkeypatch.setenv("COCKPIT_ALLOW_TEST_USER", "1")
    monkeypatch.setenv("COCKPIT_TEST_USER", "pat@example.org")

    def make(**kwargs) -> AppTest:
        at = AppTest.from_function(_panel, default_timeout=30, kwargs=kwargs)
        at.run()
        assert not at.exception
        return at

    return make


def _input(at: AppTest, label: str):
    return next(n for n in at.number_input if n.label.startswith(label))


def _submit(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception


def test_shows_the_defaults_and_that_nobody_changed_them(panel):
    at = panel()
    assert any("Never changed" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert "Budget tolerance" in table["Tolerance"].to_list()
    assert _input(at, "Budget tolerance").value == pytest.approx(5.0)
    assert _input(at, "Schedule tolerance").value == 0


def test_saving_stores_the_tolerances_and_who_saved_them(panel, db_path):
    at = panel()
    _input(at, "Budget tolerance").set_value(10.0)
    _input(at, "Measurements go stale").set_value(90)
    _submit(at, "Save tolerances")
    assert any("Saved" in s.value for s in at.success)
    saved = open_store(str(db_path)).settings()
    assert saved.budget_tolerance == pytest.approx(0.10)
    assert saved.stale_after_days == 90
    assert any("by pat@example.org" in c.value for c in at.caption)
    assert "10%" in at.dataframe[0].value["Now"].to_list()  # the table shows the new value


def test_invalid_tolerances_are_explained_and_not_saved(panel, db_path):
    at = panel()
    _input(at, "Outcome risk band").set_value(5.0)  # below the 10% outcome tolerance
    _submit(at, "Save tolerances")
    assert at.error and "Not saved" in at.error[0].value
    assert "Outcome risk band must be at least Outcome tolerance" in at.error[0].value
    assert open_store(str(db_path)).settings().outcome_risk_band == pytest.approx(0.30)


def test_restoring_the_defaults(panel, db_path):
    from domain.settings import Settings

    open_store(str(db_path)).save_settings(Settings(budget_tolerance=0.2), actor="someone")
    at = panel()
    assert _input(at, "Budget tolerance").value == pytest.approx(20.0)
    _submit(at, "Restore the defaults")
    assert open_store(str(db_path)).settings() == Settings()


def test_read_only_shows_the_values_without_a_form(panel):
    at = panel(can_edit=False)
    assert at.dataframe and not at.number_input
    assert any("Only editors" in c.value for c in at.caption)


def test_the_forecast_settings_are_shown_saved_and_checked(panel, db_path):
    at = panel()
    table = at.dataframe[0].value
    assert {"Forecast window", "Measurements for a trend"} <= set(table["Tolerance"])
    assert "12 weeks" in table["Now"].to_list()
    assert _input(at, "Forecast window").value == 12
    _input(at, "Forecast window").set_value(26)
    _input(at, "Measurements for a trend").set_value(4)
    _submit(at, "Save tolerances")
    saved = open_store(str(db_path)).settings()
    assert (saved.forecast_window_weeks, saved.forecast_min_points) == (26, 4)
    assert saved.forecast_min_active_weeks == 4

    _input(at, "Active weeks").set_value(30)  # more than the 26-week window
    _submit(at, "Save tolerances")
    assert (
        at.error
        and "Active weeks for a forecast must be at least 1 and at most Forecast window"
        in at.error[0].value
    )
    assert open_store(str(db_path)).settings().forecast_min_active_weeks == 4
