"""A validated snapshot: the frames a connector hands to the store."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS, empty_frame


@dataclass(frozen=True)
class SnapshotFrames:
    """Projects, benefits and measurements already checked against the contract.

    Columns and types are exactly those of domain.contract; the store trusts them.
    """

    projects: pl.DataFrame = field(default_factory=lambda: empty_frame(PROJECTS))
    benefits: pl.DataFrame = field(default_factory=lambda: empty_frame(BENEFITS))
    measurements: pl.DataFrame = field(default_factory=lambda: empty_frame(MEASUREMENTS))

    def __post_init__(self) -> None:
        for table, frame in (
            (PROJECTS, self.projects),
            (BENEFITS, self.benefits),
            (MEASUREMENTS, self.measurements),
        ):
            if frame.schema != table.schema:
                raise TypeError(
                    f"{table.name} frame does not match the contract: "
                    f"{dict(frame.schema)} != {dict(table.schema)}"
                )

    @property
    def kind(self) -> str:
        """A portfolio snapshot carries projects; otherwise it only adds measurements."""
        return "portfolio" if self.projects.height else "measurements"

    @property
    def counts(self) -> dict[str, int]:
        return {
            "projects": self.projects.height,
            "benefits": self.benefits.height,
            "measurements": self.measurements.height,
        }
