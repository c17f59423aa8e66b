"""Snapshot history: every snapshot with what changed since the one before it.

"The one before" a portfolio snapshot is the snapshot it replaced (a re-upload of the
same date shows what the correction changed), else the active portfolio snapshot of the
latest earlier date. Measurements count as new or replaced against every earlier upload,
as they were at upload time.
"""

from __future__ import annotations

import polars as pl

from domain.contract import BENEFITS, PROJECTS, Table
from store.cursor import Cursor
from store.reads import SNAPSHOT_SCHEMA, _frame

HISTORY_SCHEMA = pl.Schema(
    {
        **dict(SNAPSHOT_SCHEMA),
        "compared_with": pl.Int64(),
        "projects_added": pl.Int64(),
        "projects_removed": pl.Int64(),
        "projects_changed": pl.Int64(),
        "benefits_added": pl.Int64(),
        "benefits_removed": pl.Int64(),
        "benefits_changed": pl.Int64(),
        "measurements_new": pl.Int64(),
        "measurements_replaced": pl.Int64(),
    }
)

CHANGES_SCHEMA = pl.Schema(
    {
        "table": pl.String(),
        "id": pl.String(),
        "label": pl.String(),
        "change": pl.String(),
        "columns": pl.String(),
    }
)

_PAIRS = """
    pairs AS (
        SELECT s.snapshot_id,
               CASE WHEN s.kind = 'portfolio' THEN coalesce(s.replaces, (
                   SELECT p.snapshot_id FROM snapshots p
                   WHERE p.kind = 'portfolio' AND p.state = 'active' AND p.as_of < s.as_of
                   ORDER BY p.as_of DESC, p.snapshot_id DESC LIMIT 1)) END AS previous_id
        FROM snapshots s
        WHERE ?::BIGINT IS NULL OR s.snapshot_id = ?::BIGINT
    )
"""


def _differs(table: Table) -> str:
    """SQL: a row of `c` (current) differs from `p` (previous) in any non-key column."""
    # Identifiers come from the contract, never from input.
    return " OR ".join(f"c.{n} IS DISTINCT FROM p.{n}" for n in table.names if n not in table.key)


def _sides(table: Table) -> str:
    key = table.key[0]
    return f"""
    cur_{table.name} AS (
        SELECT pr.snapshot_id AS sid, x.* EXCLUDE (snapshot_id)
        FROM pairs pr JOIN {table.name} x ON x.snapshot_id = pr.snapshot_id),
    prev_{table.name} AS (
        SELECT pr.snapshot_id AS sid, x.* EXCLUDE (snapshot_id)
        FROM pairs pr JOIN {table.name} x ON x.snapshot_id = pr.previous_id),
    joined_{table.name} AS (
        SELECT coalesce(c.sid, p.sid) AS sid, c.{key} AS cur_key, p.{key} AS prev_key,
               c.{key} IS NOT NULL AND p.{key} IS NOT NULL AND ({_differs(table)}) AS changed
        FROM cur_{table.name} c FULL JOIN prev_{table.name} p
          ON c.sid = p.sid AND c.{key} = p.{key}),
    diff_{table.name} AS (
        SELECT sid,
               count(*) FILTER (WHERE prev_key IS NULL) AS added,
               count(*) FILTER (WHERE cur_key IS NULL) AS removed,
               count(*) FILTER (WHERE changed) AS changed
        FROM joined_{table.name} GROUP BY sid)
    """


def snapshot_history(cur: Cursor) -> pl.DataFrame:
    """Every snapshot, newest first, with its changes against the one before it."""
    cols = ", ".join(f"s.{c}" for c in SNAPSHOT_SCHEMA.names())
    sql = f"""
    WITH {_PAIRS},
    {_sides(PROJECTS)},
    {_sides(BENEFITS)},
    series AS (
        SELECT snapshot_id, value,
               lag(value) OVER w AS earlier_value,
               lag(snapshot_id) OVER w AS earlier_snapshot
        FROM measurements
        WINDOW w AS (PARTITION BY benefit_id, measured_at ORDER BY snapshot_id)),
    meas AS (
        SELECT snapshot_id,
               count(*) FILTER (WHERE earlier_snapshot IS NULL) AS new,
               count(*) FILTER (WHERE earlier_snapshot IS NOT NULL
                                AND value IS DISTINCT FROM earlier_value) AS replaced
        FROM series GROUP BY snapshot_id)
    SELECT {cols}, pr.previous_id AS compared_with,
           dp.added AS projects_added, dp.removed AS projects_removed,
           dp.changed AS projects_changed,
           db.added AS benefits_added, db.removed AS benefits_removed,
           db.changed AS benefits_changed,
           coalesce(m.new, 0) AS measurements_new, coalesce(m.replaced, 0) AS measurements_replaced
    FROM snapshots s
    JOIN pairs pr USING (snapshot_id)
    LEFT JOIN diff_projects dp ON dp.sid = s.snapshot_id
    LEFT JOIN diff_benefits db ON db.sid = s.snapshot_id
    LEFT JOIN meas m ON m.snapshot_id = s.snapshot_id
    ORDER BY s.snapshot_id DESC
    """
    frame = _frame(cur, sql, [None, None], HISTORY_SCHEMA)
    portfolio = pl.col("kind") == "portfolio"
    counts = [n for n in HISTORY_SCHEMA.names() if n.startswith(("projects_", "benefits_"))]
    # A portfolio snapshot with nothing on one side still has zero changes, not unknown ones.
    return frame.with_columns(
        [pl.when(portfolio).then(pl.col(n).fill_null(0)).alias(n) for n in counts]
    )


def _detail(table: Table, label: str) -> str:
    key = table.key[0]
    differing = ", ".join(
        f"CASE WHEN c.{n} IS DISTINCT FROM p.{n} THEN '{n}' END"
        for n in table.names
        if n not in table.key
    )
    return f"""
    SELECT '{table.name}' AS "table", coalesce(c.{key}, p.{key}) AS id,
           coalesce(c.{label}, p.{label}) AS label,
           CASE WHEN p.{key} IS NULL THEN 'added' WHEN c.{key} IS NULL THEN 'removed'
                ELSE 'changed' END AS change,
           CASE WHEN c.{key} IS NOT NULL AND p.{key} IS NOT NULL
                THEN concat_ws(', ', {differing}) END AS columns
    FROM cur_{table.name} c FULL JOIN prev_{table.name} p
      ON c.sid = p.sid AND c.{key} = p.{key}
    WHERE p.{key} IS NULL OR c.{key} IS NULL OR ({_differs(table)})
    """


def snapshot_changes(cur: Cursor, snapshot_id: int) -> pl.DataFrame:
    """Projects and benefits added, removed or changed (with the columns that changed) in
    one snapshot against the one before it."""
    sql = f"""
    WITH {_PAIRS},
    {_sides(PROJECTS)},
    {_sides(BENEFITS)}
    {_detail(PROJECTS, "name")}
    UNION ALL
    {_detail(BENEFITS, "kpi")}
    ORDER BY "table" DESC, change, id
    """
    return _frame(cur, sql, [snapshot_id, snapshot_id], CHANGES_SCHEMA)
