"""Measurement sources: defined by uploads (like measurements, they belong to the snapshot
that brought them), the newest definition of a benefit in a snapshot not deleted in force.

Deleting the upload that changed a source therefore brings the earlier definition back,
and restoring it undoes that. Every definition that changes what is in force is in the
audit log (the query as a hash: the definition itself stays in its snapshot).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl

from domain.contract import MEASUREMENT_SOURCES
from store.audit import record, utc_now
from store.core import Database, Unchanged, next_id
from store.cursor import Cursor

SOURCE_SCHEMA = pl.Schema(
    {
        **dict(MEASUREMENT_SOURCES.schema),
        "query_hash": pl.String(),  # as domain.measure.query_hash computes it
        "defined_in": pl.Int64(),
        "defined_at": pl.Datetime("us"),
    }
)

# The definition in force per benefit (removed ones included, to be filtered by the caller).
IN_FORCE = """
    SELECT d.*, s.created_at AS defined_at
    FROM measurement_sources d JOIN snapshots s USING (snapshot_id)
    WHERE s.state <> 'deleted'
    QUALIFY row_number() OVER (PARTITION BY d.benefit_id ORDER BY d.snapshot_id DESC) = 1
"""
_COLUMNS = ", ".join(MEASUREMENT_SOURCES.names)
_DIFFERS = " OR ".join(
    f"n.{c} IS DISTINCT FROM e.{c}" for c in MEASUREMENT_SOURCES.names if c != "benefit_id"
)


def insert_sources(
    cur: Cursor,
    snapshot_id: int,
    frame: pl.DataFrame,
    actor: str | None,
    at: dt.datetime,
    *,
    removed: bool = False,
) -> int:
    """Store the definitions of `frame` with the snapshot, auditing each one that changes
    what is in force (`measurement_source`, or `measurement_source_removed`); returns
    how many changed."""
    if frame.height == 0:
        return 0
    cur.register("incoming_sources", frame.select(MEASUREMENT_SOURCES.names))
    try:
        action = "measurement_source_removed" if removed else "measurement_source"
        changed = cur.execute(
            f"""
            WITH effective AS ({IN_FORCE})
            INSERT INTO audit_log
            SELECT ?, ?, ?, n.benefit_id,
                   json_object('kind', n.kind, 'connection', n.connection,
                               'query_hash', left(sha256(n.query), 16),
                               'schedule', n.schedule, 'snapshot', ?::BIGINT,
                               'was', CASE WHEN e.benefit_id IS NULL OR e.removed THEN NULL
                                      ELSE left(sha256(e.query), 16) END)::VARCHAR
            FROM incoming_sources n LEFT JOIN effective e USING (benefit_id)
            WHERE {
                "e.benefit_id IS NOT NULL AND NOT e.removed"
                if removed
                else f"e.benefit_id IS NULL OR e.removed OR {_DIFFERS}"
            }
            """,
            [at, actor, action, snapshot_id],
        ).fetchone()
        # Column names come from the contract, never from input; values are parameters.
        cur.execute(
            f"INSERT INTO measurement_sources (snapshot_id, {_COLUMNS}, removed) "
            f"SELECT ?, {_COLUMNS}, ? FROM incoming_sources",
            [snapshot_id, removed],
        )
    finally:
        cur.unregister("incoming_sources")
    return int(changed[0]) if changed and changed[0] is not None else 0


def sources_in_force(cur: Cursor) -> pl.DataFrame:
    """The source of every benefit that has one (and is in a snapshot not deleted), with
    the snapshot that defined it and when; by benefit."""
    result = cur.execute(
        f"""
        SELECT {_COLUMNS}, left(sha256(query), 16) AS query_hash,
               snapshot_id AS defined_in, defined_at
        FROM ({IN_FORCE})
        WHERE NOT removed AND benefit_id IN (
            SELECT b.benefit_id FROM benefits b JOIN snapshots s USING (snapshot_id)
            WHERE s.state <> 'deleted')
        ORDER BY benefit_id
        """
    ).pl()
    if result.height == 0:
        return pl.DataFrame(schema=SOURCE_SCHEMA)
    return result.select([pl.col(n).cast(t) for n, t in SOURCE_SCHEMA.items()])


def remove_sources(db: Database, benefit_ids: list[str], actor: str | None) -> str:
    """Take the sources of these benefits away, in a snapshot of their own (deleting that
    snapshot undoes it); audited per benefit. Benefits without a source are skipped."""

    def remove(cur: Cursor) -> str | Unchanged[str]:
        current = sources_in_force(cur).filter(pl.col("benefit_id").is_in(benefit_ids))
        if current.height == 0:
            return Unchanged("None of these benefits has a source; nothing was changed.")
        at = utc_now()
        snapshot_id = next_id(cur, "last_snapshot_id")
        cur.execute(
            "INSERT INTO snapshots (snapshot_id, as_of, kind, state, source, content_hash, "
            "created_at, created_by, n_projects, n_benefits, n_measurements, replaces, "
            "currency) VALUES (?, ?, 'measurements', 'active', ?, ?, ?, ?, 0, 0, 0, NULL, NULL)",
            [
                snapshot_id,
                at.date(),
                "sources removed",
                hashlib.sha256(f"sources removed #{snapshot_id}".encode()).hexdigest(),
                at,
                actor,
            ],
        )
        insert_sources(
            cur, snapshot_id, current.select(MEASUREMENT_SOURCES.names), actor, at, removed=True
        )
        record(
            cur,
            actor,
            "upload",
            f"snapshot #{snapshot_id}",
            {"kind": "measurements", "source": "sources removed", "removed": current.height},
            at=at,
        )
        return (
            f"The source of {current.height} benefit(s) was removed (snapshot #{snapshot_id}; "
            "delete it to undo)."
        )

    return db.write(remove)
