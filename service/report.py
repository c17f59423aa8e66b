"""What the command line reports: every figure as of a date (JSON or tables) and the
quarterly review a briefing draws. The same evaluation and quarter loop as the app's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from metrics.evaluate import Evaluation
from metrics.report import benefits_table, build_report, portfolio_table, projects_table
from metrics.review import QuarterReview, quarter_review
from service.evaluated import evaluated_as_of, evaluator, quarter_dates, quarter_evaluations
from store import Store


@dataclass(frozen=True)
class Report:
    """Every figure as of a date: the evaluation, its snapshot and the currency of its amounts."""

    evaluation: Evaluation
    snapshot_as_of: dt.date | None
    currency: str

    def as_json(self) -> dict[str, object]:
        """The JSON report (docs/metrics.md's figures), with the currency its amounts are in."""
        report = build_report(self.evaluation, self.snapshot_as_of)
        report["currency"] = self.currency
        return report

    def tables(self) -> dict[str, Callable[[], pl.DataFrame]]:
        """The CSV tables by name, each built when asked for."""
        return {
            "projects": lambda: projects_table(self.evaluation),
            "benefits": lambda: benefits_table(self.evaluation),
            "portfolio": lambda: portfolio_table(self.evaluation, self.snapshot_as_of),
        }


def report_as_of(store: Store, as_of: dt.date | None) -> Report | None:
    """Every figure as of a date (the latest snapshot when None); None without a snapshot."""
    result = evaluated_as_of(store, as_of)
    if result is None:
        return None
    currency = store.shown_currency(result.snapshot_as_of)
    return Report(result.evaluation(), result.snapshot_as_of, currency)


@dataclass(frozen=True)
class Briefed:
    """The quarters with data, and the review of the one asked for (None: not among them)."""

    quarters: list[str]
    quarter: str | None
    review: QuarterReview | None
    currency: str | None


def briefing_review(store: Store, quarter: str | None) -> Briefed:
    """The review of `quarter` (default: the latest with data) against the quarters before
    it, every quarter as of its latest snapshot, the whole portfolio."""
    dates = quarter_dates(store)
    evaluations = quarter_evaluations(dates, evaluator(store))
    quarters = list(evaluations)
    chosen = quarter or (quarters[-1] if quarters else None)
    if chosen is None or chosen not in evaluations:
        return Briefed(quarters, chosen, None, None)
    currency = store.shown_currency(evaluations[chosen].as_of)
    return Briefed(quarters, chosen, quarter_review(evaluations, chosen), currency)
