"""What is wrong with an upload, said so that a PMO lead can fix it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Literal

import polars as pl

from domain.bidi import BIDI_PATTERN

Severity = Literal["error", "warning"]
ROWS_PER_CAUSE = 40  # rows named per cause; the count says how many there are in all
# Characters that reorder the text around them (domain.bidi): invisible, and able to make a
# cell display as something else.
_BIDI = re.compile(BIDI_PATTERN)
SHOWN_CHARS = 120  # of a cell's text in a problem: enough to find it, never a page of it

PROBLEM_SCHEMA = pl.Schema(
    {
        "severity": pl.String(),
        "table": pl.String(),
        "file": pl.String(),
        "row": pl.Int64(),
        "column": pl.String(),
        "value": pl.String(),
        "problem": pl.String(),
        "fix": pl.String(),
    }
)


@dataclass(frozen=True)
class Problem:
    """One finding: where (file, table, row as seen in the file, column), what, and the fix."""

    severity: Severity
    problem: str
    fix: str = ""
    table: str | None = None
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def line(self) -> str:
        where = " ".join(
            part
            for part in (
                self.file or "",
                f"[{self.table}]" if self.table else "",
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        shown = f" value {self.value!r}:" if self.value is not None else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{self.severity.upper()} {where}:{shown} {self.problem}.{fix}".replace(" :", ":")


def shown_value(text: str | None) -> str | None:
    """A cell's text as a problem shows it: direction controls written out (<U+202E>) so
    they cannot disguise the report, and a long text cut, with its length."""
    if text is None or (len(text) <= SHOWN_CHARS and not _BIDI.search(text)):
        return text
    shown = _BIDI.sub(lambda found: f"<U+{ord(found.group()):04X}>", text)
    if len(shown) > SHOWN_CHARS:
        return f"{shown[:SHOWN_CHARS]}… ({len(text):,} characters)"
    return shown


def problems_frame(problems: list[Problem]) -> pl.DataFrame:
    """The validation report as a table (for the page and for export)."""
    if not problems:
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    return pl.DataFrame([asdict(p) for p in problems], schema=PROBLEM_SCHEMA)


@dataclass
class Cause:
    """Every problem of one kind in one place (severity, file, table, column, problem):
    how many rows have it, the first of them, an example value and the fix. A report of
    causes stays short for a million-row file and never loses count."""

    severity: Severity
    problem: str
    fix: str = ""
    table: str | None = None
    file: str | None = None
    column: str | None = None
    count: int = 0
    rows: list[int] = field(default_factory=list)
    example: str | None = None
    per_row: bool = False  # a rule over rows (else one finding, perhaps at its header row)

    @property
    def key(self) -> tuple[str | None, ...]:
        return (self.severity, self.file, self.table, self.column, self.problem)

    def headline(self) -> str:
        """`43 rows: baseline_end is required but empty`; a file-wide finding as it is."""
        if not (self.per_row or self.count > 1):
            if self.column:
                return f"{self.column} {self.problem}"
            return self.problem[:1].upper() + self.problem[1:]
        what = f"{self.column} {self.problem}" if self.column else self.problem
        return f"{self.count:,} {'row' if self.count == 1 else 'rows'}: {what}"

    def rows_text(self, limit: int = ROWS_PER_CAUSE) -> str:
        """`4, 9, 12` or `4, 9, 12, … (43 in all)`."""
        if not self.rows:
            return ""
        shown = ", ".join(str(r) for r in self.rows[:limit])
        listed = min(limit, len(self.rows))
        return shown if self.count <= listed else f"{shown}, … ({self.count:,} in all)"


def cause_of(problem: Problem) -> Cause:
    return Cause(
        problem.severity,
        problem.problem,
        problem.fix,
        problem.table,
        problem.file,
        problem.column,
    )


CAUSE_SCHEMA = pl.Schema(
    {
        "severity": pl.String(),
        "count": pl.Int64(),
        "file": pl.String(),
        "table": pl.String(),
        "column": pl.String(),
        "problem": pl.String(),
        "rows": pl.String(),
        "example": pl.String(),
        "fix": pl.String(),
    }
)


def causes_frame(causes: list[Cause]) -> pl.DataFrame:
    """The report by cause as a table (for the page and for export)."""
    return pl.DataFrame(
        [
            {
                "severity": c.severity,
                "count": c.count,
                "file": c.file,
                "table": c.table,
                "column": c.column,
                "problem": c.problem,
                "rows": c.rows_text(),
                "example": c.example,
                "fix": c.fix,
            }
            for c in causes
        ],
        schema=CAUSE_SCHEMA,
    )
