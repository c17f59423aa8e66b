"""Writing snapshots: commit whole or not at all, supersede, restore, delete, audit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS, Table
from domain.snapshot import SnapshotFrames
from store.audit import record, utc_now
from store.core import Database, Unchanged, next_id
from store.cursor import Cursor
from store.errors import StoreConflictError
from store.sources import insert_sources


@dataclass(frozen=True)
class CommitResult:
    """What a commit did, in terms a summary line can use."""

    snapshot_id: int
    as_of: dt.date
    kind: str
    noop: bool
    superseded: int | None
    counts: dict[str, int]
    replaced_measurements: int

    @property
    def message(self) -> str:
        if self.noop:
            return (
                f"Nothing to do: this content is already loaded as snapshot #{self.snapshot_id} "
                f"(as of {self.as_of.isoformat()})."
            )
        parts = ", ".join(
            f"{n:,} {table[:-1] if n == 1 else table}" for table, n in self.counts.items() if n
        )
        text = (
            f"Snapshot #{self.snapshot_id} as of {self.as_of.isoformat()} committed: "
            f"{parts or 'no rows'}."
        )
        if self.superseded:
            text += f" It supersedes snapshot #{self.superseded} (kept, restorable)."
        if self.replaced_measurements:
            text += (
                f" {self.replaced_measurements} earlier measurement value(s) replaced "
                "(the old values are in the audit log)."
            )
        return text


def insert_rows(cur: Cursor, table: Table, snapshot_id: int, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    view = f"incoming_{table.name}"
    cols = ", ".join(table.names)
    cur.register(view, frame.select(table.names))
    try:
        # Identifiers come from the contract, never from input; values go as parameters.
        cur.execute(
            f"INSERT INTO {table.name} (snapshot_id, {cols}) SELECT ?, {cols} FROM {view}",
            [snapshot_id],
        )
    finally:
        cur.unregister(view)


def _active_portfolio(cur: Cursor, as_of: dt.date) -> tuple[int, str] | None:
    row = cur.execute(
        "SELECT snapshot_id, content_hash FROM snapshots "
        "WHERE kind = 'portfolio' AND state = 'active' AND as_of = ? "
        "ORDER BY snapshot_id DESC LIMIT 1",
        [as_of],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def record_replaced_measurements(
    cur: Cursor, frame: pl.DataFrame, actor: str | None, now: dt.datetime
) -> int:
    """Log every stored measurement value the incoming batch replaces (later upload wins)."""
    if frame.height == 0:
        return 0
    cur.register("incoming_values", frame.select("benefit_id", "measured_at", "value"))
    try:
        replaced = cur.execute(
            """
            WITH effective AS (
                SELECT m.benefit_id, m.measured_at, m.value, m.snapshot_id
                FROM measurements m JOIN snapshots s USING (snapshot_id)
                WHERE s.state <> 'deleted'
                  AND m.benefit_id IN (SELECT DISTINCT benefit_id FROM incoming_values)
                QUALIFY row_number() OVER (
                    PARTITION BY m.benefit_id, m.measured_at ORDER BY m.snapshot_id DESC) = 1
            )
            INSERT INTO audit_log
            SELECT ?, ?, 'measurement_replaced',
                   e.benefit_id || ' @ ' || strftime(e.measured_at, '%Y-%m-%d'),
                   json_object('old_value', e.value, 'new_value', n.value,
                               'old_snapshot', e.snapshot_id)::VARCHAR
            FROM effective e JOIN incoming_values n USING (benefit_id, measured_at)
            WHERE e.value IS DISTINCT FROM n.value
            """,
            [now, actor],
        ).fetchone()
    finally:
        cur.unregister("incoming_values")
    return int(replaced[0]) if replaced and replaced[0] is not None else 0


def _check_references(cur: Cursor, frames: SnapshotFrames) -> None:
    """Measurements and measurement sources must refer to a benefit of this upload or of a
    snapshot still in the store. Checked inside the commit's transaction: another user may
    have deleted that snapshot since the upload was validated."""
    if frames.measurements.height == 0 and frames.sources.height == 0:
        return
    refs = pl.concat(
        [frames.measurements.select("benefit_id"), frames.sources.select("benefit_id")]
    )
    cur.register("incoming_refs", refs.unique())
    cur.register("incoming_benefits", frames.benefits.select("benefit_id"))
    try:
        row = cur.execute(
            """
            SELECT count(*), min(r.benefit_id) FROM incoming_refs r
            WHERE r.benefit_id NOT IN (SELECT benefit_id FROM incoming_benefits)
              AND r.benefit_id NOT IN (
                  SELECT b.benefit_id FROM benefits b JOIN snapshots s USING (snapshot_id)
                  WHERE s.state <> 'deleted')
            """
        ).fetchone()
    finally:
        cur.unregister("incoming_refs")
        cur.unregister("incoming_benefits")
    if row and row[0]:
        raise StoreConflictError(
            f"{row[0]} benefit(s) the measurements or sources refer to (such as {row[1]}) are "
            "no longer in the store; check the upload again."
        )


def commit_snapshot(
    db: Database,
    frames: SnapshotFrames,
    *,
    as_of: dt.date,
    source: str | None,
    actor: str | None,
    content_hash: str,
    currency: str | None = None,
) -> CommitResult:
    """Commit a validated snapshot in one transaction, with the currency its amounts are
    in (None: not known, shown in the display currency).

    The same content for the same as-of date again is a no-op; other content for that
    date supersedes the active snapshot, which stays restorable.
    """
    kind = frames.kind
    now = utc_now()

    def commit(cur: Cursor) -> CommitResult | Unchanged[CommitResult]:
        active = _active_portfolio(cur, as_of) if kind == "portfolio" else None
        duplicate = cur.execute(
            "SELECT snapshot_id FROM snapshots WHERE kind = ? AND state = 'active' "
            "AND as_of = ? AND content_hash = ? ORDER BY snapshot_id DESC LIMIT 1",
            [kind, as_of, content_hash],
        ).fetchone()
        if duplicate:
            return Unchanged(
                CommitResult(int(duplicate[0]), as_of, kind, True, None, frames.counts, 0)
            )

        _check_references(cur, frames)
        snapshot_id = next_id(cur, "last_snapshot_id")
        replaced = record_replaced_measurements(cur, frames.measurements, actor, now)
        counts = frames.counts
        cur.execute(
            "INSERT INTO snapshots (snapshot_id, as_of, kind, state, source, content_hash, "
            "created_at, created_by, n_projects, n_benefits, n_measurements, replaces, "
            "currency) VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                snapshot_id,
                as_of,
                kind,
                source,
                content_hash,
                now,
                actor,
                counts["projects"],
                counts["benefits"],
                counts["measurements"],
                active[0] if active else None,
                currency,
            ],
        )
        insert_rows(cur, PROJECTS, snapshot_id, frames.projects)
        insert_rows(cur, BENEFITS, snapshot_id, frames.benefits)
        insert_rows(cur, MEASUREMENTS, snapshot_id, frames.measurements)
        insert_sources(cur, snapshot_id, frames.sources, actor, now)
        if active:
            cur.execute(
                "UPDATE snapshots SET state = 'superseded' WHERE snapshot_id = ?", [active[0]]
            )
        detail = {
            "as_of": as_of.isoformat(),
            "kind": kind,
            "source": source,
            "currency": currency,
            **counts,
        }
        if active:
            detail["supersedes"] = active[0]
        record(cur, actor, "upload", f"snapshot #{snapshot_id}", detail, at=now)
        if active:
            record(
                cur,
                actor,
                "supersede",
                f"snapshot #{active[0]}",
                {"superseded_by": snapshot_id, "as_of": as_of.isoformat()},
                at=now,
            )
        return CommitResult(
            snapshot_id, as_of, kind, False, active[0] if active else None, counts, replaced
        )

    return db.write(commit)


def _snapshot_row(cur: Cursor, snapshot_id: int) -> tuple[dt.date, str, str]:
    row = cur.execute(
        "SELECT as_of, kind, state FROM snapshots WHERE snapshot_id = ?", [snapshot_id]
    ).fetchone()
    if row is None:
        raise KeyError(f"There is no snapshot #{snapshot_id}.")
    return row[0], row[1], row[2]


def _make_active(
    cur: Cursor, snapshot_id: int, kind: str, as_of: dt.date, state: str
) -> int | None:
    """Give the snapshot `state`; an active portfolio snapshot displaces the one active
    for its date, which becomes superseded. Returns the displaced snapshot's id."""
    displaced = None
    if state == "active" and kind == "portfolio":
        current = _active_portfolio(cur, as_of)
        if current and current[0] != snapshot_id:
            displaced = current[0]
            cur.execute(
                "UPDATE snapshots SET state = 'superseded' WHERE snapshot_id = ?", [displaced]
            )
    cur.execute("UPDATE snapshots SET state = ? WHERE snapshot_id = ?", [state, snapshot_id])
    return displaced


def restore_snapshot(db: Database, snapshot_id: int, actor: str | None) -> str:
    """Make a superseded or deleted snapshot the active one for its date again."""

    def restore(cur: Cursor) -> str | Unchanged[str]:
        as_of, kind, state = _snapshot_row(cur, snapshot_id)
        if state == "active":
            return Unchanged(f"Snapshot #{snapshot_id} is already active.")
        displaced = _make_active(cur, snapshot_id, kind, as_of, "active")
        record(
            cur,
            actor,
            "restore",
            f"snapshot #{snapshot_id}",
            {"as_of": as_of.isoformat(), "was": state, "displaced": displaced},
        )
        text = f"Snapshot #{snapshot_id} (as of {as_of.isoformat()}) is active again."
        if displaced:
            text += f" Snapshot #{displaced} is now superseded (restorable)."
        return text

    return db.write(restore)


def delete_snapshot(db: Database, snapshot_id: int, actor: str | None) -> str:
    """Hide a snapshot and its measurements; nothing is erased, so it can be restored."""

    def delete(cur: Cursor) -> str | Unchanged[str]:
        as_of, _kind, state = _snapshot_row(cur, snapshot_id)
        if state == "deleted":
            return Unchanged(f"Snapshot #{snapshot_id} is already deleted.")
        cur.execute("UPDATE snapshots SET state = 'deleted' WHERE snapshot_id = ?", [snapshot_id])
        record(
            cur,
            actor,
            "delete",
            f"snapshot #{snapshot_id}",
            {"as_of": as_of.isoformat(), "was": state},
        )
        return f"Snapshot #{snapshot_id} (as of {as_of.isoformat()}) deleted. Restore it to undo."

    return db.write(delete)


def undelete_snapshot(db: Database, snapshot_id: int, actor: str | None) -> str:
    """Undo a delete: the snapshot gets back the state it had (an active one displaces
    whatever became active for its date meanwhile)."""

    def undelete(cur: Cursor) -> str | Unchanged[str]:
        as_of, kind, state = _snapshot_row(cur, snapshot_id)
        if state != "deleted":
            return Unchanged(f"Snapshot #{snapshot_id} is not deleted.")
        row = cur.execute(
            "SELECT json_extract_string(detail, '$.was') FROM audit_log "
            "WHERE action = 'delete' AND target = ? ORDER BY changed_at DESC, rowid DESC LIMIT 1",
            [f"snapshot #{snapshot_id}"],
        ).fetchone()
        was = row[0] if row and row[0] in ("active", "superseded") else "active"
        displaced = _make_active(cur, snapshot_id, kind, as_of, was)
        record(
            cur,
            actor,
            "undelete",
            f"snapshot #{snapshot_id}",
            {"as_of": as_of.isoformat(), "state": was, "displaced": displaced},
        )
        return f"Snapshot #{snapshot_id} (as of {as_of.isoformat()}) is back ({was})."

    return db.write(undelete)
