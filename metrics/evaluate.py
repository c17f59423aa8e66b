"""Every per-project and per-benefit figure of docs/metrics.md for one portfolio as of A."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from domain.inputs import PortfolioInput
from domain.settings import Settings
from metrics.benefit_forecast import benefit_forecast
from metrics.delivery_forecast import delivery_forecast
from metrics.gap import project_gap
from metrics.jira import with_jira_as_of
from metrics.outcomes import benefit_outcomes, project_outcomes
from metrics.outputs import project_outputs
from metrics.portfolio import portfolio_figures


@dataclass(frozen=True)
class Evaluation:
    """Lazy frames of evaluated projects and benefits for one date A."""

    as_of: dt.date
    projects: pl.LazyFrame
    benefits: pl.LazyFrame

    def portfolio(self, by: str | None = None) -> pl.LazyFrame:
        return portfolio_figures(self.projects, self.benefits, self.as_of, by)

    def collected(self) -> Evaluation:
        """The same evaluation with projects and benefits computed once, so that several
        figures derived from them (portfolio, groups, tables) do not each recompute them."""
        projects, benefits = pl.collect_all([self.projects, self.benefits])
        return Evaluation(self.as_of, projects.lazy(), benefits.lazy())

    def filtered(self, **equals: list[str] | None) -> Evaluation:
        """Restrict to projects whose objective/portfolio/sponsor is among the given values."""
        condition = pl.lit(True)
        for column, values in equals.items():
            if values:
                condition = condition & pl.col(column).is_in(values)
        projects = self.projects.filter(condition)
        benefits = self.benefits.join(projects.select("project_id"), on="project_id", how="semi")
        return Evaluation(self.as_of, projects, benefits)


def evaluate(portfolio: PortfolioInput, settings: Settings) -> Evaluation:
    """Compute outputs, outcomes, the gap and the forecasts for every project and benefit
    as of A."""
    portfolio = with_jira_as_of(portfolio)
    a = portfolio.as_of
    outputs = delivery_forecast(
        project_outputs(portfolio.projects, a, settings, portfolio.jira_scope),
        portfolio.jira_children,
        a,
        settings,
    )
    # read by the projects' outcome figures and twice by the benefit forecast: computed once
    outcomes = benefit_outcomes(
        portfolio.benefits, portfolio.projects, portfolio.measurements, a, settings
    ).cache()
    benefits = benefit_forecast(outcomes, portfolio.measurements, a, settings)
    # a project's outcome figures need no trend: its plan stays free of the benefit forecast
    projects = project_gap(outputs, project_outcomes(outcomes, settings))
    return Evaluation(a, projects, benefits)
