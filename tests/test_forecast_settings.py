"""The three forecast settings: stored with the data like the tolerances, and checked."""

from __future__ import annotations

import pytest

from domain.settings import Settings
from store import close_all, open_store


def test_forecast_settings_are_stored_with_the_data(store, db_path):
    assert (Settings().forecast_window_weeks, Settings().forecast_min_active_weeks) == (12, 4)
    assert Settings().forecast_min_points == 3
    chosen = Settings(forecast_window_weeks=26, forecast_min_active_weeks=8, forecast_min_points=5)
    store.save_settings(chosen, actor="ana")
    close_all()
    assert open_store(str(db_path)).settings() == chosen


def test_a_store_saved_before_the_forecasts_gets_their_defaults(store):
    store.save_settings(Settings(budget_tolerance=0.2), actor="ana")
    store.db.cursor().execute("DELETE FROM settings WHERE name LIKE 'forecast_%'")
    assert store.settings() == Settings(budget_tolerance=0.2)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"forecast_window_weeks": 0}, "forecast_window_weeks must be between 1 and 104"),
        ({"forecast_window_weeks": 105}, "forecast_window_weeks must be between 1 and 104"),
        ({"forecast_min_active_weeks": 0}, "forecast_min_active_weeks must be at least 1"),
        (
            {"forecast_window_weeks": 6, "forecast_min_active_weeks": 7},
            "at most forecast_window_weeks",
        ),
        ({"forecast_min_points": 1}, "forecast_min_points must be at least 2"),
    ],
)
def test_out_of_range_forecast_settings_are_refused(values, problem):
    with pytest.raises(ValueError, match=problem):
        Settings(**values)


def test_the_edges_of_the_ranges_are_allowed():
    Settings(forecast_window_weeks=1, forecast_min_active_weeks=1, forecast_min_points=2)
    Settings(forecast_window_weeks=104, forecast_min_active_weeks=104)
