"""The parts of the quarterly review, drawn the same way on the page and on the slides.
Every figure comes from metrics.review (through ui.cache); these only lay it out."""

from __future__ import annotations

import polars as pl
import streamlit as st

from briefing.narrative import Narrative
from charts.gap_trend import gap_trend_chart
from charts.quadrant import quadrant_fill, quadrant_template
from charts.theme import QUADRANT_LABELS, STATUS_LABELS
from domain.formats import money
from metrics.decisions import ACTIONS, AGENDA, agenda
from metrics.gap import JUDGED
from metrics.headline import figure_trends
from metrics.portfolio import PORTFOLIO_KEYS
from metrics.review import QuarterReview
from ui.shell.links import chart_pick, open_project, row_pick
from ui.widgets.chart import show_chart, show_template
from ui.widgets.downloads import table_downloads
from ui.widgets.headline_tiles import TILES
from ui.widgets.tables import FIT_WIDTH, FIT_WIDTH_IN_EXPANDER, show_table
from ui.widgets.text import html_text, md
from ui.widgets.tiles import render_tiles

CHANGE_WORDS = {
    "fell_behind": "fell behind",
    "came_due": "came due",
    "improved": "improved",
    "other": "changed otherwise",
}
RULES_TEXT = """
Decisions follow fixed rules, applied to the figures of the quarter:

1. **Rescue or stop** every project that is off plan *and* short of the value expected by now.
2. **Re-examine the benefit case** of every watermelon: on plan, value missing.
3. **Re-baseline** every active project whose forecast end moved later in two or more
   quarters, or whose reported date is improbable: under an even chance at the pace its own
   Jira work has kept.
4. **Review the reported status** of every project that reports green (or amber/green) while
   its delivery or its value is off, or its own Jira throughput makes its date improbable.
5. **Get every due benefit measured**: assign a measurement owner where there is none, ask
   the owner for a current figure where the last one is stale.
6. **Intervene early** on every benefit that is on track today but whose measured trend is
   heading for a miss by its target date: the early warning a status cannot give.

Cancelled projects take no decision. Within a rule, decisions come by money at stake: the
project's value at risk (or the benefit's planned value), else its budget.
"""


def trends(review: QuarterReview) -> pl.DataFrame:
    """The tiles' figures: the quarter, its change since the previous one, the history."""
    current = review.series.filter(pl.col("quarter") == review.quarter)
    return figure_trends(
        review.series.lazy(), current.lazy(), review.as_of, PORTFOLIO_KEYS
    ).collect()


def headline(review: QuarterReview) -> None:
    render_tiles(trends(review), TILES)


def brief(story: Narrative) -> None:
    """The narrative: the situation in a paragraph, what matters most as a numbered list."""
    sentences = story.sentences
    split = sentences.index("What matters most:") if "What matters most:" in sentences else None
    if split is None:
        split = len(sentences)
    st.markdown(md(" ".join(sentences[:split])))
    items = story.sentences[split + 1 :]
    if items:
        st.markdown("**What matters most**")
        st.markdown(
            "\n".join(f"{i}. {md(s.split(', ', 1)[1])}" for i, s in enumerate(items, start=1))
        )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def gap_over_time(review: QuarterReview, height: int = 260, wall: bool = False) -> None:
    if review.series.height < 2:
        st.caption("One quarter of data so far: the trend appears from the second quarter on.")
        return
    show_chart(gap_trend_chart, review.series, height=height, wall=wall)


def quadrant(
    review: QuarterReview, outcome_tolerance: float, height: int = 400, wall: bool = False
) -> None:
    """The quadrant of the quarter; on the wall (`wall`) large text and the names of the
    bubbles that matter."""
    placed = review.projects.filter(pl.col("quadrant").is_in(JUDGED) & ~pl.col("cancelled"))
    if placed.height == 0:
        st.info("No project had benefits due in this quarter.", icon=":material/hourglass_empty:")
        return
    event = show_template(
        quadrant_template,
        outcome_tolerance,
        height=height,
        named=wall,
        data=quadrant_fill(review.projects),
        key="review_quadrant",
        select="pick",
        wall=wall,
    )
    if picked := chart_pick(event):
        open_project(picked)


def moves(review: QuarterReview, key: str = "review_moves", rows: int | None = None) -> None:
    frame = review.quadrant_moves
    if frame.height == 0:
        st.caption("No project changed quadrant.")
        return
    table = frame.select(
        "project_id",
        pl.col("name").alias("Project"),
        pl.col("sponsor").alias("Sponsor"),
        pl.col("from_quadrant")
        .replace_strict(QUADRANT_LABELS, default="New this quarter")
        .alias("From"),
        pl.col("to_label").alias("To"),
        pl.col("why").alias("Why"),
    )
    if rows:
        table = table.head(rows)
    event = show_table(
        table,
        fit=True,  # the Why reads whole at 1280 px, wrapped
        hide_index=True,
        column_order=["Project", "Sponsor", "From", "To", "Why"],
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    if picked := row_pick(event, table):
        open_project(picked)


def status_counts(review: QuarterReview) -> str:
    """'9 fell behind · 6 came due · 3 improved'."""
    counts = review.status_changes.group_by("change").len().sort("len", descending=True)
    return " · ".join(f"{n} {CHANGE_WORDS.get(c, c)}" for c, n in counts.iter_rows())


def status_changes(review: QuarterReview, rows: int | None = None) -> None:
    frame = review.status_changes
    if frame.height == 0:
        st.caption("No benefit changed status.")
        return
    table = frame.sort("change", "project_name").select(
        pl.col("project_name").alias("Project"),
        pl.col("kpi").alias("KPI"),
        pl.col("from_status").replace_strict(STATUS_LABELS, default=None).alias("From"),
        pl.col("to_status").replace_strict(STATUS_LABELS, default=None).alias("To"),
        pl.col("change").replace_strict(CHANGE_WORDS, default=None).alias("Change"),
        pl.col("owner").fill_null("⚠ No owner").alias("Owner"),
    )
    show_table(table.head(rows) if rows else table, fit=FIT_WIDTH_IN_EXPANDER, hide_index=True)


def started_delivered_cancelled(review: QuarterReview, rows: int | None = None) -> None:
    """Three lists side by side; with `rows`, each its first rows and "and N more"."""
    columns = st.columns(3, gap="large")
    for column, title, frame in zip(
        columns,
        ("Started", "Delivered", "Cancelled"),
        (review.started, review.delivered, review.cancelled),
        strict=True,
    ):
        with column:
            st.markdown(f"**{title}: {frame.height}**")
            if frame.height:
                shown = frame.head(rows) if rows else frame
                st.markdown(
                    "\n".join(
                        f"- {md(n)} ({md(s or 'no sponsor')})"
                        for n, s in shown.select("name", "sponsor").iter_rows()
                    )
                )
                if frame.height > shown.height:
                    st.caption(f"and {frame.height - shown.height} more")


def status_changes_list(review: QuarterReview, rows: int = 7) -> None:
    """The benefits that changed status as lines that wrap, for the wall screen: the first
    `rows` and "and N more", never a scrolling table."""
    frame = review.status_changes
    if frame.height == 0:
        st.caption("No benefit changed status.")
        return
    items = [
        f"<li><b>{html_text(r['project_name'])}</b>, {html_text(r['kpi'])}: "
        f"{html_text(STATUS_LABELS.get(r['from_status'] or '', 'new'))} → "
        f"<b>{html_text(STATUS_LABELS.get(r['to_status'] or '', '—'))}</b> "
        f"<span style='color:#4b5563'>({html_text(CHANGE_WORDS.get(r['change'], r['change']))}"
        f"; owner {html_text(r['owner'] or 'none')})</span></li>"
        for r in frame.sort("change", "project_name").head(rows).to_dicts()
    ]
    more = frame.height - rows
    tail = f"<p style='color:#6b7280'>and {more} more</p>" if more > 0 else ""
    st.html(f"<ul class='slide-list'>{''.join(items)}</ul>{tail}")


def decision_counts(review: QuarterReview) -> str:
    """'Rescue or stop: 4 · Re-examine the benefit case: 13 · ...' in the rules' order."""
    count = dict(review.decisions.group_by("decision").len().iter_rows())
    return " · ".join(f"{ACTIONS[k]}: {count[k]}" for k in ACTIONS if count.get(k))


def decisions(
    review: QuarterReview, rows: int | None = None, key: str = "review_decisions"
) -> None:
    """The few decisions with the most money at stake (metrics.decisions.agenda), then every
    decision one click away, in the rules' order, with its downloads."""
    frame = review.decisions
    if frame.height == 0:
        st.success("No decision is needed this quarter.", icon=":material/check_circle:")
        return
    count = dict(frame.group_by("decision").len().iter_rows())
    first = agenda(frame.lazy(), rows or AGENDA).collect()
    _decision_table(first, key)
    if frame.height > first.height:
        with st.expander(f"All {frame.height} decisions, by rule"):
            st.caption(" · ".join(f"{ACTIONS[k]}: {count[k]}" for k in ACTIONS if count.get(k)))
            table = _decision_table(frame, f"{key}_all", FIT_WIDTH_IN_EXPANDER)
            table_downloads(table, "Decisions", f"decisions-{review.quarter}", "decisions")
    else:
        table_downloads(
            _decision_frame(frame), "Decisions", f"decisions-{review.quarter}", "decisions"
        )


def _decision_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        "project_id",
        pl.col("action").alias("Decision"),
        pl.col("name").alias("Project"),
        pl.col("sponsor").alias("Sponsor"),
        pl.col("trigger").alias("Why"),
        pl.col("at_stake").alias("At stake"),
    )


def _decision_table(frame: pl.DataFrame, key: str, fit: int = FIT_WIDTH) -> pl.DataFrame:
    """Decisions as a table whose row opens the project; every column reads whole at 1280
    px, the Why wrapped over as few lines as that needs."""
    table = _decision_frame(frame)
    event = show_table(
        table,
        formats={"At stake": money},
        fit=fit,
        hide_index=True,
        column_order=["Decision", "Project", "Sponsor", "At stake", "Why"],
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    if picked := row_pick(event, table):
        open_project(picked)
    return table


def top_three(review: QuarterReview) -> None:
    """The decisions that matter most, one line each, large."""
    lines = [
        f"<li><b>{html_text(r['action'])}</b>: {html_text(r['name'])} "
        f"({html_text(r['sponsor'] or 'no sponsor')}). "
        f"<span style='color:#4b5563'>{html_text(r['trigger'])}</span></li>"
        for r in review.top.to_dicts()
    ]
    st.html(f"<ol class='slide-list'>{''.join(lines)}</ol>")


def moves_list(review: QuarterReview, rows: int = 8) -> None:
    """The quadrant moves as lines that wrap, for the wall screen."""
    items = [
        f"<li><b>{html_text(r['name'])}</b> ({html_text(r['sponsor'] or 'no sponsor')}): "
        f"{html_text(QUADRANT_LABELS.get(r['from_quadrant'] or '', 'new this quarter'))} → "
        f"<b>{html_text(r['to_label'])}</b>. "
        f"<span style='color:#4b5563'>{html_text(r['why'])}</span></li>"
        for r in review.quadrant_moves.head(rows).to_dicts()
    ]
    more = review.quadrant_moves.height - rows
    tail = f"<p style='color:#6b7280'>and {more} more</p>" if more > 0 else ""
    st.html(f"<ul class='slide-list'>{''.join(items)}</ul>{tail}")
