"""Jira Data Center: `/rest/api/2/search` paged by `startAt`, changelog expanded in place.

Servers cap the page size (often at 50, whatever is asked), so each page's own
`maxResults` and `total` decide where the next page starts and when to stop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.jira.errors import JiraProtocolError, JiraQueryError
from connectors.jira.fields import FieldMap
from connectors.jira.http import JiraHttp
from connectors.jira.parse import ChangeColumns, IssueColumns

SEARCH = "/rest/api/2/search"
ISSUE = "/rest/api/2/issue/{}"
PAGE = 1000
JQL_HINT = "Check the JQL (JIRA_JQL, or jql in [jira])."

Progress = Callable[[str, int, int | None], None]


def _histories(http: JiraHttp, issue: dict[str, Any]) -> list[dict[str, Any]]:
    """An issue's whole changelog; fetched on its own when the search cut it short."""
    changelog = issue.get("changelog") or {}
    histories = changelog.get("histories") or []
    total = changelog.get("total")
    if isinstance(total, int) and total > len(histories):
        full = http.get(ISSUE.format(issue["id"]), {"fields": "status", "expand": "changelog"})
        histories = ((full or {}).get("changelog") or {}).get("histories") or histories
    return histories


def fetch(
    http: JiraHttp,
    jql: str,
    fields: FieldMap,
    progress: Progress,
) -> tuple[IssueColumns, ChangeColumns]:
    """All issues the JQL selects, each with its status history."""
    issues = IssueColumns(fields)
    changes = ChangeColumns()
    seen: set[str] = set()
    start, size = 0, PAGE
    previous_first: str | None = None
    while True:
        params = {
            "jql": jql,
            "startAt": start,
            "maxResults": size,
            "fields": ",".join(fields.request),
            "expand": "changelog",
        }
        try:
            page = http.get(SEARCH, params)
        except JiraQueryError as exc:
            raise JiraQueryError(f"{exc} {JQL_HINT}") from None
        found = (page or {}).get("issues") or []
        total = page.get("total") if isinstance(page.get("total"), int) else None
        served = page.get("maxResults")
        if isinstance(served, int) and served > 0:
            size = served  # ask for what the server actually gives
        if found and start > 0 and str(found[0].get("id")) == previous_first:
            raise JiraProtocolError(
                f"Jira returned the same page twice for startAt={start}; the sync stopped "
                "rather than loop forever. Nothing was saved."
            )
        previous_first = str(found[0].get("id")) if found else None
        issues.add(found)
        for issue in found:
            issue_id = str(issue["id"])
            if issue_id in seen:
                continue
            seen.add(issue_id)
            changes.add_histories(issue_id, _histories(http, issue))
        start += len(found)
        progress("issues", len(seen), max(total or 0, len(seen)) or None)
        if not found or (total is not None and start >= total):
            return issues, changes
