"""The quarterly review of a quarter, for the Quarterly review view and the briefing: the
quarter of a date, as of that date, against the quarters before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from domain.quarters import quarter_of
from metrics.review import QuarterReview, quarter_review
from service.evaluated import Evaluator, Filters, filtered_evaluation, quarter_evaluations


def review(
    quarters: Mapping[str, dt.date],
    evaluated: Evaluator,
    as_of: dt.date | None,
    filters: Filters,
) -> QuarterReview | None:
    """The review of the quarter of `as_of`, as of that date (the view's), against the
    quarters before it, for the filtered projects; None without a snapshot."""
    if as_of is None:
        return None
    quarter = quarter_of(as_of)
    evaluations = quarter_evaluations(quarters, evaluated, filters, before=quarter)
    current = filtered_evaluation(evaluated, as_of, filters)
    if current is None:
        return None
    evaluations[quarter] = current
    return quarter_review(evaluations, quarter)
