"""One date's evaluation, restricted to a slice of the portfolio, and the quarters.

Every view, the report and the briefing start here: the store's inputs as of a date,
evaluated once (metrics.evaluate), then filtered. The quarter loop (a quarter's figures
are those of its latest snapshot, as of that date: docs/metrics.md, Over time) is written
once, in `quarter_evaluations`; callers hand it the per-date evaluation to use (the app
its cached one, the command line a plain one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from domain.settings import Settings
from metrics.evaluate import Evaluation, evaluate
from metrics.trends import quarter_snapshots
from store import Store

# (column, values) pairs: the objective/portfolio/sponsor filters of a view, hashable.
Filters = tuple[tuple[str, tuple[str, ...]], ...]
NO_FILTERS: Filters = ()


@dataclass(frozen=True)
class Evaluated:
    """Collected metric results for one date: what views lay out."""

    as_of: dt.date
    snapshot_as_of: dt.date | None
    settings: Settings
    projects: pl.DataFrame
    benefits: pl.DataFrame

    def evaluation(self, filters: Filters | None = None) -> Evaluation:
        """The lazy evaluation of every project, or of those in the filters (no filter
        selected still restricts benefits to the projects: the views' slice)."""
        whole = Evaluation(self.as_of, self.projects.lazy(), self.benefits.lazy())
        if filters is None:
            return whole
        return whole.filtered(**{column: list(values) for column, values in filters})


# The per-date evaluation a caller uses: evaluated_as_of, or a cached wrapper of it.
Evaluator = Callable[[dt.date | None], Evaluated | None]


def evaluated_as_of(
    store: Store, as_of: dt.date | None, measurements: pl.DataFrame | None = None
) -> Evaluated | None:
    """Every per-project and per-benefit figure as of a date (the latest snapshot when
    None); None when there is no data. `measurements`, the whole series read once, spares
    a read per date when several dates are evaluated."""
    portfolio = store.portfolio_input(as_of, measurements)
    if portfolio is None:
        return None
    settings = store.settings()
    evaluation = evaluate(portfolio, settings)
    projects, benefits = pl.collect_all([evaluation.projects, evaluation.benefits])
    return Evaluated(portfolio.as_of, portfolio.snapshot_as_of, settings, projects, benefits)


def evaluator(store: Store) -> Evaluator:
    """Per-date evaluation for the command line and the bench: the measurement series is
    read once and shared by every date asked for."""
    series = store.measurements(with_source=False)
    return lambda as_of: evaluated_as_of(store, as_of, series)


def snapshot_dates(store: Store) -> list[dt.date]:
    """As-of dates of the active portfolio snapshots, oldest first."""
    return store.portfolio_snapshots().get_column("as_of").to_list()


def snapshot_currencies(store: Store) -> dict[dt.date, str]:
    """The currency of each active portfolio snapshot's amounts, by as-of date (the display
    currency for snapshots that do not record their own)."""
    fallback = store.shown_currency(dt.date.min)  # no snapshot that early: the display one
    frame = store.portfolio_snapshots()
    return {day: code or fallback for day, code in frame.select("as_of", "currency").iter_rows()}


def quarter_dates(store: Store) -> dict[str, dt.date]:
    """Quarter label -> as-of date of the latest snapshot in that quarter, oldest first."""
    frame = quarter_snapshots(store.portfolio_snapshots().lazy()).collect()
    return dict(frame.select("quarter", "as_of").iter_rows())


def filtered_evaluation(
    evaluated: Evaluator, as_of: dt.date | None, filters: Filters
) -> Evaluation | None:
    """The evaluation as of a date of the projects in the filters; None without data."""
    result = evaluated(as_of)
    return None if result is None else result.evaluation(filters)


def quarter_evaluations(
    quarters: Mapping[str, dt.date],
    evaluated: Evaluator,
    filters: Filters = NO_FILTERS,
    before: str | None = None,
) -> dict[str, Evaluation]:
    """Each quarter's evaluation as of its latest snapshot, for the filtered projects,
    oldest first; with `before`, only the quarters before that one."""
    evaluations = {}
    for quarter, as_of in quarters.items():
        if before is not None and quarter >= before:
            break
        evaluation = filtered_evaluation(evaluated, as_of, filters)
        if evaluation is not None:
            evaluations[quarter] = evaluation
    return evaluations


def snapshot_evaluations(dates: list[dt.date], evaluated: Evaluator) -> dict[dt.date, Evaluation]:
    """Every snapshot's evaluation, each as of its own date."""
    evaluations = {}
    for as_of in dates:
        result = evaluated(as_of)
        if result is not None:
            evaluations[as_of] = result.evaluation()
    return evaluations
