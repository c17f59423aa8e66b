"""From uploaded files to a validated snapshot, or to every problem found."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import polars as pl

from connectors.sheets import validate as rules
from connectors.sheets.headers import match_columns, recognise
from connectors.sheets.problems import Problem
from connectors.sheets.read import ROW, RawTable, SourceFile, UnreadableFile, read_tables
from connectors.sheets.validate import FILE, Findings, raw
from connectors.sheets.values import (
    blank_to_null,
    has_slash_dates,
    parse_date,
    parse_number,
    parse_rag,
    parse_status,
    slash_date_order,
)
from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS, Table, empty_frame
from domain.snapshot import SnapshotFrames

UNREADABLE_FIX = {
    "date": "Write dates as ISO 2026-09-30 (or 30 Sep 2026), or use an Excel date cell.",
    "money": "Write an amount such as 1200000, 1,200,000, $1.2M or (5,000) for a negative.",
    "number": "Write a number such as 42 or 3.5.",
}


@dataclass
class LoadResult:
    """The validated frames (None when anything blocks) and every finding."""

    frames: SnapshotFrames | None
    problems: list[Problem]
    content_hash: str
    tables_found: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.frames is not None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def content_hash(files: list[SourceFile]) -> str:
    """Identity of an upload: the same bytes under the same names give the same hash."""
    digest = hashlib.sha256()
    for source in sorted(files, key=lambda f: f.name):
        digest.update(source.name.encode())
        digest.update(hashlib.sha256(source.data).digest())
    return digest.hexdigest()


def _parse(
    frame: pl.DataFrame, table: Table, raw_table: RawTable, findings: Findings
) -> pl.DataFrame:
    """Rename the file's headers to contract columns and parse each cell by its kind."""
    mapping = match_columns(table.name, [c for c in frame.columns if c != ROW])
    unknown = [c for c in frame.columns if c not in mapping.values() and c != ROW]
    if unknown:
        findings.add(
            Problem(
                "warning",
                "these columns are not part of the template and were ignored: "
                + ", ".join(unknown),
                "Rename a column to its template name if it should be read.",
                table.name,
                raw_table.label,
            )
        )
    for column in table.required:
        if column not in mapping:
            findings.add(
                Problem(
                    "error",
                    f"the required column {column} is missing",
                    f"Add a column named {column} (see the template).",
                    table.name,
                    raw_table.label,
                    column=column,
                )
            )
    staged = frame.select(
        pl.col(ROW),
        pl.lit(raw_table.label).alias(FILE),
        *[
            (pl.col(mapping[c]) if c in mapping else pl.lit(None, pl.String)).alias(raw(c))
            for c in table.names
        ],
    )
    # Drop rows that are entirely empty (trailing rows in spreadsheets).
    staged = staged.filter(
        pl.any_horizontal([blank_to_null(pl.col(raw(c))).is_not_null() for c in table.names])
    )
    parsers: list[pl.Expr] = []
    for column in table.columns:
        cell = pl.col(raw(column.name))
        if column.kind == "date":
            day_first = _day_first(
                staged.get_column(raw(column.name)), raw_table, column.name, table, findings
            )
            parsers.append(parse_date(cell, day_first).alias(column.name))
        elif column.kind in ("money", "number"):
            parsers.append(parse_number(cell).alias(column.name))
        elif column.kind == "status":
            parsers.append(parse_status(cell).alias(column.name))
        elif column.kind == "rag":
            parsers.append(parse_rag(cell).alias(column.name))
        else:
            parsers.append(blank_to_null(cell).alias(column.name))
    return staged.with_columns(parsers)


def _day_first(
    cells: pl.Series, raw_table: RawTable, column: str, table: Table, findings: Findings
) -> bool | None:
    """Settle d/m vs m/d for a column; an unsettled ambiguous column is refused."""
    if not has_slash_dates(cells):
        return None
    order = slash_date_order(cells)
    if order is None:
        findings.add(
            Problem(
                "error",
                "dates such as 03/04/2026 are ambiguous (day/month or month/day) and no row "
                "settles the order",
                "Write dates as ISO 2026-04-03, or as 3 Apr 2026.",
                table.name,
                raw_table.label,
                column=column,
            )
        )
    return order


def _collect(
    tables: list[tuple[RawTable, pl.DataFrame]], table: Table, findings: Findings
) -> pl.DataFrame:
    parsed = [_parse(frame, table, rt, findings) for rt, frame in tables]
    return pl.concat(parsed, how="vertical") if parsed else pl.DataFrame()


def _typed(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    if frame.height == 0:
        return empty_frame(table)
    return frame.select([pl.col(c.name).cast(c.dtype) for c in table.columns])


def load_files(
    files: list[SourceFile],
    as_of: dt.date,
    known_benefit_ids: pl.Series | None = None,
    measured_benefit_ids: pl.Series | None = None,
    cap: int = 200,
) -> LoadResult:
    """Read, recognise, parse and validate an upload; frames only when nothing blocks."""
    findings = Findings(cap=cap)
    found: dict[str, list[tuple[RawTable, pl.DataFrame]]] = {
        "projects": [],
        "benefits": [],
        "measurements": [],
    }
    tables_found: dict[str, list[str]] = {}
    for source in files:
        try:
            raw_tables = read_tables(source)
        except UnreadableFile as exc:
            findings.add(Problem("error", str(exc).rstrip("."), "", file=source.name))
            continue
        recognised_any = False
        for raw_table in raw_tables:
            headers = [c for c in raw_table.frame.columns if c != ROW]
            kind = recognise(headers, raw_table.sheet)
            if kind is None:
                if raw_table.sheet is None or raw_table.frame.height:
                    findings.add(
                        Problem(
                            "warning" if raw_table.sheet else "error",
                            "cannot tell which table this is from its headers ("
                            + ", ".join(headers[:8])
                            + ")",
                            "Name the sheet projects, benefits or measurements, or use the "
                            "template's column names.",
                            file=raw_table.label,
                        )
                    )
                continue
            recognised_any = True
            tables_found.setdefault(kind, []).append(raw_table.label)
            if kind == "flat_benefits":
                found["benefits"].append((raw_table, raw_table.frame))
                found["measurements"].append((raw_table, raw_table.frame))
            else:
                found[kind].append((raw_table, raw_table.frame))
        if (
            not recognised_any
            and raw_tables
            and not any(p.file and p.file.startswith(source.name) for p in findings.problems)
        ):
            findings.add(Problem("error", "no table found in this file", "", file=source.name))

    projects = _collect(found["projects"], PROJECTS, findings)
    benefits = _collect(found["benefits"], BENEFITS, findings)
    measurements = _collect(found["measurements"], MEASUREMENTS, findings)
    if "flat_benefits" in tables_found and benefits.height:
        benefits = _dedupe_flat_benefits(benefits, findings)
    if measurements.height:
        measurements = measurements.filter(
            pl.col(raw("measured_at")).is_not_null() | pl.col(raw("value")).is_not_null()
        )

    if not (projects.height or benefits.height or measurements.height) and not findings.has_errors:
        findings.add(
            Problem("error", "the upload holds no rows", "Fill in at least the projects table.")
        )

    if projects.height:
        rules.check_cells(findings, projects, PROJECTS, _fixes(PROJECTS))
        rules.check_unique(findings, projects, PROJECTS)
        rules.check_non_negative(findings, projects, PROJECTS)
        rules.check_projects(findings, projects, as_of)
    if benefits.height:
        rules.check_cells(findings, benefits, BENEFITS, _fixes(BENEFITS))
        rules.check_unique(findings, benefits, BENEFITS)
        rules.check_non_negative(findings, benefits, BENEFITS)
        project_ids = (
            projects.get_column("project_id") if projects.height else pl.Series([], dtype=pl.String)
        )
        rules.check_benefits(findings, benefits, project_ids)
    if measurements.height:
        rules.check_cells(findings, measurements, MEASUREMENTS, _fixes(MEASUREMENTS))
        rules.check_unique(findings, measurements, MEASUREMENTS)
        ids = (
            benefits.get_column("benefit_id") if benefits.height else pl.Series([], dtype=pl.String)
        )
        if known_benefit_ids is not None:
            ids = pl.concat([ids, known_benefit_ids.cast(pl.String)])
        rules.check_measurements(findings, measurements, as_of, ids)

    _warn_soft_gaps(findings, projects, benefits, measurements, measured_benefit_ids)
    result_hash = content_hash(files)
    if findings.has_errors:
        return LoadResult(None, findings.summary(), result_hash, tables_found)
    frames = SnapshotFrames(
        _typed(projects, PROJECTS), _typed(benefits, BENEFITS), _typed(measurements, MEASUREMENTS)
    )
    return LoadResult(frames, findings.summary(), result_hash, tables_found)


def _fixes(table: Table) -> dict[str, str]:
    return {c.name: UNREADABLE_FIX[c.kind] for c in table.columns if c.kind in UNREADABLE_FIX}


def _dedupe_flat_benefits(benefits: pl.DataFrame, findings: Findings) -> pl.DataFrame:
    """In the flat form each row repeats its benefit; the repeats must agree."""
    columns = [c for c in BENEFITS.names if c != "benefit_id"]
    distinct = benefits.unique(subset=["benefit_id", *columns], keep="first", maintain_order=True)
    conflicting = distinct.filter(pl.col("benefit_id").is_duplicated())
    findings.add_rows(
        conflicting,
        pl.lit(True),
        severity="error",
        table="benefits",
        column="benefit_id",
        problem="is repeated with different benefit details (kpi, baseline, target, ...)",
        fix="In a flat benefits file, repeat each benefit's details exactly on every row.",
    )
    return distinct.unique(subset=["benefit_id"], keep="first", maintain_order=True)


def _warn_soft_gaps(
    findings: Findings,
    projects: pl.DataFrame,
    benefits: pl.DataFrame,
    measurements: pl.DataFrame,
    measured_before: pl.Series | None,
) -> None:
    if projects.height and "project_id" in projects.columns:
        with_benefit = (
            benefits.get_column("project_id") if benefits.height else pl.Series([], dtype=pl.String)
        )
        findings.add_rows(
            projects,
            pl.col("project_id").is_not_null()
            & ~pl.col("project_id").is_in(with_benefit.implode()),
            severity="warning",
            table="projects",
            column="project_id",
            problem="has no benefit, so its outcomes cannot be judged",
            fix="Add the benefits this project promised to the benefits table.",
        )
    if benefits.height:
        measured = (
            measurements.get_column("benefit_id")
            if measurements.height
            else pl.Series([], dtype=pl.String)
        )
        if measured_before is not None:
            measured = pl.concat([measured, measured_before.cast(pl.String)])
        findings.add_rows(
            benefits,
            pl.col("benefit_id").is_not_null() & ~pl.col("benefit_id").is_in(measured.implode()),
            severity="warning",
            table="benefits",
            column="benefit_id",
            problem="has no measurement yet",
            fix="Add measurements when the KPI is first measured.",
        )
