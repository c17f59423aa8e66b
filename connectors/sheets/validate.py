"""Every rule of docs/data-contract.md, checked over whole columns at once.

A rule is a boolean expression over a parsed table that is true where a row breaks it.
All rules of a table are counted in one pass; only rules that fail are looked at again,
to report their first rows (file, table, row, column, value and the fix).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import polars as pl

from connectors.sheets.problems import (
    ROWS_PER_CAUSE,
    Cause,
    Problem,
    Severity,
    cause_of,
    shown_value,
)
from connectors.sheets.read import ROW
from connectors.sheets.values import excel_date_like
from domain.bidi import BIDI_PATTERN
from domain.contract import PROJECT_STATUSES, Table
from domain.formulas import FORMULA_START

FILE = "__file"
RAW = "__raw_"

UNREADABLE_FIX = {
    "date": "Write dates as ISO 2026-09-30 (or 30 Sep 2026), or use an Excel date cell.",
    "money": "Write an amount such as 1200000, 1,200,000, $1.2M or (5,000) for a negative.",
    "number": "Write a number such as 42 or 3.5.",
    "status": "Use one of: " + ", ".join(PROJECT_STATUSES) + " (empty means active).",
    "rag": "Use green, amber or red, or the five-point scale green, amber/green, amber, "
    "amber/red, red.",
    "text": "",
    "choice": "",
}


EXCEL_DATE_FIX = (
    "In the spreadsheet, format the column as Number, type the amount again, and export "
    "again (Excel turns amounts such as 7.9 into dates like 07. Sep)."
)


def raw(column: str) -> str:
    """Name of the column holding the cell text as uploaded."""
    return RAW + column


@dataclass(frozen=True)
class Rule:
    """Rows where `failing` holds break the rule; `value` names the column whose text is
    shown (the rule's own column by default)."""

    table: str
    column: str | None
    failing: pl.Expr
    problem: str
    fix: str
    severity: Severity = "error"
    value: str | None = None


@dataclass
class Findings:
    """Problems found so far. Every problem counts towards its cause (`causes`), which
    names its first rows; the problems themselves are listed up to a cap per severity,
    so a broken million-row file stays readable and errors are never crowded out by
    warnings."""

    cap: int = 200
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    omitted_errors: int = 0
    omitted_warnings: int = 0
    by_cause: dict[tuple[str | None, ...], Cause] = field(default_factory=dict)

    def _bucket(self, severity: Severity) -> list[Problem]:
        return self.errors if severity == "error" else self.warnings

    def _omit(self, severity: Severity, n: int) -> None:
        if severity == "error":
            self.omitted_errors += n
        else:
            self.omitted_warnings += n

    def _count(self, problem: Problem, n: int, rows: list[int], example: str | None) -> None:
        fresh = cause_of(problem)
        cause = self.by_cause.setdefault(fresh.key, fresh)
        cause.count += n
        cause.rows.extend(rows[: ROWS_PER_CAUSE - len(cause.rows)])
        if cause.example is None:
            cause.example = example

    def add(self, problem: Problem) -> None:
        problem = replace(problem, value=shown_value(problem.value))
        rows = [] if problem.row is None else [problem.row]
        self._count(problem, 1, rows, problem.value)
        bucket = self._bucket(problem.severity)
        if len(bucket) < self.cap:
            bucket.append(problem)
        else:
            self._omit(problem.severity, 1)

    def add_rows(self, template: Problem, rows: pl.DataFrame) -> None:
        """The same problem on many rows: `rows` holds ROW and, when the problem shows a
        value, `value`. Counted whole, listed up to the cap."""
        if rows.height == 0:
            return
        values = (
            rows.get_column("value").cast(pl.String).to_list()
            if "value" in rows.columns
            else [None] * rows.height
        )
        numbers = rows.get_column(ROW).to_list()
        self._count(template, rows.height, numbers[:ROWS_PER_CAUSE], shown_value(values[0]))
        self.by_cause[cause_of(template).key].per_row = True
        room = self.room(template.severity)
        for row, value in zip(numbers[:room], values[:room], strict=True):
            listed = replace(template, row=row, value=shown_value(value))
            self._bucket(template.severity).append(listed)
        self._omit(template.severity, max(rows.height - room, 0))

    def check(self, frame: pl.DataFrame, rules: list[Rule]) -> None:
        """Count every rule's failures in one pass, then report the failing rows."""
        if not rules or frame.height == 0:
            return
        counts = frame.select(
            [rule.failing.fill_null(False).sum().alias(str(i)) for i, rule in enumerate(rules)]
        ).row(0)
        for rule, count in zip(rules, counts, strict=True):
            if count:
                self._report(frame, rule)

    def _report(self, frame: pl.DataFrame, rule: Rule) -> None:
        """A rule's failing rows, counted per file (the frame may hold several)."""
        value_column = rule.value or (raw(rule.column) if rule.column else None)
        failing = frame.filter(rule.failing.fill_null(False))
        value = (
            pl.col(value_column).cast(pl.String)
            if value_column and value_column in failing.columns
            else pl.lit(None, pl.String)
        )
        shown = failing.select(
            pl.col(FILE).cast(pl.String).alias("file"), pl.col(ROW), value.alias("value")
        )
        for (file,), rows in shown.partition_by("file", maintain_order=True, as_dict=True).items():
            template = Problem(
                rule.severity, rule.problem, rule.fix, rule.table, file, None, rule.column
            )
            self.add_rows(template, rows)

    def room(self, severity: Severity) -> int:
        """How many more problems of this severity are listed before the cap."""
        return max(self.cap - len(self._bucket(severity)), 0)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or self.omitted_errors > 0

    def listed(self) -> list[Problem]:
        """Errors first, then warnings (the counts past the cap are in `omitted_*`)."""
        return [*self.errors, *self.warnings]

    def causes(self) -> list[Cause]:
        """Every cause, errors first, the most frequent first within each severity."""
        return sorted(self.by_cause.values(), key=lambda c: (c.severity != "error", -c.count))


def cell_rules(table: Table) -> list[Rule]:
    """Cells whose text could not be read as the column's kind; required cells left empty."""
    rules = []
    for column in table.columns:
        name = column.name
        present = pl.col(raw(name)).is_not_null()
        unread = present & pl.col(name).is_null()
        if column.kind in ("money", "number"):
            mangled = excel_date_like(pl.col(raw(name))).fill_null(False)
            rules.append(
                Rule(
                    table.name,
                    name,
                    unread & mangled,
                    "looks like a date, not a number: Excel probably turned the amount into a date",
                    EXCEL_DATE_FIX,
                )
            )
            unread = unread & ~mangled
        if column.kind != "text" or name == "jira_key":
            rules.append(
                Rule(
                    table.name,
                    name,
                    unread,
                    "is not a known status"
                    if column.kind == "status"
                    else "is not a RAG rating"
                    if column.kind == "rag"
                    else f"is not one of {', '.join(column.choices)}"
                    if column.kind == "choice"
                    else "is not an issue key such as PAY-123"
                    if name == "jira_key"
                    else f"cannot be read as {column.kind}",
                    "Use one of: "
                    + ", ".join(column.choices)
                    + (f" (empty means {column.default})." if column.default else ".")
                    if column.kind == "choice"
                    else UNREADABLE_FIX[column.kind]
                    if name != "jira_key"
                    else "Write the key of the Jira epic or parent issue, e.g. PAY-123.",
                )
            )
        if column.required:
            rules.append(
                Rule(
                    table.name,
                    name,
                    # A text may have held only characters the parser removes.
                    pl.col(name).is_null() if column.kind == "text" else ~present,
                    "is required but empty",
                    f"Enter a {name} for this row"
                    + (f" ({column.note.rstrip('.')})." if column.note else "."),
                )
            )
    return rules


def text_rules(table: Table) -> list[Rule]:
    """Texts no longer than their column allows; ids a spreadsheet would not run as a
    formula; and a warning where direction controls were removed (see parse.stage)."""
    rules = []
    for column in table.columns:
        if column.kind != "text":
            continue
        cell = pl.col(raw(column.name))
        if column.max_chars:
            rules.append(
                Rule(
                    table.name,
                    column.name,
                    cell.str.len_chars() > column.max_chars,
                    f"is longer than the {column.max_chars} characters a {column.name} may have",
                    f"Shorten it to {column.max_chars} characters at most (a longer one does "
                    "not fit on a page, in a chart or in the briefing).",
                )
            )
        if column.name.endswith("_id"):
            rules.append(
                Rule(
                    table.name,
                    column.name,
                    cell.str.contains(FORMULA_START),
                    "starts with =, +, -, @, a tab or a line break, which a spreadsheet "
                    "opening an export of it would run as a formula",
                    "Start the id with a letter or a digit (for example P-001, not -001 or "
                    "=P1), here and wherever the id is used.",
                )
            )
        rules.append(
            Rule(
                table.name,
                column.name,
                cell.str.contains(BIDI_PATTERN),
                "holds invisible characters that change the direction of text (shown here "
                "as <U+...>), which can make it display as something else; they were removed",
                "Nothing to do; to remove them from the file too, retype the cell.",
                severity="warning",
            )
        )
    return rules


def non_negative_rules(table: Table) -> list[Rule]:
    return [
        Rule(
            table.name,
            column.name,
            pl.col(column.name) < 0,
            "is negative",
            f"{column.name} must be 0 or more.",
        )
        for column in table.columns
        if column.kind == "money" or column.name.startswith("scope_")
    ]


def unique_rule(frame: pl.DataFrame, table: Table) -> list[Rule]:
    """Keys repeated within the upload. A hash pass proves most uploads unique cheaply."""
    key = list(table.key)
    complete = pl.all_horizontal([pl.col(k).is_not_null() for k in key])
    keyed, distinct = frame.select(
        complete.sum().alias("keyed"),
        pl.struct(key).hash().filter(complete).n_unique().alias("distinct"),
    ).row(0)
    if distinct == keyed:
        return []
    return [
        Rule(
            table.name,
            key[0],
            pl.struct(key).is_duplicated()
            & pl.all_horizontal([pl.col(k).is_not_null() for k in key]),
            f"appears more than once ({', '.join(key)} must be unique in the snapshot)",
            "Keep one row per " + " and ".join(key) + ", or give each row its own id.",
        )
    ]


def project_rules(as_of: dt.date, has_baseline_column: bool = True) -> list[Rule]:
    """Rules across a project's cells. Without a baseline_end column at all, the missing
    column is reported once (by the loader) rather than on every row."""
    status = pl.col("status")
    return [
        Rule(
            "projects",
            "baseline_end",
            pl.col(raw("baseline_end")).is_null()
            & (status != "proposed")
            & pl.lit(has_baseline_column),
            "is required unless the project is proposed",
            "Enter the committed delivery date, or set status to proposed.",
        ),
        Rule(
            "projects",
            "actual_end",
            pl.col(raw("actual_end")).is_null() & (status == "delivered"),
            "is required when the project is delivered",
            "Enter the date the project was delivered, or change its status.",
            value=raw("status"),
        ),
        Rule(
            "projects",
            "actual_end",
            pl.col("actual_end") > as_of,
            f"is after the snapshot's as-of date {as_of.isoformat()}",
            "A project cannot have finished after the date of the snapshot; correct the date "
            "or the as-of date.",
        ),
    ]


def benefit_rules(project_ids: pl.Series | None) -> list[Rule]:
    """`project_ids` of the same upload; None when it has no projects (reported once)."""
    references = (
        []
        if project_ids is None
        else [
            Rule(
                "benefits",
                "project_id",
                pl.col("project_id").is_not_null()
                & ~pl.col("project_id").is_in(project_ids.unique().implode()),
                "is not a project of this snapshot",
                "Use the project_id of a row in the projects table of the same upload.",
            )
        ]
    )
    return [
        *references,
        Rule(
            "benefits",
            "target",
            pl.col("target") == pl.col("baseline"),
            "equals the baseline, so progress cannot be measured",
            "Set a target different from the baseline (lower than it for KPIs that must go down).",
        ),
        Rule(
            "benefits",
            "target_date",
            pl.col("target_date") <= pl.col("start_date"),
            "is not after start_date",
            "The target date must come after the date the benefit starts to show.",
        ),
    ]


def measurement_rules(as_of: dt.date, benefit_ids: pl.Series) -> list[Rule]:
    return [
        Rule(
            "measurements",
            "measured_at",
            pl.col("measured_at") > as_of,
            f"is after the snapshot's as-of date {as_of.isoformat()}",
            "Measurements cannot be dated after the snapshot; correct the date or the as-of date.",
        ),
        Rule(
            "measurements",
            "benefit_id",
            pl.col("benefit_id").is_not_null()
            & ~pl.col("benefit_id").is_in(benefit_ids.unique().implode()),
            "is not a benefit of this or an earlier snapshot",
            "Use the benefit_id of a row in the benefits table, or upload that benefit first.",
        ),
    ]


def gap_warnings(
    projects: pl.DataFrame, benefits: pl.DataFrame, measured: pl.Series
) -> tuple[list[Rule], list[Rule]]:
    """(rules over projects, rules over benefits) for gaps that do not block a commit."""
    with_benefit = (
        benefits.get_column("project_id").unique()
        if benefits.height
        else pl.Series([], dtype=pl.String)
    )
    return (
        [
            Rule(
                "projects",
                "project_id",
                pl.col("project_id").is_not_null()
                & ~pl.col("project_id").is_in(with_benefit.implode()),
                "has no benefit, so its outcomes cannot be judged",
                "Add the benefits this project promised to the benefits table.",
                severity="warning",
            )
        ],
        [
            Rule(
                "benefits",
                "benefit_id",
                pl.col("benefit_id").is_not_null()
                & ~pl.col("benefit_id").is_in(measured.unique().implode()),
                "has no measurement yet",
                "Add measurements when the KPI is first measured.",
                severity="warning",
            )
        ],
    )
