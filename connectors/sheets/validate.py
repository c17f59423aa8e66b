"""Every rule of DATA_CONTRACT.md, checked over whole columns at once.

Each rule is a boolean expression over a parsed table; rows where it fails become
problems naming file, table, row, column, value and the fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from connectors.sheets.problems import Problem, Severity
from connectors.sheets.read import ROW
from domain.contract import PROJECT_STATUSES, Table

FILE = "__file"
RAW = "__raw_"


def raw(column: str) -> str:
    """Name of the column holding the cell text as uploaded."""
    return RAW + column


@dataclass
class Findings:
    """Problems found so far, capped so a broken million-row file stays readable."""

    cap: int = 200
    problems: list[Problem] = field(default_factory=list)
    omitted_errors: int = 0
    omitted_warnings: int = 0

    def add(self, problem: Problem) -> None:
        if len(self.problems) < self.cap:
            self.problems.append(problem)
        elif problem.severity == "error":
            self.omitted_errors += 1
        else:
            self.omitted_warnings += 1

    def add_rows(
        self,
        frame: pl.DataFrame,
        failing: pl.Expr,
        *,
        severity: Severity,
        table: str,
        column: str | None,
        problem: str,
        fix: str,
        value_column: str | None = None,
    ) -> int:
        """Add one problem per row where `failing` holds; returns how many rows failed."""
        value_col = value_column or (raw(column) if column else None)
        hits = frame.filter(failing.fill_null(False))
        if hits.height == 0:
            return 0
        room = max(self.cap - len(self.problems), 0)
        shown = hits.head(room)
        values = (
            shown.get_column(value_col).cast(pl.String).to_list()
            if value_col and value_col in shown.columns
            else [None] * shown.height
        )
        for file, row, value in zip(
            shown.get_column(FILE).to_list(), shown.get_column(ROW).to_list(), values, strict=True
        ):
            self.problems.append(Problem(severity, problem, fix, table, file, row, column, value))
        rest = hits.height - shown.height
        if severity == "error":
            self.omitted_errors += rest
        else:
            self.omitted_warnings += rest
        return hits.height

    @property
    def has_errors(self) -> bool:
        return self.omitted_errors > 0 or any(p.severity == "error" for p in self.problems)

    def summary(self) -> list[Problem]:
        """The problems, plus one line counting those past the cap."""
        out = list(self.problems)
        if self.omitted_errors or self.omitted_warnings:
            out.append(
                Problem(
                    "error" if self.omitted_errors else "warning",
                    f"{self.omitted_errors} more error(s) and {self.omitted_warnings} more "
                    f"warning(s) not listed (only the first {self.cap} are shown)",
                    "Fix the problems listed and upload again to see the rest.",
                )
            )
        return out


def check_cells(
    findings: Findings, frame: pl.DataFrame, table: Table, unreadable: dict[str, str]
) -> None:
    """Cells whose text could not be read as the column's type, and required cells left empty."""
    for column in table.columns:
        name = column.name
        if raw(name) not in frame.columns:
            continue
        text_present = pl.col(raw(name)).cast(pl.String).str.strip_chars().fill_null("") != ""
        if name in unreadable:
            findings.add_rows(
                frame,
                text_present & pl.col(name).is_null(),
                severity="error",
                table=table.name,
                column=name,
                problem=f"cannot be read as {column.kind}",
                fix=unreadable[name],
            )
        if column.required:
            findings.add_rows(
                frame,
                ~text_present,
                severity="error",
                table=table.name,
                column=name,
                problem="is required but empty",
                fix=f"Enter a {name} for this row{': ' + column.note if column.note else ''}",
            )


def check_unique(findings: Findings, frame: pl.DataFrame, table: Table) -> None:
    key = list(table.key)
    if not all(k in frame.columns for k in key):
        return
    duplicated = pl.struct(key).is_duplicated() & pl.all_horizontal(
        [pl.col(k).is_not_null() for k in key]
    )
    findings.add_rows(
        frame,
        duplicated,
        severity="error",
        table=table.name,
        column=key[0],
        problem=f"appears more than once ({', '.join(key)} must be unique in the snapshot)",
        fix="Keep one row per " + " and ".join(key) + ", or give each row its own id.",
    )


def check_non_negative(findings: Findings, frame: pl.DataFrame, table: Table) -> None:
    for column in table.columns:
        must_be_positive = column.kind == "money" or column.name.startswith("scope_")
        if must_be_positive and column.name in frame.columns:
            findings.add_rows(
                frame,
                pl.col(column.name) < 0,
                severity="error",
                table=table.name,
                column=column.name,
                problem="is negative",
                fix=f"{column.name} must be 0 or more.",
            )


def check_projects(findings: Findings, frame: pl.DataFrame, as_of: dt.date) -> None:
    status = pl.col("status")
    findings.add_rows(
        frame,
        status.is_null(),
        severity="error",
        table="projects",
        column="status",
        problem="is not a known status",
        fix="Use one of: " + ", ".join(PROJECT_STATUSES) + " (empty means active).",
    )
    findings.add_rows(
        frame,
        pl.col("baseline_end").is_null()
        & (status != "proposed")
        & pl.col(raw("baseline_end")).is_null(),
        severity="error",
        table="projects",
        column="baseline_end",
        problem="is required unless the project is proposed",
        fix="Enter the committed delivery date, or set status to proposed.",
    )
    findings.add_rows(
        frame,
        (status == "delivered")
        & pl.col("actual_end").is_null()
        & pl.col(raw("actual_end")).is_null(),
        severity="error",
        table="projects",
        column="actual_end",
        problem="is required when the project is delivered",
        fix="Enter the date the project was delivered, or change its status.",
        value_column=raw("status"),
    )
    findings.add_rows(
        frame,
        pl.col("actual_end") > as_of,
        severity="error",
        table="projects",
        column="actual_end",
        problem=f"is after the snapshot's as-of date {as_of.isoformat()}",
        fix="A project cannot have finished after the date of the snapshot; correct the date "
        "or the as-of date.",
    )
    findings.add_rows(
        frame,
        pl.col("rag").is_null() & pl.col(raw("rag")).str.strip_chars().fill_null("").ne(""),
        severity="error",
        table="projects",
        column="rag",
        problem="is not a RAG rating",
        fix="Use green, amber or red, or the five-point scale green, amber/green, amber, "
        "amber/red, red.",
    )


def check_benefits(findings: Findings, frame: pl.DataFrame, project_ids: pl.Series) -> None:
    findings.add_rows(
        frame,
        pl.col("project_id").is_not_null() & ~pl.col("project_id").is_in(project_ids.implode()),
        severity="error",
        table="benefits",
        column="project_id",
        problem="is not a project of this snapshot",
        fix="Use the project_id of a row in the projects table of the same upload.",
    )
    findings.add_rows(
        frame,
        pl.col("target") == pl.col("baseline"),
        severity="error",
        table="benefits",
        column="target",
        problem="equals the baseline, so progress cannot be measured",
        fix="Set a target different from the baseline (lower than it for KPIs that must go down).",
    )
    findings.add_rows(
        frame,
        pl.col("target_date") <= pl.col("start_date"),
        severity="error",
        table="benefits",
        column="target_date",
        problem="is not after start_date",
        fix="The target date must come after the date the benefit starts to show.",
    )


def check_measurements(
    findings: Findings, frame: pl.DataFrame, as_of: dt.date, benefit_ids: pl.Series
) -> None:
    findings.add_rows(
        frame,
        pl.col("measured_at") > as_of,
        severity="error",
        table="measurements",
        column="measured_at",
        problem=f"is after the snapshot's as-of date {as_of.isoformat()}",
        fix="Measurements cannot be dated after the snapshot; correct the date or the as-of date.",
    )
    findings.add_rows(
        frame,
        pl.col("benefit_id").is_not_null() & ~pl.col("benefit_id").is_in(benefit_ids.implode()),
        severity="error",
        table="measurements",
        column="benefit_id",
        problem="is not a benefit of this or an earlier snapshot",
        fix="Use the benefit_id of a row in the benefits table, or upload that benefit first.",
    )
