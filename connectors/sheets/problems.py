"""What is wrong with an upload, said so that a PMO lead can fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import polars as pl

Severity = Literal["error", "warning"]

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


def problems_frame(problems: list[Problem]) -> pl.DataFrame:
    """The validation report as a table (for the page and for export)."""
    if not problems:
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    return pl.DataFrame([asdict(p) for p in problems], schema=PROBLEM_SCHEMA)
