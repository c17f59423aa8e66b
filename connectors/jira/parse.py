"""Jira JSON pages -> column lists -> Polars frames in domain.jira's schemas.

The per-issue loop only picks a dozen values out of each decoded page into plain
lists; every conversion (timestamps, categories, de-duplication) is one vectorised
Polars expression over the whole sync.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from connectors.jira.fields import FieldMap
from domain.jira import CHANGE_SCHEMA, ISSUE_SCHEMA, JiraFrames

JIRA_TIME = "%Y-%m-%dT%H:%M:%S%.f%z"


def utc_timestamps(column: str) -> pl.Expr:
    """Jira's `2023-11-02T10:22:23.784+0100` (or `...Z`, `+01:00`) as naive UTC."""
    return (
        pl.col(column)
        .str.replace(r"Z$", "+0000")
        .str.to_datetime(JIRA_TIME, time_unit="us", strict=False)
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None)
    )


def _epoch(column: str) -> pl.Expr:
    """Epoch numbers as naive UTC: milliseconds, or seconds when too small to be millis."""
    value = pl.col(column)
    millis = pl.when(value.abs() < 100_000_000_000).then(value * 1000).otherwise(value)
    return pl.from_epoch(millis.cast(pl.Int64), time_unit="ms").cast(pl.Datetime("us"))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    """A scalar as text: ids and names usually arrive as strings, sometimes as numbers
    (Atlassian's own examples have both); objects and lists are not text."""
    if type(value) is str:
        return value
    if value is None or isinstance(value, bool | Mapping | list):
        return None
    return str(value)


def _stamp(value: Any) -> str | None:
    """A timestamp as Jira's text: numbers are epoch milliseconds (seconds if small)."""
    if type(value) is str or value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    seconds = value / 1000 if abs(value) >= 100_000_000_000 else value
    try:
        moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.isoformat(timespec="milliseconds")


def _key(value: Any) -> str | None:
    """An issue key from an epic-link value (a key) or a parent object ({"key": ...})."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        key = value.get("key")
        return str(key) if key else None
    return None


def _is_status(item: Mapping[str, Any]) -> bool:
    """The workflow status item (older Data Center histories have no fieldId)."""
    field_id = item.get("fieldId")
    if field_id is not None:
        return field_id == "status"
    return item.get("field") == "status" and item.get("fieldtype", "jira") == "jira"


@dataclass
class StatusCatalog:
    """Status id (and name) -> category key, from /status and from the issues themselves."""

    by_id: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)

    def add(self, status_id: Any, name: Any, category: Any) -> None:
        if not category:
            return
        if status_id is not None:
            self.by_id.setdefault(str(status_id), str(category))
        if name:
            self.by_name.setdefault(str(name).strip().lower(), str(category))

    def add_statuses(self, statuses: Iterable[Mapping[str, Any]]) -> None:
        """Read /rest/api/N/status: [{id, name, statusCategory: {key}}, ...]."""
        for status in statuses:
            if isinstance(status, Mapping):
                category = (status.get("statusCategory") or {}).get("key")
                self.add(status.get("id"), status.get("name"), category)

    def category(self, ids: str, names: str) -> pl.Expr:
        """An expression giving the category of each row's status id (else its name)."""
        by_id = pl.col(ids).replace_strict(self.by_id, default=None, return_dtype=pl.String)
        by_name = (
            pl.col(names)
            .str.strip_chars()
            .str.to_lowercase()
            .replace_strict(self.by_name, default=None, return_dtype=pl.String)
        )
        return pl.coalesce(by_id, by_name)


def _story_points(n_fields: int) -> pl.Expr:
    """Each issue's story points from columns points_0.. (one per story-point field).

    Per epic (its epic link, else its parent; an issue with neither stands alone), the
    field set on most of its children counts, ties to the preferred one; a child without
    it falls back on the next field it has. So an epic whose team estimates in "Story
    point estimate" is measured in it even when the site's first field is "Story Points".
    The choice is made among the issues of one sync: in an incremental sync, among the
    children that changed (a full sync decides again over all of them).
    """
    if n_fields == 0:
        return pl.lit(None, dtype=pl.Float64)
    columns = [pl.col(f"points_{i}") for i in range(n_fields)]
    if n_fields == 1:
        return columns[0]
    epic = pl.coalesce("epic_key", "parent_key", "issue_id")
    chosen = pl.concat_list([c.count().over(epic) for c in columns]).list.arg_max()
    points = pl.when(chosen == 0).then(pl.coalesce(columns))
    for i in range(1, n_fields):
        points = points.when(chosen == i).then(
            pl.coalesce(columns[i], *columns[:i], *columns[i + 1 :])
        )
    return points


class IssueColumns:
    """Accumulates the issues of every page as columns."""

    def __init__(self, fields: FieldMap) -> None:
        self.fields = fields
        self.cols: dict[str, list[Any]] = {
            name: []
            for name in (
                "issue_id",
                "issue_key",
                "issue_type",
                "summary",
                "status",
                "status_id",
                "status_category",
                "created",
                "updated",
                "resolution_date",
                "parent_key",
                "epic_key",
            )
        }
        # one column per story-point field, in the FieldMap's order of preference
        self.points: list[list[float | None]] = [[] for _ in fields.story_points]

    def __len__(self) -> int:
        return len(self.cols["issue_id"])

    def add(self, issues: Iterable[Mapping[str, Any]]) -> list[str]:
        """Append a page of issues; returns their ids (for the changelog)."""
        c = self.cols
        ids, keys, types, summaries = c["issue_id"], c["issue_key"], c["issue_type"], c["summary"]
        status_names, status_ids, categories = c["status"], c["status_id"], c["status_category"]
        created, updated, resolved = c["created"], c["updated"], c["resolution_date"]
        parents, epics = c["parent_key"], c["epic_key"]
        epic_field = self.fields.epic_link
        point_columns = list(zip(self.fields.story_points, self.points, strict=True))
        added: list[str] = []
        for issue in issues:
            f = issue.get("fields") or {}
            issue_id = str(issue["id"])
            added.append(issue_id)
            keys.append(_text(issue.get("key")))
            types.append(_text((f.get("issuetype") or {}).get("name")))
            summaries.append(_text(f.get("summary")))
            status = f.get("status") or {}
            status_names.append(_text(status.get("name")))
            status_ids.append(_text(status.get("id")))
            categories.append(_text((status.get("statusCategory") or {}).get("key")))
            created.append(_stamp(f.get("created")))
            updated.append(_stamp(f.get("updated")))
            resolved.append(_stamp(f.get("resolutiondate")))
            for field_id, points in point_columns:
                points.append(_number(f.get(field_id)))
            parents.append(_key(f.get("parent")))
            epics.append(_key(f.get(epic_field)) if epic_field else None)
        ids.extend(added)
        return added

    def _raw(self) -> pl.DataFrame:
        points = {f"points_{i}": values for i, values in enumerate(self.points)}
        return pl.DataFrame(
            {**self.cols, **points},
            schema={**{k: pl.String for k in self.cols}, **{k: pl.Float64 for k in points}},
        )

    def teach(self, statuses: StatusCatalog) -> None:
        """Add every status the issues are in (id, name, category) to the catalog."""
        seen = self._raw().select("status_id", "status", "status_category").unique()
        for status_id, name, category in seen.iter_rows():
            statuses.add(status_id, name, category)

    def frame(self) -> pl.DataFrame:
        """One row per issue id (the last page that carried it wins), in ISSUE_SCHEMA."""
        return (
            self._raw()
            .lazy()
            .unique(subset="issue_id", keep="last", maintain_order=True)
            .with_columns(
                _story_points(len(self.points)).alias("story_points"),
                pl.col("issue_key").str.extract(r"^(.+)-\d+$").alias("project_key"),
                utc_timestamps("created"),
                utc_timestamps("updated"),
                utc_timestamps("resolution_date"),
            )
            .select(ISSUE_SCHEMA.names())
            .collect()
        )


class ChangeColumns:
    """Accumulates status changes from changelog histories (bulkfetch or expand=changelog)."""

    def __init__(self) -> None:
        self.issue_id: list[str] = []
        self.at_text: list[str | None] = []
        self.at_number: list[float | None] = []
        self.from_id: list[str | None] = []
        self.from_name: list[str | None] = []
        self.to_id: list[str | None] = []
        self.to_name: list[str | None] = []

    def __len__(self) -> int:
        return len(self.issue_id)

    def add_histories(self, issue_id: str, histories: Iterable[Mapping[str, Any]]) -> None:
        for history in histories:
            items = history.get("items") or ()
            created = history.get("created")
            for item in items:
                if not _is_status(item):
                    continue
                self.issue_id.append(issue_id)
                if isinstance(created, str):
                    self.at_text.append(created)
                    self.at_number.append(None)
                else:
                    self.at_text.append(None)
                    self.at_number.append(_number(created))
                self.from_id.append(_text(item.get("from")))
                self.from_name.append(_text(item.get("fromString")))
                self.to_id.append(_text(item.get("to")))
                self.to_name.append(_text(item.get("toString")))

    def add_bulk_page(self, page: Mapping[str, Any]) -> None:
        """One page of POST /changelog/bulkfetch: issueChangeLogs[].changeHistories[]."""
        for entry in page.get("issueChangeLogs") or ():
            self.add_histories(str(entry.get("issueId")), entry.get("changeHistories") or ())

    def frame(self, statuses: StatusCatalog) -> pl.DataFrame:
        """The status changes in CHANGE_SCHEMA, oldest first per issue."""
        raw = pl.DataFrame(
            {
                "issue_id": self.issue_id,
                "at_text": self.at_text,
                "at_number": self.at_number,
                "from_id": self.from_id,
                "from_status": self.from_name,
                "to_id": self.to_id,
                "to_status": self.to_name,
            },
            schema={
                "issue_id": pl.String,
                "at_text": pl.String,
                "at_number": pl.Float64,
                "from_id": pl.String,
                "from_status": pl.String,
                "to_id": pl.String,
                "to_status": pl.String,
            },
        )
        return (
            raw.lazy()
            .with_columns(
                pl.coalesce(utc_timestamps("at_text"), _epoch("at_number")).alias("changed_at"),
                statuses.category("from_id", "from_status").alias("from_category"),
                statuses.category("to_id", "to_status").alias("to_category"),
            )
            .filter(pl.col("changed_at").is_not_null())
            .unique(subset=["issue_id", "changed_at", "from_status", "to_status"], keep="first")
            .sort("issue_id", "changed_at")
            .select(CHANGE_SCHEMA.names())
            .collect()
        )


def frames(issues: IssueColumns, changes: ChangeColumns, statuses: StatusCatalog) -> JiraFrames:
    """Issues and the status history of exactly those issues."""
    issues.teach(statuses)
    issue_frame = issues.frame()
    change_frame = changes.frame(statuses).join(
        issue_frame.select("issue_id"), on="issue_id", how="semi"
    )
    return JiraFrames(issue_frame, change_frame)
