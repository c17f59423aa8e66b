"""`jira` sources: how many issues a JQL selects, or the sum of a numeric field over them,
through the Jira connector (its authentication, retries and redaction; the `[jira]`
settings).

Counts are exact: Cloud's enhanced search is paged asking for ids only (its
approximate-count is eventually consistent, not a measurement), Data Center's search
gives `total` with no issue at all.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from connectors.jira import cloud, datacenter
from connectors.jira.config import JiraConfig
from connectors.jira.errors import JiraError
from connectors.jira.http import JiraHttp
from connectors.jira.redact import redact
from connectors.jira.sync import detect_deployment
from connectors.measure.sql import Answer
from connectors.measure.values import SourceFailed, one_number, shown

ID_PAGE = 5000
FIELD_PAGE = 1000


class JiraSession:
    """One Jira site for a whole run: connected, and its deployment known, once."""

    def __init__(self, config: JiraConfig) -> None:
        self.config = dataclasses.replace(config, jql=config.jql or "(measurement sources)")
        problems = self.config.problems()
        if problems:
            raise SourceFailed("Jira is not configured: " + " ".join(problems))
        self.http = JiraHttp(self.config)
        self._deployment: str | None = None
        self._fields: list[dict[str, Any]] | None = None

    @property
    def timeout_seconds(self) -> float:
        return self.config.timeout_seconds

    def close(self) -> None:
        self.http.close()

    def deployment(self) -> str:
        if self._deployment is None:
            found = self.config.deployment
            if found == "auto":
                found = detect_deployment(self.http)
            self.http.use_deployment(found)
            self._deployment = found
        return self._deployment

    def field_id(self, name: str) -> str:
        """A field's id from its id or its name as Jira shows it (any case)."""
        if self._fields is None:
            api = "3" if self.deployment() == "cloud" else "2"
            listed = self.http.get(f"/rest/api/{api}/field")
            self._fields = listed if isinstance(listed, list) else []
        wanted = name.strip().lower()
        for field in self._fields:
            if str(field.get("id", "")).lower() == wanted:
                return str(field["id"])
        for field in self._fields:
            if str(field.get("name", "")).strip().lower() == wanted:
                return str(field["id"])
        raise SourceFailed(f"Jira has no field {name!r} to sum (value_path names a field)")

    def measure(self, jql: str, field: str | None) -> Answer:
        """The issue count of `jql`, or the sum of `field` over its issues."""
        try:
            if field:
                return self._sum(jql, self.field_id(field))
            count = self._count(jql)
            return Answer(float(count), str(count))
        except JiraError as exc:
            raise SourceFailed(redact(str(exc), self.config)) from None

    def _count(self, jql: str) -> int:
        if self.deployment() == "cloud":
            body = {"jql": jql, "fields": ["id"], "maxResults": ID_PAGE}
            return sum(
                len(page.get("issues") or ())
                for page in cloud.token_pages(self.http, cloud.SEARCH, body, "issues")
            )
        page = self.http.get(datacenter.SEARCH, {"jql": jql, "maxResults": 0, "fields": "id"})
        total = page.get("total") if isinstance(page, dict) else None
        if not isinstance(total, int):
            raise SourceFailed("Jira's search gave no total for the JQL")
        return total

    def _issues(self, jql: str, field_id: str) -> list[dict[str, Any]]:
        if self.deployment() == "cloud":
            body = {"jql": jql, "fields": [field_id], "maxResults": FIELD_PAGE}
            return [
                issue
                for page in cloud.token_pages(self.http, cloud.SEARCH, body, "issues")
                for issue in page.get("issues") or ()
            ]
        found: list[dict[str, Any]] = []
        while True:
            params = {"jql": jql, "startAt": len(found), "maxResults": FIELD_PAGE}
            page = self.http.get(datacenter.SEARCH, {**params, "fields": field_id})
            issues = (page or {}).get("issues") or []
            found.extend(issues)
            total = page.get("total") if isinstance(page, dict) else None
            if not issues or (isinstance(total, int) and len(found) >= total):
                return found

    def _sum(self, jql: str, field_id: str) -> Answer:
        total = 0.0
        for issue in self._issues(jql, field_id):
            value = (issue.get("fields") or {}).get(field_id)
            if value is None:
                continue  # an issue without the field adds nothing
            try:
                total += one_number(value)
            except SourceFailed as exc:
                raise SourceFailed(f"{field_id} of {issue.get('key', '?')} {exc}") from None
        return Answer(total, shown(total))
