"""Cached quarterly review: the review, its narrative and its PDF, per quarter and slice.

Keyed like ui.data (store URL, store generation, filters); built from the per-date
evaluations ui.data already caches.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from briefing.narrative import Narrative, narrative
from metrics.review import QuarterReview, quarter_review
from metrics.trends import quarter_of
from ui.data import Filters, filtered_evaluation, quarter_dates


@st.cache_resource(show_spinner=False, max_entries=32)
def review(
    url: str, generation: int, as_of: dt.date | None, filters: Filters
) -> QuarterReview | None:
    """The review of the quarter of `as_of`, as of that date (the view's), against the
    quarters before it, for the filtered projects; None without a snapshot."""
    if as_of is None:
        return None
    quarter = quarter_of(as_of)
    evaluations = {}
    for label, day in quarter_dates(url, generation).items():
        if label >= quarter:
            break
        evaluation = filtered_evaluation(url, generation, day, filters)
        if evaluation is not None:
            evaluations[label] = evaluation
    current = filtered_evaluation(url, generation, as_of, filters)
    if current is None:
        return None
    evaluations[quarter] = current
    return quarter_review(evaluations, quarter)


@st.cache_resource(show_spinner=False, max_entries=32)
def story(url: str, generation: int, as_of: dt.date | None, filters: Filters) -> Narrative | None:
    found = review(url, generation, as_of, filters)
    return narrative(found) if found is not None else None


@st.cache_data(show_spinner=False, max_entries=16)
def briefing(url: str, generation: int, as_of: dt.date | None, filters: Filters) -> bytes:
    """The PDF briefing (rendered on demand: charts take a few seconds to draw offline)."""
    from briefing.pdf import briefing_pdf

    found = review(url, generation, as_of, filters)
    told = story(url, generation, as_of, filters)
    if found is None or told is None:
        return b""
    return briefing_pdf(found, told)
