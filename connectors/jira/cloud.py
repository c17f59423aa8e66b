"""Jira Cloud: enhanced JQL search with page tokens, status history from changelog bulkfetch.

Never the removed `/rest/api/3/search`. Changelog batches of up to 1,000 issues are
fetched on a few threads while the search pages on, so the two overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from connectors.jira.errors import JiraProtocolError, JiraQueryError
from connectors.jira.fields import FieldMap
from connectors.jira.http import JiraHttp
from connectors.jira.parse import ChangeColumns, IssueColumns

SEARCH = "/rest/api/3/search/jql"
COUNT = "/rest/api/3/search/approximate-count"
BULK_CHANGELOG = "/rest/api/3/changelog/bulkfetch"

# Jira returns at most this many per page; it may return fewer when many fields are
# asked for. The batch limit of bulkfetch is 1,000 issues.
SEARCH_PAGE = 5000
CHANGELOG_BATCH = 1000
CHANGELOG_PAGE = 1000
CHANGELOG_WORKERS = 3

JQL_HINT = "Check the JQL (JIRA_JQL, or jql in [jira])."

Progress = Callable[[str, int, int | None], None]


def token_pages(
    http: JiraHttp, path: str, body: dict[str, Any], what: str
) -> Iterator[dict[str, Any]]:
    """Every page of a `nextPageToken` endpoint; stops on `isLast` or no token.

    A token seen before would page forever: that stops the sync with an error.
    """
    seen: set[str] = set()
    request = dict(body)
    while True:
        page = http.post(path, request)
        if not isinstance(page, dict):
            raise JiraProtocolError(f"Jira answered {path} with something other than a page.")
        yield page
        token = page.get("nextPageToken")
        if page.get("isLast") is True or not token:
            return
        if token in seen:
            raise JiraProtocolError(
                f"Jira sent the same page token twice while listing {what}; the sync stopped "
                "rather than loop forever. Nothing was saved; try again, and if it persists, "
                "narrow the JQL."
            )
        seen.add(token)
        request["nextPageToken"] = token


def approximate_count(http: JiraHttp, jql: str) -> int | None:
    """The progress total; None where the site does not offer the count."""
    try:
        answer = http.post(COUNT, {"jql": jql})
    except JiraProtocolError:
        return None
    except JiraQueryError as exc:
        raise JiraQueryError(f"{exc} {JQL_HINT}") from None
    count = answer.get("count") if isinstance(answer, dict) else None
    return int(count) if isinstance(count, int | float) else None


def search_pages(http: JiraHttp, jql: str, fields: FieldMap) -> Iterator[dict[str, Any]]:
    """The pages of the enhanced JQL search, asking only for the fields the metrics read."""
    body = {"jql": jql, "fields": fields.request, "maxResults": SEARCH_PAGE}
    try:
        yield from token_pages(http, SEARCH, body, "issues")
    except JiraQueryError as exc:
        raise JiraQueryError(f"{exc} {JQL_HINT}") from None


def _changelog_batch(http: JiraHttp, ids: list[str], stop: threading.Event) -> list[dict[str, Any]]:
    """Every page of one bulkfetch batch (status changes only); stops early once the
    sync has failed elsewhere."""
    body = {"issueIdsOrKeys": ids, "fieldIds": ["status"], "maxResults": CHANGELOG_PAGE}
    pages = []
    for page in token_pages(http, BULK_CHANGELOG, body, "status changes"):
        pages.append(page)
        if stop.is_set():
            break
    return pages


def fetch(
    http: JiraHttp,
    jql: str,
    fields: FieldMap,
    progress: Progress,
) -> tuple[IssueColumns, ChangeColumns]:
    """All issues the JQL selects, each once, and the status history of each."""
    total = approximate_count(http, jql)
    progress("issues", 0, total)
    issues = IssueColumns(fields)
    changes = ChangeColumns()
    seen: set[str] = set()
    pending: list[str] = []
    batches: list[Future[list[dict[str, Any]]]] = []
    stop = threading.Event()
    with ThreadPoolExecutor(CHANGELOG_WORKERS, thread_name_prefix="jira-changelog") as pool:
        try:
            for page in search_pages(http, jql, fields):
                added = issues.add(page.get("issues") or ())
                fresh = [i for i in added if i not in seen]
                seen.update(fresh)
                pending.extend(fresh)
                while len(pending) >= CHANGELOG_BATCH:
                    batch, pending = pending[:CHANGELOG_BATCH], pending[CHANGELOG_BATCH:]
                    batches.append(pool.submit(_changelog_batch, http, batch, stop))
                progress("issues", len(seen), max(total or 0, len(seen)) or None)
            if pending:
                batches.append(pool.submit(_changelog_batch, http, pending, stop))
            for done, future in enumerate(batches, start=1):
                for page in future.result():
                    changes.add_bulk_page(page)
                progress("changelog", done, len(batches))
        except BaseException:
            stop.set()
            for future in batches:
                future.cancel()
            raise
    return issues, changes
