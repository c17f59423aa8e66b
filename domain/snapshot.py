"""A validated snapshot: the frames a connector hands to the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from domain.contract import BENEFITS, MEASUREMENT_SOURCES, MEASUREMENTS, PROJECTS, empty_frame


@dataclass(frozen=True)
class SnapshotFrames:
    """Projects, benefits, measurements and measurement sources already checked against
    the contract.

    Columns and types are exactly those of domain.contract; the store trusts them.
    """

    projects: pl.DataFrame = field(default_factory=lambda: empty_frame(PROJECTS))
    benefits: pl.DataFrame = field(default_factory=lambda: empty_frame(BENEFITS))
    measurements: pl.DataFrame = field(default_factory=lambda: empty_frame(MEASUREMENTS))
    sources: pl.DataFrame = field(default_factory=lambda: empty_frame(MEASUREMENT_SOURCES))

    def __post_init__(self) -> None:
        for table, frame in (
            (PROJECTS, self.projects),
            (BENEFITS, self.benefits),
            (MEASUREMENTS, self.measurements),
            (MEASUREMENT_SOURCES, self.sources),
        ):
            if frame.schema != table.schema:
                raise TypeError(
                    f"{table.name} frame does not match the contract: "
                    f"{dict(frame.schema)} != {dict(table.schema)}"
                )

    @property
    def kind(self) -> str:
        """A portfolio snapshot carries projects; otherwise it only adds measurements (or
        measurement sources)."""
        return "portfolio" if self.projects.height else "measurements"

    @property
    def counts(self) -> dict[str, int]:
        """Rows per table; measurement sources only when there are any (most uploads have
        none, and their summaries need not say so)."""
        counts = {
            "projects": self.projects.height,
            "benefits": self.benefits.height,
            "measurements": self.measurements.height,
        }
        if self.sources.height:
            counts["measurement_sources"] = self.sources.height
        return counts


EARLIEST_AS_OF = dt.date(1970, 1, 1)
# A day's grace past the server's date: an upload from a time zone already on tomorrow.
AS_OF_GRACE = dt.timedelta(days=1)


def as_of_problem(day: dt.date | None, today: dt.date) -> str | None:
    """Why `day` cannot be a snapshot's as-of date, or None. Any past date since 1970 is
    fine (exports of 2012 are real); a date to come is not, as a snapshot says what was
    seen on its day."""
    if day is None:
        return "Enter the date the snapshot describes (the as-of date)."
    if day < EARLIEST_AS_OF:
        return f"The as-of date {day.isoformat()} is before {EARLIEST_AS_OF.year}: check the year."
    if day > today + AS_OF_GRACE:
        return (
            f"The as-of date {day.isoformat()} is in the future: a snapshot describes the "
            f"portfolio as it was on a day that has come (today is {today.isoformat()})."
        )
    return None


MONEY_COLUMNS = ("budget", "forecast_cost", "actual_cost")


@dataclass(frozen=True)
class TypicalAmounts:
    """What a project of this portfolio costs: the median of each money column of one
    snapshot's projects (positive amounts only), to hold an upload's amounts against."""

    as_of: dt.date
    medians: dict[str, float]
