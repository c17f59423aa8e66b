"""The decisions a quarterly review should take, derived from the figures by fixed rules.

The rules (shown to users on the review page):

1. **Rescue or stop**: every project in the quadrant `rescue_or_stop` (off plan and not
   realizing its value). Trigger: what is off plan and how far value trails.
2. **Re-examine the benefit case**: every watermelon (on plan, value missing). Trigger:
   value attained against value expected by now.
3. **Re-baseline**: every active project whose forecast end moved later in two or more
   quarters of the history, or whose reported date the delivery forecast makes improbable.
   Trigger: how many times, and how far past the baseline it is now; or the chance of the
   reported date and the date it makes with an even chance (P50).
4. **Status review**: every RAG mismatch (reports green or amber/green while delivery or
   value is off, or while the delivery forecast makes its date improbable). Trigger: the
   reported status against the figures.
5. **Assign a measurement owner**: every due benefit that is unmeasured (never measured, or
   its last measurement is stale). Trigger: when it was last measured; the owner if any.
6. **Intervene early**: every benefit on track today whose measured trend heads for a miss
   (an early warning). Trigger: where the trend leads by the target date, the money short;
   the owner if any.

Cancelled projects take no decision. Decisions are ordered by rule, then by the money at
stake: the project's value at risk (or the benefit's planned value for measurement), else
its budget.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from domain.contract import GREENISH_RAG
from domain.formats import date_expr, money_expr, whole_expr
from metrics.delivery_forecast import improbable_date_reason
from metrics.evaluate import Evaluation

ACTIONS: dict[str, str] = {
    "rescue_or_stop": "Rescue or stop",
    "reexamine_benefits": "Re-examine the benefit case",
    "rebaseline": "Re-baseline",
    "status_review": "Status review",
    "assign_measurement": "Assign a measurement owner",
    "intervene_early": "Intervene early",
}
RULE_ORDER = {kind: i for i, kind in enumerate(ACTIONS)}
DECISION_SCHEMA = pl.Schema(
    {
        "decision": pl.String(),
        "action": pl.String(),
        "project_id": pl.String(),
        "name": pl.String(),
        "sponsor": pl.String(),
        "objective": pl.String(),
        "benefit_id": pl.String(),
        "owner": pl.String(),
        "trigger": pl.String(),
        "at_stake": pl.Float64(),
    }
)


def _pct(share: pl.Expr) -> pl.Expr:
    return whole_expr(share * 100)


def _value_line() -> pl.Expr:
    return pl.format(
        "{}% of the value attained against {}% expected by now",
        _pct(pl.col("outcome_score")),
        _pct(pl.col("expected_score")),
    )


def _delivery_line() -> pl.Expr:
    parts = [
        pl.when(pl.col("on_time").eq(False)).then(pl.format("{} days late", pl.col("slip_days"))),
        pl.when(pl.col("on_budget").eq(False)).then(
            pl.format("{}% over budget", _pct(pl.col("cost_variance")))
        ),
        pl.when(pl.col("on_scope").eq(False)).then(
            pl.format("{}% of scope done", _pct(pl.col("completion")))
        ),
    ]
    return pl.concat_str(parts, separator=", ", ignore_nulls=True)


def _project_decisions(projects: pl.LazyFrame, benefits: pl.LazyFrame) -> pl.LazyFrame:
    risk = benefits.group_by("project_id").agg(pl.col("value_at_risk").sum().alias("_risk"))
    stake = pl.when(pl.col("_risk") > 0).then(pl.col("_risk")).otherwise(pl.col("budget"))
    live = projects.filter(~pl.col("cancelled")).join(risk, on="project_id", how="left")
    delivery = _delivery_line()
    status_trigger = pl.format(
        "reports {} while {}",
        pl.col("rag"),
        pl.concat_str(
            [
                pl.when(pl.col("delivery_ok").eq(False)).then(
                    pl.format("delivery is off plan ({})", delivery)
                ),
                pl.when(pl.col("outcome_ok").eq(False)).then(
                    pl.format("value trails: {}", _value_line())
                ),
                pl.format("the delivery forecast gives it a {}", improbable_date_reason()),
            ],
            separator="; ",
            ignore_nulls=True,
        ),
    )
    rules = [
        (
            "rescue_or_stop",
            pl.col("quadrant") == "rescue_or_stop",
            pl.format("{}; {}", delivery, _value_line()),
        ),
        (
            "reexamine_benefits",
            pl.col("quadrant") == "watermelon",
            pl.format("on plan, but {}", _value_line()),
        ),
        (
            "status_review",
            pl.col("rag_mismatch") & pl.col("rag").is_in(GREENISH_RAG),
            status_trigger,
        ),
    ]
    frames = [
        live.filter(condition).select(
            pl.lit(kind).alias("decision"),
            "project_id",
            "name",
            "sponsor",
            "objective",
            pl.lit(None, pl.String).alias("benefit_id"),
            pl.col("owner"),
            trigger.alias("trigger"),
            stake.cast(pl.Float64).alias("at_stake"),
        )
        for kind, condition, trigger in rules
    ]
    return pl.concat(frames, how="vertical_relaxed")


def _live(projects: pl.LazyFrame) -> pl.LazyFrame:
    """What a benefit's decision names of its project, for projects not cancelled."""
    return projects.filter(~pl.col("cancelled")).select(
        "project_id", "name", "sponsor", "objective"
    )


def _measurement_decisions(projects: pl.LazyFrame, benefits: pl.LazyFrame) -> pl.LazyFrame:
    live = _live(projects)
    last_seen = (
        pl.when(pl.col("measured_at").is_null())
        .then(pl.lit("never measured"))
        .otherwise(pl.format("last measured {} (stale)", date_expr(pl.col("measured_at"))))
    )
    return (
        benefits.filter(pl.col("due") & (pl.col("status") == "unmeasured"))
        .join(live, on="project_id", how="inner")
        .select(
            pl.lit("assign_measurement").alias("decision"),
            "project_id",
            "name",
            "sponsor",
            "objective",
            "benefit_id",
            "owner",
            pl.format("{}: {}; {}", pl.col("kpi"), last_seen, _owner_line()).alias("trigger"),
            pl.col("planned_value").cast(pl.Float64).alias("at_stake"),
        )
    )


def _owner_line() -> pl.Expr:
    return (
        pl.when(pl.col("owner").is_null())
        .then(pl.lit("no owner"))
        .otherwise(pl.format("owner {}", pl.col("owner")))
    )


def _early_decisions(projects: pl.LazyFrame, benefits: pl.LazyFrame) -> pl.LazyFrame:
    """Benefits on track today whose trend heads for a miss: act while there is time."""
    live = _live(projects)
    short = pl.when(pl.col("forecast_shortfall") > 0).then(
        pl.format(", {} short", money_expr(pl.col("forecast_shortfall")))
    )
    trigger = pl.concat_str(
        [
            pl.format(
                "{}: on track today, but its trend leads to {}% of target by {}",
                pl.col("kpi"),
                _pct(pl.col("forecast_attainment")),
                date_expr(pl.col("target_date")),
            ),
            short,
            pl.lit("; "),
            _owner_line(),
        ],
        ignore_nulls=True,
    )
    return (
        benefits.filter(pl.col("early_warning").fill_null(False))
        .join(live, on="project_id", how="inner")
        .select(
            pl.lit("intervene_early").alias("decision"),
            "project_id",
            "name",
            "sponsor",
            "objective",
            "benefit_id",
            "owner",
            trigger.alias("trigger"),
            pl.col("forecast_shortfall").cast(pl.Float64).alias("at_stake"),
        )
    )


def _improbable_decisions(projects: pl.LazyFrame) -> pl.LazyFrame:
    """Active projects whose reported date the delivery forecast makes improbable: the date
    should be re-set to one the team's own pace can make."""
    return projects.filter(
        ~pl.col("cancelled") & pl.col("forecast_improbable").fill_null(False)
    ).select(
        pl.lit("rebaseline").alias("decision"),
        "project_id",
        "name",
        "sponsor",
        "objective",
        pl.lit(None, pl.String).alias("benefit_id"),
        "owner",
        pl.format(
            "the delivery forecast gives it a {}; an even chance only by {}",
            improbable_date_reason(),
            date_expr(pl.col("finish_p50"), "beyond ten years"),
        ).alias("trigger"),
        pl.col("budget").cast(pl.Float64).alias("at_stake"),
    )


def _rebaseline_decisions(projects: pl.LazyFrame, history: pl.LazyFrame) -> pl.LazyFrame:
    """Projects whose forecast end moved later in two or more quarters of `history`
    (columns project_id, as_of, end_at: the expected end as of each quarter)."""
    slips = (
        history.sort("project_id", "as_of")
        .with_columns(
            (pl.col("end_at") > pl.col("end_at").shift(1).over("project_id")).alias("_slipped")
        )
        .group_by("project_id")
        .agg(pl.col("_slipped").sum().alias("_times"))
        .filter(pl.col("_times") >= 2)
    )
    return (
        projects.filter((pl.col("status") == "active") | (pl.col("status") == "on_hold"))
        .join(slips, on="project_id", how="inner")
        .select(
            pl.lit("rebaseline").alias("decision"),
            "project_id",
            "name",
            "sponsor",
            "objective",
            pl.lit(None, pl.String).alias("benefit_id"),
            "owner",
            pl.format(
                "forecast end moved later in {} quarters; now {}, {} days past the baseline",
                pl.col("_times"),
                date_expr(pl.col("end_at")),
                pl.col("slip_days"),
            ).alias("trigger"),
            pl.col("budget").cast(pl.Float64).alias("at_stake"),
        )
    )


def decisions(
    projects: pl.LazyFrame, benefits: pl.LazyFrame, history: pl.LazyFrame | None = None
) -> pl.LazyFrame:
    """Every decision the rules above derive from one evaluation (and its quarter history)."""
    parts = [_project_decisions(projects, benefits), _measurement_decisions(projects, benefits)]
    if history is not None:
        parts.append(_rebaseline_decisions(projects, history))
    # after the history's re-baseline: a project both rules name is listed once, for its history
    parts += [_improbable_decisions(projects), _early_decisions(projects, benefits)]
    order = pl.DataFrame(
        {"decision": list(ACTIONS), "action": list(ACTIONS.values()), "_rule": range(len(ACTIONS))}
    ).lazy()
    measured_by_owner = (pl.col("decision") == "assign_measurement") & pl.col("owner").is_not_null()
    return (
        pl.concat(parts, how="vertical_relaxed")
        .unique(["decision", "project_id", "benefit_id"], keep="first", maintain_order=True)
        .join(order, on="decision", how="left")
        .with_columns(
            pl.when(measured_by_owner)
            .then(pl.lit("Get a current measurement"))
            .otherwise(pl.col("action"))
            .alias("action")
        )
        .sort("_rule", "at_stake", "name", descending=[False, True, False], nulls_last=True)
        .select(DECISION_SCHEMA.names())
        .cast(dict(DECISION_SCHEMA))
    )


def forecast_history(evaluations: Iterable[Evaluation]) -> pl.LazyFrame:
    """The expected end of every project as of each evaluation (project_id, as_of, end_at):
    the history that the re-baseline rule reads."""
    return pl.concat(
        [
            e.projects.select("project_id", pl.lit(e.as_of).alias("as_of"), "end_at")
            for e in evaluations
        ],
        how="vertical",
    )


def top_decisions(frame: pl.LazyFrame, count: int = 3) -> pl.LazyFrame:
    """The decisions that matter most: the largest money at stake under each rule, taken in
    the rules' order (rescue, benefit case, measurement, re-baseline, status), one per project."""
    priority = ["rescue_or_stop", "reexamine_benefits", "assign_measurement", "rebaseline",
                "status_review", "intervene_early"]  # fmt: skip
    order = pl.DataFrame({"decision": priority, "_priority": range(len(priority))}).lazy()
    return (
        frame.join(order, on="decision", how="inner")
        .sort("_priority", "at_stake", descending=[False, True], nulls_last=True)
        .unique(subset=["decision"], keep="first", maintain_order=True)
        .unique(subset=["project_id"], keep="first", maintain_order=True)
        .head(count)
        .drop("_priority")
    )


# A board's agenda: more decisions than this are not taken in one sitting.
AGENDA = 7


def agenda(frame: pl.LazyFrame, count: int = AGENDA) -> pl.LazyFrame:
    """The decisions a review leads with: the `count` with the most money at stake, whatever
    their rule (ties in the rules' order, as listed), one per project (its first, by rule:
    a project's second decision would repeat its amount); the others stay a click away."""
    return (
        frame.sort("at_stake", descending=True, nulls_last=True, maintain_order=True)
        .unique(subset=["project_id"], keep="first", maintain_order=True)
        .head(count)
    )
