"""Mapping an export that does not follow the template, in the real page: `streamlit run`,
headless Chromium, the editor grid edited with mouse and keyboard."""

from __future__ import annotations

import pytest

from domain.contract import PROJECTS
from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_data_page import _open_data_page
from tests.sheets import export_2019_like, export_itdashboard_like
from ui.manage.mapping_editor import ordered
from ui.manage.mapping_grid import WIDTHS

pytestmark = pytest.mark.browser

HEADER, ROW = 35, 35  # pixel heights of the editor's header and rows


def _edit(page, column: str, field: str, text: str) -> None:
    """Open a cell of the mapping editor, type, and pick the option shown.

    The grid may be wider than the page, so the cell is reached from the first editable
    column of its row with the arrow keys (the grid scrolls to it), not by its pixels.
    A busy machine can take the first click or keystroke before the grid has settled,
    and the option typed for then never shows: the whole edit is tried again.
    """
    names = list(WIDTHS)
    first = names[1]  # the first editable column, always in view
    editor = page.locator("#portal input, #portal textarea").first
    option = page.locator("#portal [role='option']").filter(has_text=text).first
    for attempt in range(3):
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        x = box["x"] + WIDTHS[names[0]] + WIDTHS[first] / 2
        y = box["y"] + HEADER + ROW * ordered(PROJECTS).index(column) + ROW / 2
        for _click in range(4):  # the first click may only focus the grid
            page.mouse.click(x, y)
            for _ in range(names.index(field) - names.index(first)):
                page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")
            try:
                editor.wait_for(timeout=2500)
                break
            except Exception:
                page.keyboard.press("Escape")
        editor.focus()
        page.keyboard.type(text)
        try:
            option.wait_for(timeout=5000)
            break
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_for_app(page)
    option.click()
    wait_for_app(page)


def test_map_preview_and_commit_an_export(serve, page, tmp_path):
    export = tmp_path / "gmpp_2019.csv"
    export.write_bytes(export_2019_like().data)
    server = serve(tmp_path / "cockpit.duckdb")
    _open_data_page(page, server)

    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        str(export)
    )
    page.get_by_text("Map your columns").wait_for(timeout=30000)
    page.get_by_text("must be fixed before this can be committed").wait_for(timeout=30000)
    wait_for_app(page)
    screenshot(page, "mapping-suggested")

    # The end date of one project is an FOI exemption: leave that project out.
    _edit(page, "baseline_end", "If unreadable", "Skip the row")
    _edit(page, "budget", "Unit", "millions")
    _edit(page, "forecast_cost", "Unit", "millions")  # else doubted: another unit than budget
    page.get_by_text("Ready to commit").wait_for(timeout=30000)
    wait_for_app(page)
    assert page.get_by_text("3 projects").count() >= 1
    screenshot(page, "mapping-ready")

    page.get_by_role("button", name="Commit snapshot").click()
    page.get_by_text("committed: 3 projects").wait_for(timeout=30000)
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("The mapping is saved for “gmpp_2019.csv”").count() == 1
    screenshot(page, "mapping-committed")


def _tick(page, label: str) -> None:
    page.locator("[data-testid='stCheckbox']").filter(has_text=label).locator("label").click()
    wait_for_app(page)


def test_rows_the_export_should_not_have_are_left_out_in_the_app(serve, page, tmp_path):
    """The IT Dashboard's traps (a Total row in an unmapped column, an empty committed
    date, names repeated across investments) fixed by the mapping's row options, the
    report counting each row left out; screenshots at 1280 and 1920 wide."""
    export = tmp_path / "Projects_CW1.csv"
    export.write_bytes(export_itdashboard_like().data)
    server = serve(tmp_path / "cockpit.duckdb")
    _open_data_page(page, server)
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        str(export)
    )
    page.get_by_text("must be fixed before this can be committed").wait_for(timeout=30000)
    wait_for_app(page)
    page.get_by_text("Validation report").scroll_into_view_if_needed()
    screenshot(page, "mapping-traps-report")

    _tick(page, "Leave out rows whose required cells are empty")
    _tick(page, "Leave out totals rows")
    page.locator("[data-testid='stRadio']").get_by_text("Keep the last row").click()
    page.get_by_text("Ready to commit").wait_for(timeout=30000)
    wait_for_app(page)
    assert page.get_by_text("Left out by the mapping: 1 totals row").count() == 1
    page.get_by_text("Rows that are not one row per item").scroll_into_view_if_needed()
    screenshot(page, "mapping-row-options")
    page.set_viewport_size({"width": 1920, "height": 1080})
    wait_for_app(page)
    page.get_by_text("Rows that are not one row per item").scroll_into_view_if_needed()
    screenshot(page, "mapping-row-options-1920")

    page.get_by_role("button", name="Commit snapshot").click()
    page.get_by_text("committed: 3 projects").wait_for(timeout=30000)
    assert page.locator("[data-testid='stException']").count() == 0
