"""The Quarterly review page under AppTest: the quarter, its movers and decisions, and
presentation mode."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.support.markdown import shown
from tests.support.tables import shown_rows, unreadable_cells


def _subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def test_the_latest_quarter_is_reviewed_by_default(app_on, demo_db):
    at = app_on(demo_db, "review")
    assert at.title[0].value == "Quarterly review: 2026-Q3"
    assert any("compared with 2026-Q2" in c.value for c in at.caption)
    labels = [m.label for m in at.metric]
    assert labels == ["Delivered to plan", "Realizing value", "The gap",
                      "Value vs expected", "Value at risk"]  # fmt: skip
    assert any(h.startswith("Projects that changed quadrant: ") for h in _subheaders(at))
    assert any(h.startswith("Decisions to take: ") for h in _subheaders(at))
    decisions = [d.value for d in at.dataframe if "Decision" in d.value.columns][-1]  # all
    assert "Rescue or stop" in set(decisions["Decision"])
    assert any("What matters most" in m.value for m in at.markdown)
    assert "Briefing (PDF)" in [b.label for b in at.button]
    assert [d.label for d in at.get("download_button")] == [
        "Decisions (CSV)",  # the list to take away (the table's own download is off)
        "Decisions (Excel)",
    ]


def test_the_review_leads_with_the_few_decisions_with_most_at_stake(app_on, demo_db):
    from metrics.decisions import AGENDA

    at = app_on(demo_db, "review")
    first, every = (d.value for d in at.dataframe if "Decision" in d.value.columns)
    assert len(first) == AGENDA < len(every)  # a board's agenda, not a list of 51
    stakes = first["At stake"].tolist()
    assert first["Project"].is_unique  # one line per project
    largest = every.sort_values("At stake", ascending=False, kind="stable")
    assert stakes == largest.drop_duplicates("Project")["At stake"].head(AGENDA).tolist()
    heading = f"Decisions to take: the {AGENDA} with most at stake, of {len(every)}"
    assert heading in _subheaders(at)
    assert any(e.label == f"All {len(every)} decisions, by rule" for e in at.expander)


def test_the_review_tables_read_whole_at_1280(app_on, demo_db):
    """The quadrant moves, the agenda and every decision (in its expander) fit a 1280 px
    screen with the sidebar open: every header whole, the Why wrapped in rows that hold it."""
    from ui.widgets.tables import FIT_WIDTH, FIT_WIDTH_IN_EXPANDER

    at = app_on(demo_db, "review")
    moves, first, every = (d for d in at.dataframe if "Why" in d.value.columns)
    for table, width in ((moves, FIT_WIDTH), (first, FIT_WIDTH), (every, FIT_WIDTH_IN_EXPANDER)):
        assert unreadable_cells(table, width) == []
        assert table.proto.row_height > 64  # Streamlit wraps text only in rows above 4rem
    [changes] = [d for d in at.dataframe if "Change" in d.value.columns]
    assert unreadable_cells(changes, FIT_WIDTH_IN_EXPANDER) == []


def test_another_quarter_from_the_url(app_on, demo_db):
    at = app_on(demo_db, "review", quarter="2025-Q4")
    assert at.title[0].value == "Quarterly review: 2025-Q4"
    assert any("compared with 2025-Q3" in c.value for c in at.caption)


def test_the_first_quarter_has_nothing_to_compare(app_on, demo_db):
    at = app_on(demo_db, "review", quarter="2024-Q4")
    assert any("first quarter" in c.value for c in at.caption)
    assert any(h == "Projects that changed quadrant: 0" for h in _subheaders(at))


def test_presentation_mode_shows_one_slide_at_a_time(app_on, demo_db):
    at = app_on(demo_db, "review", present="true")
    assert not at.title  # no page furniture: the slide's band carries the quarter
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "2026-Q3 · Quarterly strategy review" in html and "1 of 8" in html
    assert "a gap of 25 points" in html  # the slide's one message
    assert at.select_slider(key="slide").value == "The gap"
    next_button = next(b for b in at.button if b.label == "Next")
    next_button.click().run()
    assert not at.exception
    assert at.select_slider(key="slide").value == "In brief"
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "2 of 8" in html


def test_a_slide_opens_from_the_url(app_on, demo_db):
    at = app_on(demo_db, "review", present="true", slide="Decisions")
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "8 of 8" in html and "decisions to take" in html
    assert "Rescue or stop" in html


def test_decisions_sort_by_the_amount_at_stake_not_its_text(app_on, demo_db):
    """The amount stays a number (a click on the header sorts by size) and reads like every
    other amount: with its currency sign, $5.1M, never 5.1M."""
    at = app_on(demo_db, "review")
    decisions = [d for d in at.dataframe if "Decision" in d.value.columns][-1]  # all of them
    assert decisions.value["At stake"].dtype.kind == "f"
    shown = [row["At stake"] for row in shown_rows(decisions)]
    assert shown and all(re.fullmatch(r"\$\d+(\.\d)?[KMB]|—", text) for text in shown), shown
    assert "$5.1M" in shown


def _briefing_button(at):
    return next(b for b in at.button if b.label == "Briefing (PDF)")


def _briefing_downloads(at) -> list[str]:
    """The briefing's download, if offered (the decisions have theirs)."""
    return [d.label for d in at.get("download_button") if "briefing" in d.label]


def test_the_briefing_is_drawn_then_offered_for_download(app_on, demo_db):
    at = app_on(demo_db, "review")
    assert not _briefing_downloads(at)
    _briefing_button(at).click().run()
    assert not at.exception and not at.error
    assert _briefing_downloads(at) == ["Download briefing (PDF)"]
    at.run()  # another run of the same view keeps it ready
    assert _briefing_downloads(at) == ["Download briefing (PDF)"]


@pytest.fixture
def long_sponsor_db(demo_db):
    """A store loaded before sponsors had a length cap: one of 630 characters."""
    con = duckdb.connect(str(demo_db))
    con.execute("UPDATE projects SET sponsor = repeat('Chief Sponsor ', 45)")
    con.close()
    return demo_db


def test_a_briefing_that_cannot_be_drawn_says_why(app_on, long_sponsor_db):
    at = app_on(long_sponsor_db, "review")
    _briefing_button(at).click().run()
    assert not at.exception
    [said] = [shown(e.value) for e in at.error]
    assert "cannot be drawn" in said and "630 characters, is the sponsor" in said
    assert "Traceback" not in said and "/" not in said.split("(")[0]
    assert not _briefing_downloads(at)
    assert any(m.label == "The gap" for m in at.metric)  # the page itself still shows
