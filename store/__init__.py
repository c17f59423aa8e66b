"""The store: DuckDB (or DuckLake) behind one small interface.

Everything else talks to `Store`; nothing outside this package writes SQL.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.currency import deployment_currency
from domain.inputs import PortfolioInput
from domain.jira import JiraFrames, JiraInput, SyncRun
from domain.measure import MeasureRun, RunCommit
from domain.settings import Settings
from domain.snapshot import SnapshotFrames, TypicalAmounts
from store import history, measure_runs, reads
from store import jira as jira_store
from store import mappings as mapping_store
from store.core import Database, close_all, database
from store.errors import (
    StoreBusyError,
    StoreConflictError,
    StoreDamagedError,
    StoreError,
    StoreLockedError,
    StoreTooNewError,
    StoreUnavailableError,
)
from store.legacy import adopt_legacy_store
from store.preferences import preference, save_preference
from store.settings_store import load_settings, save_settings
from store.snapshots import (
    CommitResult,
    commit_snapshot,
    delete_snapshot,
    restore_snapshot,
    undelete_snapshot,
)
from store.sources import remove_sources, sources_in_force

DISPLAY_CURRENCY = "display_currency"


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
        currency: str | None = None,
    ) -> CommitResult:
        return commit_snapshot(
            self.db,
            frames,
            as_of=as_of,
            source=source,
            actor=actor,
            content_hash=content_hash,
            currency=currency,
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

    def save_mapping(
        self,
        source: str,
        text: str,
        actor: str | None = None,
        detail: dict[str, object] | None = None,
        headers: list[str] | None = None,
    ) -> bool:
        """Keep a column mapping (its TOML text) for a source, with the headers of the file
        it was made for; audited as `mapping` with `detail`. False when the source already
        had exactly this mapping (nothing written)."""
        return mapping_store.save_mapping(self.db, source, text, actor, detail, headers)

    def save_display_currency(self, code: str, actor: str | None = None) -> bool:
        """The currency of snapshots that record none; audited. False when unchanged."""
        return save_preference(self.db, DISPLAY_CURRENCY, code, actor)

    def commit_jira_sync(self, frames: JiraFrames, run: SyncRun, *, replace_all: bool) -> int:
        """Upsert a sync's issues and their status history, record the run; one transaction."""
        return jira_store.commit_sync(self.db, frames, run, replace_all=replace_all)

    def record_jira_failure(self, run: SyncRun) -> int:
        """Record a sync that stopped; no issue is touched."""
        return jira_store.record_failure(self.db, run)

    def commit_measure_run(self, run: MeasureRun) -> RunCommit:
        """Record a measurement run and commit its values, in one transaction."""
        return measure_runs.commit_run(self.db, run)

    def remove_measurement_sources(self, benefit_ids: list[str], actor: str | None = None) -> str:
        """Take these benefits' sources away (undoable: delete the snapshot it makes)."""
        return remove_sources(self.db, benefit_ids, actor)

    # Reads --------------------------------------------------------------------------
    def measurement_sources(self) -> pl.DataFrame:
        """The source in force of every benefit that has one (store/sources.py)."""
        return sources_in_force(self.db.cursor())

    def measure_runs(self, limit: int | None = None) -> pl.DataFrame:
        """Measurement runs, newest first."""
        return measure_runs.runs(self.db.cursor(), limit)

    def measure_results(self, benefit_ids: list[str] | None = None) -> pl.DataFrame:
        """What each source did in each run (value or error), newest run first."""
        return measure_runs.results(self.db.cursor(), benefit_ids)

    def measurement_provenance(self) -> pl.DataFrame:
        """Where each sourced measurement in force came from (per benefit and date)."""
        return measure_runs.provenance(self.db.cursor())

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

    def measurements(self, upto: dt.date | None = None, with_source: bool = True) -> pl.DataFrame:
        return reads.measurements(self.db.cursor(), upto, with_source)

    def settings(self) -> Settings:
        return load_settings(self.db)

    def audit_log(self, limit: int | None = None) -> pl.DataFrame:
        return reads.audit_log(self.db.cursor(), limit)

    def mapping_for(self, source: str) -> str | None:
        """The mapping text saved for a source (case and spaces ignored), or None."""
        return mapping_store.mapping_for(self.db.cursor(), source)

    def mapping_layouts(self) -> list[tuple[str, str, list[str]]]:
        """(source, mapping text, headers of its file) of mappings that know their file's
        headers, newest first."""
        return mapping_store.layouts(self.db.cursor())

    def display_currency(self) -> str | None:
        """The currency editors chose for snapshots that record none, or None."""
        return preference(self.db.cursor(), DISPLAY_CURRENCY)

    def snapshot_currency(self, as_of: dt.date | None = None) -> str | None:
        """The currency recorded with the snapshot shown as of a date, or None."""
        return reads.snapshot_currency(self.db.cursor(), as_of)

    def shown_currency(self, as_of: dt.date | None = None) -> str:
        """The currency the amounts as of a date are shown in: the snapshot's own, else
        the display currency, else the deployment's (domain/currency.py)."""
        return self.snapshot_currency(as_of) or self.display_currency() or deployment_currency()

    def mappings(self) -> pl.DataFrame:
        """Saved mappings: source, updated_at, updated_by; newest first."""
        return mapping_store.mappings(self.db.cursor())

    def generation(self) -> int:
        """Changes with every committed write, in this process or any other: the key of
        every cached read (one cheap catalog query)."""
        return self.db.generation()

    def is_empty(self) -> bool:
        return self.resolve_snapshot() is None

    def typical_amounts(self, as_of: dt.date) -> TypicalAmounts | None:
        """What a project of this portfolio costs, in the snapshot nearest to `as_of`."""
        return reads.typical_amounts(self.db.cursor(), as_of)

    def known_benefit_ids(self) -> pl.Series:
        return reads.known_benefit_ids(self.db.cursor())

    def measured_benefit_ids(self) -> pl.Series:
        return reads.measured_benefit_ids(self.db.cursor())

    def jira_sync_runs(self, limit: int | None = None) -> pl.DataFrame:
        """Jira sync runs, newest first (SYNC_RUN_SCHEMA)."""
        return jira_store.sync_runs(self.db.cursor(), limit)

    def jira_last_success(self, url: str, jql: str) -> tuple[int, dt.datetime] | None:
        """(sync id, watermark) of the last good sync of this Jira site and JQL."""
        return jira_store.last_success(self.db.cursor(), url, jql)

    def jira_issue_count(self) -> int:
        return jira_store.issue_count(self.db.cursor())

    def jira_children(self, parent_keys: list[str]) -> pl.DataFrame:
        """Child issues of the given epics/parents, with the `jira_key` they belong to."""
        return jira_store.children(self.db.cursor(), parent_keys)

    def jira_child_changes(self, parent_keys: list[str]) -> pl.DataFrame:
        """Status changes of those children."""
        return jira_store.child_changes(self.db.cursor(), parent_keys)

    def _jira_frames(self, projects: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame] | None:
        keys = projects.get_column("jira_key").drop_nulls().unique().sort().to_list()
        if not keys or self.jira_issue_count() == 0:
            return None
        return self.jira_children(keys), self.jira_child_changes(keys)

    def jira_input(self, as_of: dt.date | None = None) -> JiraInput | None:
        """What the Jira flow metrics read as of a date (the snapshot's Jira-linked
        projects, their child issues and those issues' status changes); None when
        there is no snapshot or no Jira issue for its projects."""
        ref = self.resolve_snapshot(as_of)
        if ref is None:
            return None
        projects = self.projects(ref[0]).drop("snapshot_id")
        frames = self._jira_frames(projects)
        if frames is None:
            return None
        linked = projects.filter(pl.col("jira_key").is_not_null())
        return JiraInput(as_of or ref[1], linked.lazy(), frames[0].lazy(), frames[1].lazy())

    def portfolio_input(
        self, as_of: dt.date | None = None, measurements: pl.DataFrame | None = None
    ) -> PortfolioInput | None:
        """The inputs of every metric as of a date: the latest snapshot on or before it,
        the measurements dated on or before it, and the child issues and status changes of
        its Jira-linked projects (resolved as of the date by metrics.jira.with_jira_as_of).
        None when there is no such snapshot.

        `measurements`, the whole series read once (`measurements(with_source=False)`),
        spares a read per date when several dates are evaluated (trends, reviews)."""
        ref = self.resolve_snapshot(as_of)
        if ref is None:
            return None
        snapshot_id, snapshot_as_of = ref
        a = as_of or snapshot_as_of
        projects = self.projects(snapshot_id).drop("snapshot_id")
        frames = self._jira_frames(projects)
        series = (
            measurements.lazy().filter(pl.col("measured_at") <= a)
            if measurements is not None
            else self.measurements(upto=a, with_source=False).lazy()
        )
        return PortfolioInput(
            as_of=a,
            snapshot_id=snapshot_id,
            snapshot_as_of=snapshot_as_of,
            projects=projects.lazy(),
            benefits=self.benefits(snapshot_id).drop("snapshot_id").lazy(),
            measurements=series,
            jira_issues=frames[0].lazy() if frames else None,
            jira_changes=frames[1].lazy() if frames else None,
        )


def open_store(url: str | None = None) -> Store:
    """The store at --db / COCKPIT_DB / the default (data/cockpit.sqlite), opened once per
    process. The first release's default store, data/cockpit.duckdb, is moved into the
    default store the first time that is opened (store/legacy.py)."""
    return Store(database(url, on_first_open=adopt_legacy_store))


__all__ = [
    "CommitResult",
    "MeasureRun",
    "RunCommit",
    "Store",
    "StoreBusyError",
    "StoreConflictError",
    "StoreDamagedError",
    "StoreError",
    "StoreLockedError",
    "StoreTooNewError",
    "StoreUnavailableError",
    "close_all",
    "open_store",
]
