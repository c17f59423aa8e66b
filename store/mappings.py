"""Column mappings, one per source: the text of a mapping file, kept so the next upload of
that source is read the same way. The store keeps the text as given; connectors parse it.

Sources match whatever their case and surrounding spaces (`GMPP` and ` gmpp `), since
people retype them.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from store.audit import record
from store.core import Database, Unchanged
from store.cursor import Cursor

MAPPINGS_SCHEMA = pl.Schema(
    {"source": pl.String(), "updated_at": pl.Datetime("us"), "updated_by": pl.String()}
)


def _key(source: str) -> str:
    return source.strip().lower()


def _current(cur: Cursor, source: str) -> tuple[str | None, str | None]:
    """(mapping text, headers JSON) saved for a source; (None, None) when none is."""
    row = cur.execute(
        "SELECT mapping, headers FROM mappings WHERE lower(trim(source)) = ? "
        "ORDER BY updated_at DESC LIMIT 1",
        [_key(source)],
    ).fetchone()
    if row is None:
        return None, None
    return str(row[0]), (str(row[1]) if row[1] is not None else None)


def save_mapping(
    db: Database,
    source: str,
    text: str,
    actor: str | None,
    detail: dict[str, object] | None = None,
    headers: list[str] | None = None,
) -> bool:
    """Keep `text` as the mapping of `source`; False when it was already exactly that
    (for the same headers). `detail` (what the mapping fills, say) goes to the audit log
    with it; `headers`, the header row of the file it was made for, lets a file of the
    same layout under another name find it again."""
    if not source.strip():
        raise ValueError("a mapping is saved under a source name; the name is empty")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    layout = json.dumps(headers) if headers is not None else None

    def save(cur: Cursor) -> bool | Unchanged[bool]:
        old, known = _current(cur, source)
        if old == text and (layout is None or layout == known):
            return Unchanged(False)
        cur.execute("DELETE FROM mappings WHERE lower(trim(source)) = ?", [_key(source)])
        cur.execute(
            "INSERT INTO mappings (source, mapping, updated_at, updated_by, headers) "
            "VALUES (?, ?, ?, ?, ?)",
            [source.strip(), text, now, actor, layout or known],
        )
        record(
            cur,
            actor,
            "mapping",
            source.strip(),
            {**(detail or {}), "replaced": old is not None},
            at=now,
        )
        return True

    return db.write(save)


def layouts(cur: Cursor) -> list[tuple[str, str, list[str]]]:
    """(source, mapping text, headers) of every saved mapping that knows its file's
    headers, newest first."""
    rows = cur.execute(
        "SELECT source, mapping, headers FROM mappings WHERE headers IS NOT NULL "
        "ORDER BY updated_at DESC, source"
    ).fetchall()
    return [(str(s), str(m), [str(h) for h in json.loads(h)]) for s, m, h in rows]


def mapping_for(cur: Cursor, source: str) -> str | None:
    """The saved mapping text of a source, or None."""
    return _current(cur, source)[0] if source.strip() else None


def mappings(cur: Cursor) -> pl.DataFrame:
    """Every saved mapping's source, when and by whom, newest first (no text)."""
    frame = cur.execute(
        "SELECT source, updated_at, updated_by FROM mappings ORDER BY updated_at DESC, source"
    ).pl()
    if frame.height == 0:
        return pl.DataFrame(schema=MAPPINGS_SCHEMA)
    return frame.select([pl.col(n).cast(t) for n, t in MAPPINGS_SCHEMA.items()])
