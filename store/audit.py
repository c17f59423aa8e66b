"""The audit log: who changed what, when, written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import json

from store.cursor import Cursor


def utc_now() -> dt.datetime:
    """Now in UTC, to the second, as the store's timestamps are kept."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def record(
    cur: Cursor,
    actor: str | None,
    action: str,
    target: str,
    detail: dict[str, object] | None = None,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Append one audit entry; callers pass their open transaction's cursor."""
    when = at or utc_now()
    cur.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)",
        [when, actor, action, target, json.dumps(detail or {}, default=str, sort_keys=True)],
    )
