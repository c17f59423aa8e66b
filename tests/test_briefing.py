"""The quarterly narrative and the PDF briefing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from briefing.narrative import narrative
from briefing.pdf import briefing_pdf
from domain.formats import money, pct
from metrics.decisions import AGENDA, agenda
from metrics.review import quarter_review
from tests.support.pdf import pdf_text
from tests.support.two_quarters import evaluations

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def review():
    before, after = evaluations()
    return quarter_review({"2026-Q1": before, "2026-Q2": after}, "2026-Q2")


def test_the_narratives_figures_are_the_metrics(review):
    story = narrative(review)
    # From the hand-made portfolio: outputs 4/6 (67%), outcomes 3/5 (60%), gap 6.67 -> 7
    # points, down from 16.67: it closed by 10 points.
    assert story.figures["output_rate"] == pct(review.figure("output_rate")) == "67%"
    assert story.figures["outcome_rate"] == pct(review.figure("outcome_rate")) == "60%"
    assert story.figures["gap_pts"] == "7 points"
    assert story.figures["gap_change"] == "10 points"
    assert story.figures["value_at_risk"] == money(review.figure("value_at_risk"))
    for value in story.figures.values():
        assert value in story.text
    assert "The gap closed by 10 points since 2026-Q1." in story.sentences


def test_the_narrative_names_the_three_decisions_that_matter_most(review):
    story = narrative(review)
    top = review.top.to_dicts()
    assert 1 <= len(top) <= 3
    assert "What matters most:" in story.sentences
    for row in top:
        assert any(row["name"] in s and row["trigger"] in s for s in story.sentences)


def test_a_first_quarter_has_no_comparison():
    before, _after = evaluations()
    first = quarter_review({"2026-Q1": before}, "2026-Q1")
    story = narrative(first)
    assert first.previous_quarter is None and first.quadrant_moves.height == 0
    assert "gap_change" not in story.figures
    assert not any("since" in s for s in story.sentences)


def test_the_pdf_has_the_quarter_the_headline_and_the_decisions(review):
    data = briefing_pdf(review, narrative(review))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "2026-Q2" in text
    for figure in ("output_rate", "outcome_rate"):
        assert pct(review.figure(figure)) in text
    assert money(review.figure("value_at_risk")) in text
    for row in agenda(review.decisions.lazy()).collect().to_dicts():
        assert row["action"] in text and row["name"] in text
    assert "Project M2" in text and "Rescue or stop" in text  # M2 must be rescued or stopped
    assert "Decisions to take" in text
    more = review.decisions.height - AGENDA
    assert (f"The other {more} decisions" in text) == (more > 0)


def test_briefing_cli_on_the_demo(demo_db, tmp_path):
    out = tmp_path / "briefing.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "briefing", "--quarter", "2026-Q3",
         "--db", str(demo_db), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = pdf_text(out.read_bytes())
    assert "2026-Q3" in text and "compared with 2026-Q2" in text
    assert "Rescue or stop" in text and "Re-examine the benefit case" in text


def test_briefing_cli_refuses_an_unknown_quarter(demo_db, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "briefing", "--quarter", "2019-Q1",
         "--db", str(demo_db), "--out", str(tmp_path / "x.pdf")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert "no snapshot falls in 2019-Q1" in done.stderr and "2026-Q3" in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_briefing_cli_explains_a_briefing_that_cannot_be_drawn(demo_db, tmp_path):
    con = duckdb.connect(str(demo_db))
    con.execute("UPDATE projects SET sponsor = repeat('Chief Sponsor ', 45)")  # 630 characters
    con.close()
    out = tmp_path / "briefing.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "briefing", "--db", str(demo_db), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert "cannot be drawn" in done.stderr and "is the sponsor" in done.stderr
    assert "Nothing was written" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_briefing_cli_out_must_be_a_file_it_can_write(demo_db, tmp_path):
    for out in (tmp_path, tmp_path / "file.txt" / "briefing.pdf"):
        (tmp_path / "file.txt").write_text("a file, not a folder")
        done = subprocess.run(
            [sys.executable, "-m", "metrics", "briefing", "--db", str(demo_db), "--out", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_the_narrative_states_the_evidenced_share(review):
    story = narrative(review)
    # the hand-made portfolio's measurements are all typed
    assert story.figures["evidenced_share"] == pct(review.figure("evidenced_share")) == "0%"
    expected = (
        "0% of the benefits due are measured by a source: the value realized rests on numbers "
        "typed in."
    )
    assert expected in story.sentences
    assert "measured by a source" in pdf_text(briefing_pdf(review, narrative(review)))
