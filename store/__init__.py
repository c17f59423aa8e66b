"""The store: DuckDB (or DuckLake) behind one small interface.

Everything else talks to `Store`; nothing outside this package writes SQL.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.inputs import PortfolioInput
from domain.settings import Settings
from domain.snapshot import SnapshotFrames
from store import history, reads
from store.core import Database, close_all, database
from store.errors import (
    StoreConflictError,
    StoreDamagedError,
    StoreError,
    StoreLockedError,
    StoreTooNewError,
)
from store.settings_store import load_settings, save_settings
from store.snapshots import (
    CommitResult,
    commit_snapshot,
    delete_snapshot,
    restore_snapshot,
    undelete_snapshot,
)


class Store:
    """Snapshots, measurements, settings and the audit log of one store URL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def url(self) -> str:
        return self.db.url

    @property
    def name(self) -> str:
        return self.db.name

    # Writes -------------------------------------------------------------------------
    def commit_snapshot(
        self,
        frames: SnapshotFrames,
        *,
        as_of: dt.date,
        content_hash: str,
        source: str | None = None,
        actor: str | None = None,
    ) -> CommitResult:
        return commit_snapshot(
            self.db, frames, as_of=as_of, source=source, actor=actor, content_hash=content_hash
        )

    def restore_snapshot(self, snapshot_id: int, actor: str | None = None) -> str:
        return restore_snapshot(self.db, snapshot_id, actor)

    def delete_snapshot(self, snapshot_id: int, actor: str | None = None) -> str:
        return delete_snapshot(self.db, snapshot_id, actor)

    def undelete_snapshot(self, snapshot_id: int, actor: str | None = None) -> str:
        """Undo a delete, back to the state the snapshot had before it."""
        return undelete_snapshot(self.db, snapshot_id, actor)

    def save_settings(self, settings: Settings, actor: str | None = None) -> Settings:
        return save_settings(self.db, settings, actor)

    # Reads --------------------------------------------------------------------------
    def snapshots(self) -> pl.DataFrame:
        return reads.snapshots(self.db.cursor())

    def snapshot_history(self) -> pl.DataFrame:
        """Every snapshot, newest first, with what changed since the one before it."""
        return history.snapshot_history(self.db.cursor())

    def snapshot_changes(self, snapshot_id: int) -> pl.DataFrame:
        """Projects and benefits added, removed or changed by one snapshot."""
        return history.snapshot_changes(self.db.cursor(), snapshot_id)

    def portfolio_snapshots(self) -> pl.DataFrame:
        return reads.active_portfolio_snapshots(self.db.cursor())

    def resolve_snapshot(self, as_of: dt.date | None = None) -> tuple[int, dt.date] | None:
        return reads.resolve_snapshot(self.db.cursor(), as_of)

    def projects(self, *snapshot_ids: int) -> pl.DataFrame:
        return reads.projects(self.db.cursor(), snapshot_ids)

    def benefits(self, *snapshot_ids: int) -> pl.DataFrame:
        return reads.benefits(self.db.cursor(), snapshot_ids)

    def measurements(self, upto: dt.date | None = None) -> pl.DataFrame:
        return reads.measurements(self.db.cursor(), upto)

    def settings(self) -> Settings:
        return load_settings(self.db)

    def audit_log(self, limit: int | None = None) -> pl.DataFrame:
        return reads.audit_log(self.db.cursor(), limit)

    def generation(self) -> int:
        return reads.generation(self.db.cursor())

    def is_empty(self) -> bool:
        return self.resolve_snapshot() is None

    def known_benefit_ids(self) -> pl.Series:
        return reads.known_benefit_ids(self.db.cursor())

    def measured_benefit_ids(self) -> pl.Series:
        return reads.measured_benefit_ids(self.db.cursor())

    def portfolio_input(self, as_of: dt.date | None = None) -> PortfolioInput | None:
        """The inputs of every metric as of a date: the latest snapshot on or before it
        and the measurements dated on or before it. None when there is no such snapshot."""
        ref = self.resolve_snapshot(as_of)
        if ref is None:
            return None
        snapshot_id, snapshot_as_of = ref
        a = as_of or snapshot_as_of
        return PortfolioInput(
            as_of=a,
            snapshot_id=snapshot_id,
            snapshot_as_of=snapshot_as_of,
            projects=self.projects(snapshot_id).drop("snapshot_id").lazy(),
            benefits=self.benefits(snapshot_id).drop("snapshot_id").lazy(),
            measurements=self.measurements(upto=a).lazy(),
        )


def open_store(url: str | None = None) -> Store:
    """The store at --db / COCKPIT_DB / data/cockpit.duckdb, opened once per process."""
    return Store(database(url))


__all__ = [
    "CommitResult",
    "Store",
    "StoreConflictError",
    "StoreDamagedError",
    "StoreError",
    "StoreLockedError",
    "StoreTooNewError",
    "close_all",
    "open_store",
]
