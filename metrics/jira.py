"""Scope and flow from Jira (docs/metrics.md, "From Jira"), as of a date A, from the changelog.

A project's `jira_key` names an epic or other parent; its direct children (by parent
or epic link) are the project's work items. Everything here is a pure function of
lazy frames in domain.jira's schemas; timestamps are UTC and "on or before A" means
before the end of day A.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl

from domain.inputs import PortfolioInput
from domain.jira import DONE, IN_PROGRESS

WINDOW_WEEKS = 12
DAY_SECONDS = 86_400.0

SCOPE_SCHEMA = pl.Schema(
    {
        "jira_key": pl.String(),
        "jira_scope_planned": pl.Float64(),
        "jira_scope_delivered": pl.Float64(),
        "jira_scope_unit": pl.String(),
        "jira_children": pl.UInt32(),
    }
)


def end_of(as_of: dt.date) -> dt.datetime:
    """The first instant after day A: everything strictly before it is "on or before A"."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())


def child_states(children: pl.LazyFrame, changes: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """Each child created on or before A, with when it was done and first started, as of A.

    The status category as of A is the target of the last change on or before A (before
    any change: the source of the first one). `done_at` is the last move into `done`
    when the child is done as of A; children with no status history fall back on their
    resolution date. `started_at` is the first move into the in-progress category.
    """
    cutoff = pl.lit(end_of(as_of))
    before = pl.col("changed_at") < cutoff
    history = (
        changes.sort("issue_id", "changed_at")
        .group_by("issue_id")
        .agg(
            pl.len().alias("n_changes"),
            pl.col("from_category").first().alias("first_from"),
            before.sum().alias("n_before"),
            pl.col("to_category").filter(before).last().alias("last_to"),
            pl.col("changed_at")
            .filter(
                before
                & (pl.col("to_category") == DONE)
                & (pl.col("from_category").fill_null("") != DONE)
            )
            .max()
            .alias("done_entry"),
            pl.col("changed_at")
            .filter(before & (pl.col("to_category") == IN_PROGRESS))
            .min()
            .alias("started_at"),
        )
    )
    resolved = pl.when(pl.col("resolution_date") < cutoff).then(pl.col("resolution_date"))
    category_at = (
        pl.when(pl.col("n_before") > 0).then(pl.col("last_to")).otherwise(pl.col("first_from"))
    )
    with_history = pl.when(category_at == DONE).then(
        pl.coalesce(pl.col("done_entry"), resolved, pl.col("created"))
    )
    without_history = pl.coalesce(
        pl.col("resolution_date"),
        pl.when(pl.col("status_category") == DONE).then(pl.col("created")),
    )
    done_at = (
        pl.when(pl.col("n_changes").fill_null(0) > 0).then(with_history).otherwise(without_history)
    )
    return (
        children.filter(pl.col("created") < cutoff)
        .join(history, on="issue_id", how="left")
        .with_columns(done_at.alias("done_at"))
        .with_columns(
            pl.when(pl.col("done_at") < cutoff).then(pl.col("done_at")).alias("done_at"),
        )
        .select("jira_key", "issue_id", "created", "story_points", "done_at", "started_at")
    )


def _all_pointed() -> pl.Expr:
    return pl.col("story_points").is_not_null().all()


EVERY = pl.col("issue_id").is_not_null()


def _measure(mask: pl.Expr) -> pl.Expr:
    """Story points of the children where every child has them, else a count (of the
    children for which `mask` holds)."""
    return (
        pl.when(_all_pointed())
        .then(pl.col("story_points").filter(mask).sum())
        .otherwise(mask.sum())
        .cast(pl.Float64)
    )


def _scope(prefix: str = "") -> list[pl.Expr]:
    """Per group: scope planned and delivered as of A, in points where every child has
    them, else in issues, and which of the two it is."""
    return [
        _measure(EVERY).alias(f"{prefix}scope_planned"),
        _measure(pl.col("done_at").is_not_null()).alias(f"{prefix}scope_delivered"),
        pl.when(_all_pointed())
        .then(pl.lit("points"))
        .otherwise(pl.lit("issues"))
        .alias(f"{prefix}scope_unit"),
    ]


def jira_scope(children: pl.LazyFrame, changes: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """One row per jira_key: scope planned and delivered as of A (PortfolioInput.jira_scope)."""
    return scope_by_key(child_states(children, changes, as_of))


def scope_by_key(states: pl.LazyFrame) -> pl.LazyFrame:
    """jira_scope from children already resolved as of A (child_states)."""
    return (
        states.group_by("jira_key")
        .agg(*_scope("jira_"), pl.len().alias("jira_children"))
        .select(SCOPE_SCHEMA.names())
        .sort("jira_key")
    )


def project_flow(
    projects: pl.LazyFrame,
    children: pl.LazyFrame,
    changes: pl.LazyFrame,
    as_of: dt.date,
    weeks: int = WINDOW_WEEKS,
) -> pl.LazyFrame:
    """Flow per Jira-linked project as of A: throughput, cycle time, scope added.

    - `done_last_weeks`: children done in the `weeks` weeks up to A;
      `throughput_per_week` that count divided by `weeks`.
    - `cycle_time_p50_days`, `cycle_time_p85_days`: days from the first move into the
      in-progress category to done, over every child done as of A that was started
      (linear interpolation); `cycle_time_n` how many children that is.
    - `scope_added`: children created after the project's `start_date` (in the scope's
      unit: points where every child has them, else issues).
    `projects` needs project_id, jira_key and start_date; projects without a jira_key
    are left out, those whose key has no child in the store get nulls.
    """
    cutoff = end_of(as_of)
    window_start = cutoff - dt.timedelta(weeks=weeks)
    linked = projects.select("project_id", "jira_key", "start_date").filter(
        pl.col("jira_key").is_not_null()
    )
    cycle = (pl.col("done_at") - pl.col("started_at")).dt.total_seconds() / DAY_SECONDS
    cycle = pl.when(pl.col("started_at") <= pl.col("done_at")).then(cycle)
    added = pl.col("created").dt.date() > pl.col("start_date")
    flow = (
        child_states(children, changes, as_of)
        .join(linked, on="jira_key", how="inner")
        .with_columns(cycle.alias("cycle_days"))
        .group_by("project_id")
        .agg(
            *_scope(),
            pl.when(pl.col("start_date").first().is_null())
            .then(None)
            .otherwise(_measure(added.fill_null(False)))
            .alias("scope_added"),
            (pl.col("done_at") >= pl.lit(window_start)).sum().alias("done_last_weeks"),
            pl.col("cycle_days").quantile(0.5, interpolation="linear").alias("cycle_time_p50_days"),
            pl.col("cycle_days")
            .quantile(0.85, interpolation="linear")
            .alias("cycle_time_p85_days"),
            pl.col("cycle_days").count().alias("cycle_time_n"),
        )
        .with_columns((pl.col("done_last_weeks") / weeks).alias("throughput_per_week"))
    )
    return (
        linked.join(flow, on="project_id", how="left")
        .select(
            "project_id",
            "jira_key",
            "scope_planned",
            "scope_delivered",
            "scope_unit",
            "scope_added",
            "done_last_weeks",
            "throughput_per_week",
            "cycle_time_p50_days",
            "cycle_time_p85_days",
            "cycle_time_n",
        )
        .sort("project_id")
    )


def week_before(as_of: dt.date) -> pl.Expr:
    """0 for a child done in the week ending on A (the days A-6 .. A), 1 for the week
    before, and so on; null when not done. By calendar day, so a child done at midnight
    counts in the week of its date."""
    return ((pl.lit(as_of) - pl.col("done_at").dt.date()).dt.total_days() // 7).cast(pl.Int64)


def weekly_throughput(
    projects: pl.LazyFrame,
    children: pl.LazyFrame,
    changes: pl.LazyFrame,
    as_of: dt.date,
    weeks: int = WINDOW_WEEKS,
) -> pl.LazyFrame:
    """Children done per week for each Jira-linked project, the `weeks` weeks up to A.

    Week 0 ends on A (`week_end`), week 1 seven days earlier, and so on; weeks with
    nothing done are there with 0, so a chart shows the gaps.
    """
    linked = projects.select("project_id", "jira_key").filter(pl.col("jira_key").is_not_null())
    done = (
        child_states(children, changes, as_of)
        .filter(pl.col("done_at").is_not_null())
        .join(linked, on="jira_key", how="inner")
        .with_columns(week_before(as_of).alias("week"))
        .filter(pl.col("week") < weeks)
        .group_by("project_id", "week")
        .agg(pl.len().cast(pl.Int64).alias("done"))
    )
    grid = pl.LazyFrame({"week": list(range(weeks))}, schema={"week": pl.Int64})
    return (
        linked.select("project_id")
        .unique()
        .join(grid, how="cross")
        .join(done, on=["project_id", "week"], how="left")
        .with_columns(
            pl.col("done").fill_null(0),
            (pl.lit(as_of) - pl.duration(days=pl.col("week") * 7)).alias("week_end"),
        )
        .select("project_id", "week_end", "done")
        .sort("project_id", "week_end")
    )


def children_as_of(children: pl.LazyFrame, changes: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """Each child issue created on or before A with its state as of A: `done` when done by
    A, `in_progress` when started but not done, else `to_do` (from the changelog, as the
    scope and flow figures are)."""
    states = child_states(children, changes, as_of)
    state = (
        pl.when(pl.col("done_at").is_not_null())
        .then(pl.lit("done"))
        .when(pl.col("started_at").is_not_null())
        .then(pl.lit("in_progress"))
        .otherwise(pl.lit("to_do"))
    )
    return (
        children.select("issue_id", "issue_key", "issue_type", "summary")
        .join(states, on="issue_id", how="inner")
        .with_columns(state.alias("state_as_of"))
        .select(
            "jira_key",
            "issue_key",
            "issue_type",
            "summary",
            "story_points",
            "created",
            "started_at",
            "done_at",
            "state_as_of",
        )
        .sort("state_as_of", "done_at", "created", descending=[False, True, False], nulls_last=True)
    )


def with_jira_as_of(portfolio: PortfolioInput) -> PortfolioInput:
    """The portfolio with its Jira children and scope resolved as of A, from the issues and
    changes the store read (nothing to do when they are resolved already or absent)."""
    if portfolio.jira_children is not None or portfolio.jira_issues is None:
        return portfolio
    changes = portfolio.jira_changes
    if changes is None:
        return portfolio
    children = child_states(portfolio.jira_issues, changes, portfolio.as_of)
    return replace(portfolio, jira_scope=scope_by_key(children), jira_children=children)
