"""Cached quarterly review: the review, its narrative and its PDF, per quarter and slice.

Keyed like ui.data (store URL, store generation, filters); built from the per-date
evaluations ui.data already caches.
"""

from __future__ import annotations

import streamlit as st

from briefing.narrative import Narrative, narrative
from metrics.review import QuarterReview, quarter_review
from ui.data import Filters, filtered_evaluation, quarter_dates


@st.cache_resource(show_spinner=False, max_entries=32)
def review(url: str, generation: int, quarter: str, filters: Filters) -> QuarterReview | None:
    """The review of `quarter` for the filtered projects; None if no snapshot falls in it."""
    evaluations = {}
    for label, as_of in quarter_dates(url, generation).items():
        evaluation = filtered_evaluation(url, generation, as_of, filters)
        if evaluation is not None:
            evaluations[label] = evaluation
        if label == quarter:
            break
    if quarter not in evaluations:
        return None
    return quarter_review(evaluations, quarter)


@st.cache_resource(show_spinner=False, max_entries=32)
def story(url: str, generation: int, quarter: str, filters: Filters) -> Narrative | None:
    found = review(url, generation, quarter, filters)
    return narrative(found) if found is not None else None


@st.cache_data(show_spinner=False, max_entries=16)
def briefing(url: str, generation: int, quarter: str, filters: Filters) -> bytes:
    """The PDF briefing (rendered on demand: charts take a few seconds to draw offline)."""
    from briefing.pdf import briefing_pdf

    found = review(url, generation, quarter, filters)
    told = story(url, generation, quarter, filters)
    if found is None or told is None:
        return b""
    return briefing_pdf(found, told)
