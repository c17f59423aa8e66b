"""Links between pages keep the view; chart and table picks name the project clicked."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import polars as pl

from ui.shell.filters import View, as_of_label
from ui.shell.links import chart_pick, project_params, row_pick, shareable_project_params

DATES = (dt.date(2026, 3, 31), dt.date(2026, 6, 30))


def _view(as_of: dt.date, **filters: tuple[str, ...]) -> View:
    chosen = tuple((c, filters.get(c, ())) for c in ("objective", "portfolio", "sponsor"))
    return View("store.duckdb", 1, as_of, DATES, chosen)


def test_a_shareable_project_link_keeps_the_date_and_filters_of_the_view():
    params = shareable_project_params(_view(DATES[0], portfolio=("Digital",)), "PAY-01")
    assert params == {
        "as_of": as_of_label("2026-03-31"),
        "portfolio": ["Digital"],
        "project": "PAY-01",
    }
    assert as_of_label("2026-03-31") == "31 Mar 2026 · 2026-Q1"


def test_the_newest_date_and_no_filter_leave_the_url_clean():
    assert shareable_project_params(_view(DATES[1]), "PAY-01") == {"project": "PAY-01"}


def test_in_app_links_name_only_the_project():
    assert project_params("PAY-01") == {"project": "PAY-01"}  # bound filters travel alone


def test_chart_pick_reads_a_point_selection():
    event = {"selection": {"pick": [{"project_id": "PAY-01", "vlPoint": {}}]}}
    assert chart_pick(event) == "PAY-01"
    assert chart_pick({"selection": {"pick": {"project_id": ["PAY-02"]}}}) == "PAY-02"
    assert chart_pick({"selection": {"pick": []}}) is None
    assert chart_pick(None) is None


def test_row_pick_reads_the_selected_row():
    frame = pl.DataFrame({"project_id": ["A", "B"]})
    assert row_pick(SimpleNamespace(selection=SimpleNamespace(rows=[1])), frame) == "B"
    assert row_pick(SimpleNamespace(selection=SimpleNamespace(rows=[])), frame) is None
