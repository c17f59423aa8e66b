"""The JQL a sync sends: the user's query, restricted to recent updates when incremental.

JQL has no sub-queries, so `updated >= ...` is AND-ed onto the user's condition in
parentheses and the user's ORDER BY (which must stay last) is moved behind it.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# An incremental sync asks again for what changed shortly before the last one started:
# clocks differ, and an issue saved while that sync ran must not fall between the two.
OVERLAP = dt.timedelta(minutes=5)

_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)
DEFAULT_ORDER = "ORDER BY created ASC"


def split_order_by(jql: str) -> tuple[str, str]:
    """(condition, order clause) of a JQL query; ORDER BY inside quotes does not count."""
    quote: str | None = None
    escaped = False
    last = -1
    masked = []
    for ch in jql:
        if escaped:
            escaped = False
            masked.append("_")
            continue
        if ch == "\\":
            escaped = True
            masked.append("_")
            continue
        if quote:
            if ch == quote:
                quote = None
            masked.append("_")
            continue
        if ch in "\"'":
            quote = ch
            masked.append("_")
            continue
        masked.append(ch)
    for match in _ORDER_BY.finditer("".join(masked)):
        last = match.start()
    if last < 0:
        return jql.strip(), ""
    return jql[:last].strip(), jql[last:].strip()


def jira_minute(moment: dt.datetime, time_zone: str | None) -> str:
    """`yyyy-MM-dd HH:mm` in the Jira user's time zone: JQL dates are read in that zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        zone = ZoneInfo(time_zone) if time_zone else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def sync_jql(jql: str, since: dt.datetime | None = None, time_zone: str | None = None) -> str:
    """The user's JQL, AND `updated >= since - OVERLAP` when given, with an ORDER BY.

    Without an ORDER BY of the user's, issues come oldest first, so that issues created
    while a Data Center sync pages through `startAt` land on later pages.
    """
    condition, order = split_order_by(jql)
    order = order or DEFAULT_ORDER
    if since is not None:
        stamp = jira_minute(since - OVERLAP, time_zone)
        clause = f'updated >= "{stamp}"'
        condition = f"({condition}) AND {clause}" if condition else clause
    return f"{condition} {order}".strip()
