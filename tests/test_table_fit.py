"""Tables that read whole at 1280 px (ui.widgets.tables.fit_columns): every header on one
line, each column as wide as its text needs, long text wrapped over as few lines as let the
table fit, never a word broken."""

from __future__ import annotations

from ui.widgets.tables import (
    CELL_PAD_PX,
    FIT_WIDTH,
    WRAP_ROW_PX,
    fit_columns,
    one_line_px,
    text_px,
    wrapped_lines,
)

WHY = [
    "73 days late, 38% over budget; 13% of the value attained against 98% expected by now",
    "reports green while delivery is off plan (93 days late, 36% over budget, 68% of scope "
    "done); value trails: 0% of the value attained against 42% expected by now",
]


def _reads_whole(cells: dict[str, list[str]], widths: dict[str, int], lines: int) -> bool:
    """Every header on one line, every cell within `lines` lines, no word broken."""
    for header, texts in cells.items():
        room = widths[header] - CELL_PAD_PX
        if text_px(header) > room:
            return False
        for text in texts:
            needs = wrapped_lines(text, room)
            if needs is None or needs > lines:
                return False
    return True


def test_a_table_that_fits_on_one_line_keeps_the_grids_own_rows():
    cells = {"Project": ["Payments"], "Sponsor": ["Priya Nair"], "At stake": ["$5.1M"]}
    fit = fit_columns(cells, FIT_WIDTH, unwrapped={"At stake"})
    assert fit.lines == 1 and fit.row_height is None
    assert _reads_whole(cells, fit.widths, 1)


def test_a_long_reason_wraps_in_rows_streamlit_wraps_and_the_table_fits_the_screen():
    cells = {
        "Decision": ["Re-examine the benefit case", "Assign a measurement owner"],
        "Project": ["Voice of the customer programme", "Marketing automation platform"],
        "Sponsor": ["Aisha Rahman"],
        "At stake": ["$11.6M"],
        "Why": WHY,
    }
    width = FIT_WIDTH - 34  # the checkbox of a table whose rows open the project
    fit = fit_columns(cells, width, unwrapped={"At stake"})
    assert sum(fit.widths.values()) <= width
    assert 1 < fit.lines <= 4 and fit.row_height is not None
    assert fit.row_height > 64 and fit.row_height >= WRAP_ROW_PX  # Streamlit wraps above 4rem
    assert _reads_whole(cells, fit.widths, fit.lines)
    # the room left goes to the short columns first: a name on one line
    assert _reads_whole({"Sponsor": ["Aisha Rahman"]}, fit.widths, 1)


def test_numbers_and_dates_never_wrap_and_headers_are_never_cut():
    cells = {"Forecast shortfall": ["$1.3M"], "Due since": ["24 May 2025"], "Why": WHY * 3}
    fit = fit_columns(cells, 500, unwrapped={"Forecast shortfall", "Due since"})
    assert fit.widths["Forecast shortfall"] >= one_line_px(["Forecast shortfall"])
    assert fit.widths["Due since"] >= one_line_px(["24 May 2025"])
    assert _reads_whole(cells, fit.widths, fit.lines)


def test_headers_wider_than_the_screen_scroll_sideways_rather_than_cut_a_word():
    cells = {f"A header of some length {i}": ["a value of two lines maybe"] for i in range(12)}
    fit = fit_columns(cells, FIT_WIDTH)
    assert sum(fit.widths.values()) > FIT_WIDTH and fit.lines == 1
    assert _reads_whole(cells, fit.widths, fit.lines)


def test_text_is_measured_in_the_grids_type_and_a_long_word_is_never_broken():
    """A wide word ("demo_warehouse": Chromium draws it 105 px wide) is measured as wide as
    it is drawn, not as so many average characters."""
    assert 105 <= text_px("demo_warehouse") <= 105 * 1.1
    assert text_px("iiii") < text_px("MMMM")
    assert wrapped_lines("Sourced · sql: demo_warehouse", 100) is None  # cut: never chosen
    cells = {"Measured by": ["Sourced · sql: demo_warehouse", "Typed · Time tracking"]}
    fit = fit_columns(cells, 140)
    assert fit.lines > 1 and _reads_whole(cells, fit.widths, fit.lines)
