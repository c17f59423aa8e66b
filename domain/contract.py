"""The snapshot data contract (docs/data-contract.md) as code.

One place names every input column, its type and whether it is required, so the
loader, the store and the metrics cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

Kind = Literal["text", "date", "money", "number", "status", "rag", "choice"]

PROJECT_STATUSES: tuple[str, ...] = ("proposed", "active", "on_hold", "delivered", "cancelled")
SOURCE_KINDS: tuple[str, ...] = ("sql", "jira", "http")
SCHEDULES: tuple[str, ...] = ("daily", "weekly", "monthly")
RAG_VALUES: tuple[str, ...] = ("green", "amber/green", "amber", "amber/red", "red")
GREENISH_RAG: tuple[str, ...] = ("green", "amber/green")
# The most characters a text cell may hold, by what it is.
ID_CHARS = 100
NAME_CHARS = 200  # names of projects, portfolios, objectives, KPIs; sources
PERSON_CHARS = 100  # sponsors, owners; categories
UNIT_CHARS = 40
QUERY_CHARS = 10_000  # a measurement source's query: a long SQL statement still fits
NOTE_CHARS = 500


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
    # kind "choice": the values it may take, and the one an empty cell gets (None: none)
    choices: tuple[str, ...] = ()
    default: str | None = None

    @property
    def dtype(self) -> pl.DataType:
        return _DTYPES[self.kind]


_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "status": pl.String(),
    "rag": pl.String(),
    "choice": pl.String(),
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

MEASUREMENT_SOURCES = Table(
    "measurement_sources",
    (
        Column(
            "benefit_id",
            "text",
            True,
            "A benefit of this or an earlier snapshot; at most one source per benefit.",
            "PAY-01-B1",
            ID_CHARS,
        ),
        Column(
            "kind",
            "choice",
            True,
            "sql (a read-only query), jira (a JQL count) or http (a JSON document).",
            "sql",
            choices=SOURCE_KINDS,
        ),
        Column(
            "connection",
            "text",
            False,
            "Required for sql and http: the name of a connection configured in secrets "
            "([sources.NAME] in secrets.toml) or the environment (COCKPIT_SOURCE_NAME_URL). "
            "A name, never a URL with a password.",
            "warehouse",
            ID_CHARS,
        ),
        Column(
            "query",
            "text",
            True,
            "sql: a read-only query returning one number (first row, first column), which "
            "may use :as_of for the measurement date; jira: a JQL whose issue count is the "
            "value; http: the path below the connection's base URL.",
            "SELECT avg(converted) * 100 FROM web.sessions WHERE day <= :as_of",
            QUERY_CHARS,
        ),
        Column(
            "value_path",
            "text",
            False,
            "Required for http: where the number is in the JSON, as dotted keys and list "
            "indexes (data.0.value). jira: a numeric field to sum instead of counting "
            "(e.g. Story Points).",
            "",
            NAME_CHARS,
        ),
        Column(
            "schedule",
            "choice",
            False,
            "daily, weekly or monthly (default weekly).",
            "weekly",
            choices=SCHEDULES,
            default="weekly",
        ),
        Column(
            "note",
            "text",
            False,
            "What the number means, for the benefit owner.",
            "Share of web sessions that end in a purchase",
            NOTE_CHARS,
        ),
    ),
    key=("benefit_id",),
    note="One row per benefit that is measured by a machine.",
)

TABLES: dict[str, Table] = {
    t.name: t for t in (PROJECTS, BENEFITS, MEASUREMENTS, MEASUREMENT_SOURCES)
}


def empty_frame(table: Table) -> pl.DataFrame:
    """A frame with the table's columns and types and no rows."""
    return pl.DataFrame(schema=table.schema)
