"""Column mappings, one per source: the text of a mapping file, kept so the next upload of
that source is read the same way. The store keeps the text as given; connectors parse it.

Sources match whatever their case and surrounding spaces (`GMPP` and ` gmpp `), since
people retype them.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from store.audit import record
from store.core import Database

MAPPINGS_SCHEMA = pl.Schema(
    {"source": pl.String(), "updated_at": pl.Datetime("us"), "updated_by": pl.String()}
)


def _key(source: str) -> str:
    return source.strip().lower()


def _current(cur: duckdb.DuckDBPyConnection, source: str) -> str | None:
    row = cur.execute(
        "SELECT mapping FROM mappings WHERE lower(trim(source)) = ? "
        "ORDER BY updated_at DESC LIMIT 1",
        [_key(source)],
    ).fetchone()
    return str(row[0]) if row else None


def save_mapping(
    db: Database,
    source: str,
    text: str,
    actor: str | None,
    detail: dict[str, object] | None = None,
) -> bool:
    """Keep `text` as the mapping of `source`; False when it was already exactly that.
    `detail` (what the mapping fills, say) goes to the audit log with it."""
    if not source.strip():
        raise ValueError("a mapping is saved under a source name; the name is empty")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with db.transaction() as cur:
        old = _current(cur, source)
        if old == text:
            return False
        cur.execute("DELETE FROM mappings WHERE lower(trim(source)) = ?", [_key(source)])
        cur.execute("INSERT INTO mappings VALUES (?, ?, ?, ?)", [source.strip(), text, now, actor])
        record(
            cur,
            actor,
            "mapping",
            source.strip(),
            {**(detail or {}), "replaced": old is not None},
            at=now,
        )
    return True


def mapping_for(cur: duckdb.DuckDBPyConnection, source: str) -> str | None:
    """The saved mapping text of a source, or None."""
    return _current(cur, source) if source.strip() else None


def mappings(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every saved mapping's source, when and by whom, newest first (no text)."""
    frame = cur.execute(
        "SELECT source, updated_at, updated_by FROM mappings ORDER BY updated_at DESC, source"
    ).pl()
    if frame.height == 0:
        return pl.DataFrame(schema=MAPPINGS_SCHEMA)
    return frame.select([pl.col(n).cast(t) for n, t in MAPPINGS_SCHEMA.items()])
