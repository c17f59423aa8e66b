"""The snapshot data contract (DATA_CONTRACT.md) as code.

One place names every input column, its type and whether it is required, so the
loader, the store and the metrics cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

Kind = Literal["text", "date", "money", "number", "status", "rag"]

PROJECT_STATUSES: tuple[str, ...] = ("proposed", "active", "on_hold", "delivered", "cancelled")
RAG_VALUES: tuple[str, ...] = ("green", "amber/green", "amber", "amber/red", "red")
GREENISH_RAG: tuple[str, ...] = ("green", "amber/green")
# The most characters a text cell may hold, by what it is.
ID_CHARS = 100
NAME_CHARS = 200  # names of projects, portfolios, objectives, KPIs; sources
PERSON_CHARS = 100  # sponsors, owners; categories
UNIT_CHARS = 40


@dataclass(frozen=True)
class Column:
    """One contract column: its name, kind, whether it is required, help for users, and
    for text the most characters it may hold (more than a real portfolio ever writes:
    longer texts do not fit on a page, in a chart or in the PDF briefing)."""

    name: str
    kind: Kind
    required: bool = False
    note: str = ""
    example: str = ""
    max_chars: int | None = None

    @property
    def dtype(self) -> pl.DataType:
        return _DTYPES[self.kind]


_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "status": pl.String(),
    "rag": pl.String(),
    "date": pl.Date(),
    "money": pl.Float64(),
    "number": pl.Float64(),
}


@dataclass(frozen=True)
class Table:
    """A contract table: its columns in template order and its key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    note: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.dtype for c in self.columns})

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


PROJECTS = Table(
    "projects",
    (
        Column("project_id", "text", True, "Unique in the snapshot.", "PAY-01", ID_CHARS),
        Column("name", "text", True, "", "Instant payments", NAME_CHARS),
        Column("portfolio", "text", False, "", "Digital Channels", NAME_CHARS),
        Column(
            "objective",
            "text",
            False,
            "The strategic objective it serves.",
            "Grow revenue",
            NAME_CHARS,
        ),
        Column("sponsor", "text", False, "Executive sponsor.", "Maria Keller", PERSON_CHARS),
        Column("owner", "text", False, "Project manager.", "Tom Okafor", PERSON_CHARS),
        Column(
            "status",
            "status",
            False,
            "proposed, active, on_hold, delivered or cancelled (default active).",
            "active",
        ),
        Column(
            "rag",
            "rag",
            False,
            "Self-reported status: green, amber, red, or the five-point scale "
            "(green, amber/green, amber, amber/red, red).",
            "green",
        ),
        Column("start_date", "date", False, "", "2026-01-15"),
        Column(
            "baseline_end",
            "date",
            False,
            "The committed delivery date. Required unless the project is proposed.",
            "2026-09-30",
        ),
        Column("forecast_end", "date", False, "", "2026-10-31"),
        Column(
            "actual_end",
            "date",
            False,
            "Required when delivered; not after the as-of date.",
            "",
        ),
        Column("budget", "money", False, "The committed budget (>= 0).", "1200000"),
        Column("actual_cost", "money", False, "Spent so far (>= 0).", "640000"),
        Column("forecast_cost", "money", False, "Estimate at completion (>= 0).", "1250000"),
        Column("scope_planned", "number", False, "Deliverables or points (>= 0).", "40"),
        Column("scope_delivered", "number", False, "(>= 0)", "22"),
        Column("jira_key", "text", False, "An epic or parent issue key.", "PAY-123", ID_CHARS),
    ),
    key=("project_id",),
    note="One row per project.",
)

BENEFITS = Table(
    "benefits",
    (
        Column("benefit_id", "text", True, "Unique in the snapshot.", "PAY-01-B1", ID_CHARS),
        Column("project_id", "text", True, "A project of the same snapshot.", "PAY-01", ID_CHARS),
        Column("kpi", "text", True, "What is measured.", "Checkout conversion", NAME_CHARS),
        Column("unit", "text", False, "%, USD, days, count, ...", "%", UNIT_CHARS),
        Column("baseline", "number", True, "", "2.1"),
        Column("target", "number", True, "Different from baseline.", "2.8"),
        Column(
            "start_date",
            "date",
            False,
            "When the benefit should start to show (default: the project's end).",
            "2026-10-01",
        ),
        Column("target_date", "date", True, "After start_date.", "2027-06-30"),
        Column(
            "planned_value",
            "money",
            False,
            "The money the benefit is worth when fully realized (>= 0).",
            "3000000",
        ),
        Column(
            "owner",
            "text",
            False,
            "The business owner accountable for it.",
            "Ana Ruiz",
            PERSON_CHARS,
        ),
        Column(
            "category",
            "text",
            False,
            "revenue, cost, risk, customer, adoption, ...",
            "revenue",
            PERSON_CHARS,
        ),
    ),
    key=("benefit_id",),
    note="One row per benefit.",
)

MEASUREMENTS = Table(
    "measurements",
    (
        Column(
            "benefit_id",
            "text",
            True,
            "A benefit of this or an earlier snapshot.",
            "PAY-01-B1",
            ID_CHARS,
        ),
        Column("measured_at", "date", True, "Not after the as-of date.", "2026-09-30"),
        Column("value", "number", True, "", "2.3"),
        Column("source", "text", False, "Where the number came from.", "Web analytics", NAME_CHARS),
    ),
    key=("benefit_id", "measured_at"),
    note="One row per benefit per date.",
)

TABLES: dict[str, Table] = {t.name: t for t in (PROJECTS, BENEFITS, MEASUREMENTS)}


def empty_frame(table: Table) -> pl.DataFrame:
    """A frame with the table's columns and types and no rows."""
    return pl.DataFrame(schema=table.schema)
