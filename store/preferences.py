"""Display preferences stored with the data, so everyone who uses the store sees amounts
alike: the display currency (the currency of snapshots that do not record their own)."""

from __future__ import annotations

import datetime as dt

from store.audit import record
from store.core import Database, Unchanged
from store.cursor import Cursor


def preference(cur: Cursor, name: str) -> str | None:
    row = cur.execute(
        "SELECT value FROM preferences WHERE name = ? ORDER BY updated_at DESC LIMIT 1", [name]
    ).fetchone()
    return str(row[0]) if row else None


def save_preference(db: Database, name: str, value: str, actor: str | None) -> bool:
    """Keep `value` for `name` (audited); False when it was already that."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    def save(cur: Cursor) -> bool | Unchanged[bool]:
        old = preference(cur, name)
        if old == value:
            return Unchanged(False)
        cur.execute("DELETE FROM preferences WHERE name = ?", [name])
        cur.execute("INSERT INTO preferences VALUES (?, ?, ?, ?)", [name, value, now, actor])
        record(cur, actor, "preference", name, {"old": old, "new": value}, at=now)
        return True

    return db.write(save)
