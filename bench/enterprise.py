"""An enterprise-scale synthetic portfolio: 10,000 projects, 30,000 benefits,
1,000,000 measurements over 8 quarterly snapshots, and 50,000 Jira issues under the
epics of 2,000 of the projects, generated column-wise (no row loops)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from connectors.demo import QUARTER_ENDS  # the same eight quarters as the demo
from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS
from domain.jira import CHANGE_SCHEMA, DONE, IN_PROGRESS, ISSUE_SCHEMA, TODO, JiraFrames
from domain.snapshot import SnapshotFrames

EPOCH = dt.date(2023, 1, 1)


@dataclass(frozen=True)
class Scale:
    projects: int = 10_000
    benefits_per_project: int = 3
    measurements: int = 1_000_000
    jira_epics: int = 2_000
    jira_children_per_epic: int = 25


def _base_tables(scale: Scale, rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    n = scale.projects
    ids = pl.Series([f"P{i:05d}" for i in range(n)])
    start = rng.integers(0, 1100, n)
    duration = rng.integers(180, 720, n)
    projects = pl.DataFrame(
        {
            "project_id": ids,
            "name": ids.str.replace("P", "Project "),
            "portfolio": pl.Series(rng.integers(0, 20, n))
            .cast(pl.String)
            .str.replace(r"^", "Portfolio "),
            "objective": pl.Series(rng.integers(0, 8, n))
            .cast(pl.String)
            .str.replace(r"^", "Objective "),
            "sponsor": pl.Series(rng.integers(0, 60, n))
            .cast(pl.String)
            .str.replace(r"^", "Sponsor "),
            "owner": pl.Series(rng.integers(0, 400, n)).cast(pl.String).str.replace(r"^", "PM "),
            "_start": start,
            "_end": start + duration,
            "_slip": np.where(rng.random(n) < 0.3, rng.integers(10, 200, n), 0),
            "_cost_factor": np.where(
                rng.random(n) < 0.25, rng.uniform(1.06, 1.5, n), rng.uniform(0.85, 1.04, n)
            ),
            "budget": np.round(rng.lognormal(13.5, 0.9, n), -3),
            "_scope": rng.integers(10, 200, n).astype(float),
            "_cancel": rng.random(n) < 0.03,
            "rag": pl.Series(
                rng.choice(["green", "amber", "red", "amber/green"], n, p=[0.6, 0.25, 0.1, 0.05])
            ),
        }
    )
    m = n * scale.benefits_per_project
    owner_project = np.repeat(np.arange(n), scale.benefits_per_project)
    baseline = np.round(rng.uniform(10, 1000, m), 2)
    direction = np.where(rng.random(m) < 0.3, -1.0, 1.0)
    benefits = pl.DataFrame(
        {
            "benefit_id": pl.Series([f"B{i:06d}" for i in range(m)]),
            "project_id": ids.gather(owner_project),
            "kpi": pl.Series(rng.integers(0, 40, m)).cast(pl.String).str.replace(r"^", "KPI "),
            "unit": pl.Series(rng.choice(["%", "USD", "count", "days"], m)),
            "baseline": baseline,
            "target": np.round(baseline * (1 + direction * rng.uniform(0.1, 0.6, m)), 2),
            "_start_offset": np.where(rng.random(m) < 0.4, rng.integers(-90, 120, m), 0),
            "_project": owner_project,
            "_horizon": rng.integers(180, 540, m),
            "planned_value": np.where(
                rng.random(m) < 0.8, np.round(rng.lognormal(13, 1.0, m), -3), np.nan
            ),
            "owner": pl.Series(rng.integers(0, 800, m)).cast(pl.String).str.replace(r"^", "Owner "),
            "category": pl.Series(
                rng.choice(["revenue", "cost", "risk", "customer", "adoption"], m)
            ),
            "_pace": rng.uniform(0.1, 1.3, m),
            "_measured": rng.random(m) < 0.9,
        }
    ).with_columns(pl.col("planned_value").fill_nan(None))
    return projects, benefits


def generate(scale: Scale = Scale(), seed: int = 7) -> list[tuple[dt.date, SnapshotFrames]]:
    """The 8 quarterly snapshots; each carries the measurements dated in its quarter."""
    rng = np.random.default_rng(seed)
    projects, benefits = _base_tables(scale, rng)
    projects = projects.with_columns(_jira_keys(scale, seed))
    # A benefit starts when its project really ends (baseline plus slip), give or take.
    owner = benefits["_project"].to_numpy()
    project_end = (projects["_end"] + projects["_slip"]).to_numpy()[owner]
    benefits = benefits.with_columns(
        (pl.Series(project_end) + pl.col("_start_offset")).alias("_start_day")
    )
    measurements = _measurements(benefits, scale, rng)
    frames = [
        (as_of, _projects_as_of(projects, (as_of - EPOCH).days), _benefits_as_of(
            benefits, projects, (as_of - EPOCH).days))
        for as_of in QUARTER_ENDS
    ]  # fmt: skip
    # Each measurement travels with the first snapshot that has both its date and its
    # benefit (the store refuses measurements of benefits it does not know yet).
    first_seen = (
        pl.concat(
            [b.select("benefit_id", pl.lit(i).alias("_seen")) for i, (_, _, b) in enumerate(frames)]
        )
        .group_by("benefit_id")
        .agg(pl.col("_seen").min())
    )
    ends = pl.Series("ends", QUARTER_ENDS, dtype=pl.Date)
    quarter_index = ends.search_sorted(measurements.get_column("measured_at"), side="left")
    placed = (
        measurements.with_columns(quarter_index.cast(pl.Int32).alias("_quarter"))
        .join(first_seen, on="benefit_id", how="inner")
        .with_columns(
            pl.max_horizontal("_quarter", pl.col("_seen").cast(pl.Int32)).alias("_snapshot")
        )
    )
    return [
        (
            as_of,
            SnapshotFrames(
                project_frame,
                benefit_frame,
                placed.filter(pl.col("_snapshot") == i).select(MEASUREMENTS.names),
            ),
        )
        for i, (as_of, project_frame, benefit_frame) in enumerate(frames)
    ]


def _date(days: pl.Expr) -> pl.Expr:
    return pl.lit(EPOCH) + pl.duration(days=days)


def _projects_as_of(projects: pl.DataFrame, a: int) -> pl.DataFrame:
    registered = pl.col("_start") - 60 <= a
    delivered = pl.col("_end") + pl.col("_slip") <= a
    progress = (
        (a - pl.col("_start")) / (pl.col("_end") + pl.col("_slip") - pl.col("_start"))
    ).clip(0, 1)
    status = (
        pl.when(pl.col("_cancel") & (pl.col("_start") + 120 <= a))
        .then(pl.lit("cancelled"))
        .when(a < pl.col("_start"))
        .then(pl.lit("proposed"))
        .when(delivered)
        .then(pl.lit("delivered"))
        .otherwise(pl.lit("active"))
    )
    active = pl.col("status") == "active"
    admitted_slip = (pl.col("_slip") * (0.4 + pl.col("_progress"))).cast(pl.Int64)
    spend_rate = pl.col("budget") * pl.col("_cost_factor")
    return (
        projects.lazy()
        .filter(registered)
        .with_columns(status.alias("status"), progress.alias("_progress"))
        .with_columns(
            _date(pl.col("_start")).alias("start_date"),
            _date(pl.col("_end")).alias("baseline_end"),
            pl.when(active).then(_date(pl.col("_end") + admitted_slip)).alias("forecast_end"),
            pl.when(pl.col("status") == "delivered")
            .then(_date(pl.col("_end") + pl.col("_slip")))
            .alias("actual_end"),
            (spend_rate * pl.col("_progress")).round(0).alias("actual_cost"),
            pl.when(active).then(spend_rate.round(0)).alias("forecast_cost"),
            pl.col("_scope").alias("scope_planned"),
            (pl.col("_scope") * pl.col("_progress")).round(0).alias("scope_delivered"),
            pl.col("_jira_key").alias("jira_key"),
        )
        .select([pl.col(c.name).cast(c.dtype) for c in PROJECTS.columns])
        .collect()
    )


def _benefits_as_of(benefits: pl.DataFrame, projects: pl.DataFrame, a: int) -> pl.DataFrame:
    registered = projects.lazy().filter(pl.col("_start") - 60 <= a).select("project_id")
    return (
        benefits.lazy()
        .join(registered, on="project_id", how="semi")
        .with_columns(
            pl.when(pl.col("_start_offset") != 0)
            .then(_date(pl.col("_start_day")))
            .alias("start_date"),
            _date(pl.col("_start_day") + pl.col("_horizon")).alias("target_date"),
        )
        .select([pl.col(c.name).cast(c.dtype) for c in BENEFITS.columns])
        .collect()
    )


def _measurements(benefits: pl.DataFrame, scale: Scale, rng: np.random.Generator) -> pl.DataFrame:
    """Readings every 30 days back from the last quarter end, exactly `scale.measurements`."""
    last = (QUARTER_ENDS[-1] - EPOCH).days
    measured = benefits.filter(pl.col("_measured"))
    per_benefit = -(-scale.measurements // max(measured.height, 1))
    k = np.arange(per_benefit)
    days = (last - 30 * k[None, :] - rng.integers(0, 30, measured.height)[:, None]).ravel()
    idx = np.repeat(np.arange(measured.height), per_benefit)
    days, idx = days[: scale.measurements], idx[: scale.measurements]
    baseline = measured["baseline"].to_numpy()[idx]
    target = measured["target"].to_numpy()[idx]
    horizon = measured["_horizon"].to_numpy()[idx]
    expected = np.clip((days - measured["_start_day"].to_numpy()[idx]) / horizon, 0, 1)
    attainment = expected * measured["_pace"].to_numpy()[idx] + rng.normal(0, 0.03, idx.size)
    frame = pl.DataFrame(
        {
            "benefit_id": measured["benefit_id"].gather(idx),
            "_day": days,
            "value": np.round(baseline + (target - baseline) * attainment, 3),
            "source": "synthetic",
        }
    )
    return frame.with_columns(_date(pl.col("_day")).alias("measured_at")).select(
        [pl.col(c.name).cast(c.dtype) for c in MEASUREMENTS.columns]
    )


# Jira ----------------------------------------------------------------------------------
JIRA_NOW = dt.datetime.combine(QUARTER_ENDS[-1], dt.time(18))  # the last sync


def _jira_keys(scale: Scale, seed: int) -> pl.Series:
    """`scale.jira_epics` projects track their work in an epic named after them (its own
    random stream, so the rest of the portfolio is the same with or without Jira)."""
    rng = np.random.default_rng(seed + 1)
    linked = np.zeros(scale.projects, dtype=bool)
    linked[rng.choice(scale.projects, min(scale.jira_epics, scale.projects), replace=False)] = True
    keys = pl.Series([f"ENT-{i}" for i in range(scale.projects)])
    return pl.select(pl.when(pl.Series(linked)).then(keys).alias("_jira_key")).to_series()


def jira_frames(scale: Scale = Scale(), seed: int = 7) -> JiraFrames:
    """The epics' children, as a sync of the last quarter end would store them: created
    around the project's start, done along its real span (some teams run at half the
    planned pace), each moved To Do -> In Progress -> Done; work not done by then is open.
    """
    rng = np.random.default_rng(seed + 2)
    projects, _ = _base_tables(scale, np.random.default_rng(seed))
    epics = projects.with_columns(_jira_keys(scale, seed)).filter(pl.col("_jira_key").is_not_null())
    per = scale.jira_children_per_epic
    n = epics.height * per
    epic = np.repeat(np.arange(epics.height), per)
    rank = np.tile(np.arange(per), epics.height)
    start = epics["_start"].to_numpy()[epic].astype(float)
    span = (epics["_end"] + epics["_slip"] - epics["_start"]).to_numpy()[epic].astype(float)
    pace = rng.uniform(0.5, 1.2, epics.height)[epic]
    added_later = rng.random(n) < 0.2
    created = np.where(
        added_later, start + 1 + rng.uniform(0, 0.7, n) * span, start - rng.uniform(0, 20, n)
    )
    done = np.maximum(start + ((rank + 0.5) / per) ** 1.15 * span / pace, created + 3)
    started = np.maximum(done - rng.uniform(2, 21, n), created + 1)
    hours = rng.uniform(8, 18, n) / 24

    def moment(days: np.ndarray) -> pl.Series:
        return pl.Series(
            np.datetime64(EPOCH, "us") + ((days + hours) * 86_400e6).astype("timedelta64[us]")
        ).cast(pl.Datetime("us"))

    now = JIRA_NOW
    frame = pl.DataFrame(
        {
            "issue_id": pl.Series(np.arange(n) + 1_000_000).cast(pl.String),
            "issue_key": pl.Series(np.arange(n) + 1).cast(pl.String).str.replace(r"^", "WORK-"),
            "epic": epics["_jira_key"].gather(epic),
            "created": moment(created),
            "started": moment(started),
            "done": moment(done),
        }
    ).filter(pl.col("created") <= now)
    category = (
        pl.when(pl.col("done") <= now)
        .then(pl.lit(DONE))
        .when(pl.col("started") <= now)
        .then(pl.lit(IN_PROGRESS))
        .otherwise(pl.lit(TODO))
    )
    names = {TODO: "To Do", IN_PROGRESS: "In Progress", DONE: "Done"}
    issues = frame.with_columns(category.alias("status_category")).select(
        "issue_id",
        "issue_key",
        pl.lit("WORK").alias("project_key"),
        pl.lit("Story").alias("issue_type"),
        pl.format("Work item {}", pl.col("issue_key")).alias("summary"),
        pl.col("status_category").replace_strict(names).alias("status"),
        "status_category",
        "created",
        pl.min_horizontal("done", pl.lit(now)).alias("updated"),
        pl.when(pl.col("status_category") == DONE).then(pl.col("done")).alias("resolution_date"),
        pl.lit(None, pl.Float64).alias("story_points"),
        pl.col("epic").alias("parent_key"),
        pl.lit(None, pl.String).alias("epic_key"),
    )
    moves = pl.concat(
        [
            frame.select("issue_id", pl.col("started").alias("changed_at"),
                         pl.lit(TODO).alias("from_category"),
                         pl.lit(IN_PROGRESS).alias("to_category")),
            frame.select("issue_id", pl.col("done").alias("changed_at"),
                         pl.lit(IN_PROGRESS).alias("from_category"),
                         pl.lit(DONE).alias("to_category")),
        ]
    ).filter(pl.col("changed_at") <= now)  # fmt: skip
    changes = moves.select(
        "issue_id",
        "changed_at",
        pl.col("from_category").replace_strict(names).alias("from_status"),
        pl.col("to_category").replace_strict(names).alias("to_status"),
        "from_category",
        "to_category",
    ).sort("issue_id", "changed_at")
    return JiraFrames(
        issues.cast(dict(ISSUE_SCHEMA)).select(ISSUE_SCHEMA.names()),
        changes.cast(dict(CHANGE_SCHEMA)).select(CHANGE_SCHEMA.names()),
    )
