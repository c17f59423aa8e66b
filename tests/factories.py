"""Small builders for contract frames: give the columns a test cares about, null the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS, Table
from domain.inputs import PortfolioInput
from domain.snapshot import SnapshotFrames


def frame(table: Table, rows: list[dict[str, Any]]) -> pl.DataFrame:
    unknown = {k for row in rows for k in row} - set(table.names)
    if unknown:
        raise KeyError(f"not {table.name} columns: {sorted(unknown)}")
    return pl.DataFrame([{c: row.get(c) for c in table.names} for row in rows], schema=table.schema)


def project(project_id: str, **values: Any) -> dict[str, Any]:
    row = {"project_id": project_id, "name": f"Project {project_id}", "status": "active"}
    row.update(values)
    return row


def benefit(benefit_id: str, project_id: str, **values: Any) -> dict[str, Any]:
    row = {
        "benefit_id": benefit_id,
        "project_id": project_id,
        "kpi": f"KPI {benefit_id}",
        "baseline": 0.0,
        "target": 100.0,
    }
    row.update(values)
    return row


def measurement(
    benefit_id: str, measured_at: dt.date, value: float, **values: Any
) -> dict[str, Any]:
    row = {"benefit_id": benefit_id, "measured_at": measured_at, "value": value}
    row.update(values)
    return row


def snapshot(
    projects: list[dict[str, Any]],
    benefits: list[dict[str, Any]] = (),  # type: ignore[assignment]
    measurements: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> SnapshotFrames:
    return SnapshotFrames(
        frame(PROJECTS, list(projects)),
        frame(BENEFITS, list(benefits)),
        frame(MEASUREMENTS, list(measurements)),
    )


def series(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Measurements as the store reads them: the contract's columns and, where a row says
    so, its `evidence` (sourced or typed; typed where a row does not say)."""
    measured = frame(MEASUREMENTS, [{k: v for k, v in r.items() if k != "evidence"} for r in rows])
    if not any("evidence" in row for row in rows):
        return measured
    evidence = [row.get("evidence", "typed") for row in rows]
    return measured.with_columns(pl.Series("evidence", evidence, pl.String))


def portfolio_input(
    as_of: dt.date,
    projects: list[dict[str, Any]],
    benefits: list[dict[str, Any]] = (),  # type: ignore[assignment]
    measurements: list[dict[str, Any]] = (),  # type: ignore[assignment]
    jira_scope: pl.DataFrame | None = None,
    jira_children: pl.DataFrame | None = None,
) -> PortfolioInput:
    return PortfolioInput(
        as_of=as_of,
        snapshot_id=1,
        snapshot_as_of=as_of,
        projects=frame(PROJECTS, list(projects)).lazy(),
        benefits=frame(BENEFITS, list(benefits)).lazy(),
        measurements=series(list(measurements)).lazy(),
        jira_scope=jira_scope.lazy() if jira_scope is not None else None,
        jira_children=jira_children.lazy() if jira_children is not None else None,
    )


# An OpenID Connect [auth] section for tests: sign-in is configured, nothing is contacted.
TEST_AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "cockpit",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration",
}
