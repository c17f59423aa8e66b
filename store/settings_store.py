"""Settings are stored with the data: every user of one store sees the same verdicts."""

from __future__ import annotations

import datetime as dt

from domain.settings import Settings
from store.audit import record
from store.core import Database
from store.cursor import Cursor
from store.reads import settings_values


def load_settings(db: Database) -> Settings:
    return Settings.from_dict(settings_values(db.cursor()))


def save_settings(db: Database, settings: Settings, actor: str | None) -> Settings:
    """Replace the stored tolerances and log the old and new values."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    def save(cur: Cursor) -> Settings:
        old = Settings.from_dict(settings_values(cur))
        cur.execute("DELETE FROM settings")
        cur.executemany(
            "INSERT INTO settings VALUES (?, ?, ?, ?)",
            [[name, value, now, actor] for name, value in settings.as_dict().items()],
        )
        changed = {
            name: {"old": old.as_dict()[name], "new": value}
            for name, value in settings.as_dict().items()
            if old.as_dict()[name] != value
        }
        record(cur, actor, "settings", "tolerances", changed, at=now)
        return settings

    return db.write(save)
