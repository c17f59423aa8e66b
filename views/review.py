"""Quarterly review: this quarter against the last, the decisions to take, a briefing to
take away, and a presentation mode for the wall screen (`?present=true`)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from domain.figures import label
from domain.formats import date_text
from domain.quarters import quarter_of
from metrics.decisions import AGENDA
from ui import cache
from ui.cache import review, story
from ui.review import review_sections as part
from ui.review.briefing_download import briefing_control
from ui.review.presentation import (
    SLIDE_CHART_HEIGHT,
    Slide,
    apply_presentation_style,
    message,
    run_slides,
    slide_bar,
)
from ui.shell.filters import current_view, quarter_shown
from ui.widgets.empty import stop_if_empty
from ui.widgets.header import page_header, view_caption
from ui.widgets.text import md

view = current_view()
stop_if_empty(view, "Quarterly review")

QUARTER_PICKER = "review_quarter"
quarter_dates = cache.quarter_dates(view.url, view.generation)
quarters = list(quarter_dates)[::-1]  # latest first
# The review follows the view: the quarter of the as-of date every page shows.
quarter = quarter_of(view.as_of)
quarter_shown(quarter)


def move_view(dates: dict[str, dt.date]) -> None:
    """The quarter picker moves the whole view, to the latest snapshot of the quarter picked
    (runs before the next run draws the sidebar, so the as-of picker follows)."""
    st.session_state["as_of"] = dates[st.session_state[QUARTER_PICKER]].isoformat()


present = bool(st.session_state.get("present", st.query_params.get("present") == "true"))
if present:
    apply_presentation_style()
    body = st.container()
    notice = st.container()
    controls = slide_bar()
    slide_controls = controls.container(horizontal=True, vertical_alignment="center")
else:
    head = st.container()
    controls = st.container(horizontal=True, vertical_alignment="bottom")
    notice = st.container()
    body = st.container()

with controls:
    st.session_state[QUARTER_PICKER] = quarter
    st.selectbox(
        "Quarter",
        quarters,
        key=QUARTER_PICKER,
        on_change=move_view,
        args=(quarter_dates,),
        width=180,
        help="The quarter to review, against the one before it. Picking one moves every page "
        "to that quarter's latest snapshot (the as-of date in the sidebar).",
    )
key = (view.url, view.generation, view.as_of, view.filters)
with controls:
    briefing_control(key, notice)
    st.toggle(
        "Presentation mode",
        key="present",
        bind="query-params",
        help="For the wall screen: no sidebar, large type, one message per screen. The "
        "address (…?present=true) opens it directly.",
    )

found = review(*key)
told = story(*key)
if found is None or told is None:
    with body:
        page_header("Quarterly review", view)
        st.info(f"No snapshot falls in {quarter}.", icon=":material/event_busy:")
    st.stop()

settings = cache.evaluated(view.url, view.generation, found.as_of).settings
compared = f"compared with {found.previous_quarter}" if found.previous_quarter else "first quarter"


def slide_gap() -> None:
    message(told.sentences[0])
    part.headline(found)


def slide_brief() -> None:
    message("In brief: where the quarter stands, and what matters most.")
    part.brief(told)


def slide_over_time() -> None:
    message(told.sentences[1] if found.previous_quarter else "The first quarter with figures.")
    part.gap_over_time(found, height=SLIDE_CHART_HEIGHT, wall=True)


def slide_quadrant() -> None:
    message("Delivery against value, project by project.")
    part.quadrant(found, settings.outcome_tolerance, height=SLIDE_CHART_HEIGHT, wall=True)


def slide_moves() -> None:
    message(f"{found.quadrant_moves.height} projects changed quadrant.")
    part.moves_list(found, rows=7)


def slide_benefits() -> None:
    counts = part.status_counts(found)
    message(
        f"{found.status_changes.height} benefits changed status"
        + (f": {counts}." if counts else ".")
    )
    part.status_changes_list(found, rows=7)


def slide_portfolio_changes() -> None:
    message(
        f"{found.started.height} started, {found.delivered.height} delivered, "
        f"{found.cancelled.height} cancelled."
    )
    part.started_delivered_cancelled(found, rows=7)


def slide_decisions() -> None:
    message(f"{found.decisions.height} decisions to take. These matter most:")
    part.top_three(found)
    counts = part.decision_counts(found)
    if counts:
        st.caption(counts)


if present:
    with body:
        run_slides(
            [
                Slide(label("gap_pts"), slide_gap),
                Slide("In brief", slide_brief),
                Slide("Over time", slide_over_time),
                Slide("Project by project", slide_quadrant),
                Slide("What moved", slide_moves),
                Slide("Benefits", slide_benefits),
                Slide("Started, delivered, cancelled", slide_portfolio_changes),
                Slide("Decisions", slide_decisions),
            ],
            quarter,
            f"{view_caption(view).split(' · ', 1)[-1]} · {compared}",
            slide_controls,
        )
    st.stop()

with head:
    st.title(f"Quarterly review: {quarter}")
    slice_ = view_caption(view).split(" · ", 1)[-1]
    st.caption(f"As of {date_text(found.as_of)} · {compared} · {md(slice_)}")
with body:
    part.headline(found)
    st.subheader("In brief")
    part.brief(told)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("The gap, quarter by quarter")
        part.gap_over_time(found)
    with right:
        st.subheader("Delivery against value")
        part.quadrant(found, settings.outcome_tolerance, height=300)
    st.subheader(f"Projects that changed quadrant: {found.quadrant_moves.height}")
    part.moves(found)
    st.subheader(f"Benefits that changed status: {found.status_changes.height}")
    st.caption(part.status_counts(found) or "None.")
    with st.expander("Every benefit that changed status"):
        part.status_changes(found)
    st.subheader("Started, delivered, cancelled")
    part.started_delivered_cancelled(found)
    first = min(found.decisions.height, AGENDA)
    st.subheader(
        f"Decisions to take: the {first} with most at stake"
        + (f", of {found.decisions.height}" if found.decisions.height > first else "")
        if first
        else "Decisions to take"
    )
    part.decisions(found)
    with st.expander("How decisions are derived"):
        st.markdown(part.RULES_TEXT)
