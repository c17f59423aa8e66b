"""Realistic Jira JSON for the fake server: issues with ADF descriptions, nulls, dozens of
custom fields, changelog histories with noise, a field list and a status list.

Shapes follow Jira Cloud v3 / Data Center v2 responses; every value is made up.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

# name -> (id, category key, category id, colour)
STATUSES: dict[str, tuple[str, str, int, str]] = {
    "To Do": ("10000", "new", 2, "blue-gray"),
    "In Progress": ("3", "indeterminate", 4, "yellow"),
    "In Review": ("10001", "indeterminate", 4, "yellow"),
    "Done": ("10002", "done", 3, "green"),
    "Won't Do": ("10003", "done", 3, "green"),
}
CATEGORY_NAMES = {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}


@dataclass(frozen=True)
class FieldIds:
    """Where this fake Jira keeps story points and the epic link (they differ per site)."""

    story_points: str = "customfield_10016"
    epic_link: str = "customfield_10014"
    legacy_points: str = "customfield_10028"  # a second "Story Points" number field


DEFAULT_IDS = FieldIds()


def jira_time(moment: dt.datetime) -> str:
    """Jira's timestamp format, e.g. 2025-03-02T10:02:34.255+0100."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
    return text + moment.strftime("%z")


def adf(text: str) -> dict[str, Any]:
    """An Atlassian Document Format description, as Cloud v3 returns it."""
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": text}]},
            {
                "type": "bulletList",
                "content": [
                    {
                        "type": "listItem",
                        "content": [
                            {
                                "type": "paragraph",
                                "content": [
                                    {
                                        "type": "text",
                                        "text": "Acceptance: ",
                                        "marks": [{"type": "strong"}],
                                    },
                                    {"type": "text", "text": "works for every customer"},
                                ],
                            }
                        ],
                    }
                ],
            },
        ],
    }


def field_list(ids: FieldIds = DEFAULT_IDS) -> list[dict[str, Any]]:
    """/rest/api/N/field: system fields and dozens of custom fields, as a site lists them."""

    def system(fid: str, name: str, kind: str) -> dict[str, Any]:
        return {
            "id": fid,
            "key": fid,
            "name": name,
            "custom": False,
            "orderable": True,
            "navigable": True,
            "searchable": True,
            "clauseNames": [fid],
            "schema": {"type": kind, "system": fid},
        }

    def custom(fid: str, name: str, kind: str, plugin: str) -> dict[str, Any]:
        number = int(fid.split("_")[1])
        return {
            "id": fid,
            "key": fid,
            "name": name,
            "untranslatedName": name,
            "custom": True,
            "orderable": True,
            "navigable": True,
            "searchable": True,
            "clauseNames": [f"cf[{number}]", name],
            "schema": {"type": kind, "custom": plugin, "customId": number},
        }

    cft = "com.atlassian.jira.plugin.system.customfieldtypes:"
    fields = [
        system("summary", "Summary", "string"),
        system("description", "Description", "string"),
        system("issuetype", "Issue Type", "issuetype"),
        system("status", "Status", "status"),
        system("created", "Created", "datetime"),
        system("updated", "Updated", "datetime"),
        system("resolutiondate", "Resolved", "datetime"),
        system("parent", "Parent", "issuelink"),
        system("project", "Project", "project"),
        system("assignee", "Assignee", "user"),
        system("reporter", "Reporter", "user"),
        system("priority", "Priority", "priority"),
        system("labels", "Labels", "array"),
        system("statuscategorychangedate", "Status Category Changed", "datetime"),
        custom(
            ids.story_points,
            "Story point estimate",
            "number",
            "com.pyxis.greenhopper.jira:jsw-story-points",
        ),
        custom(ids.legacy_points, "Story Points", "number", cft + "float"),
        custom(ids.epic_link, "Epic Link", "any", "com.pyxis.greenhopper.jira:gh-epic-link"),
        custom(
            "customfield_10011", "Epic Name", "string", "com.pyxis.greenhopper.jira:gh-epic-label"
        ),
        custom("customfield_10019", "Rank", "any", "com.pyxis.greenhopper.jira:gh-lexo-rank"),
        custom("customfield_10020", "Sprint", "array", "com.pyxis.greenhopper.jira:gh-sprint"),
        custom("customfield_10021", "Flagged", "array", cft + "multicheckboxes"),
        custom(
            "customfield_10030",
            "Team",
            "team",
            "com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team",
        ),
        custom("customfield_10031", "Business value", "number", cft + "float"),
        custom("customfield_10032", "Start date", "date", cft + "datepicker"),
        custom("customfield_10033", "Target end", "date", cft + "datepicker"),
    ]
    for n in range(10040, 10066):
        fields.append(custom(f"customfield_{n}", f"Custom text {n}", "string", cft + "textfield"))
    return fields


def status_list() -> list[dict[str, Any]]:
    """/rest/api/N/status."""
    return [
        {
            "id": sid,
            "name": name,
            "description": "",
            "statusCategory": {
                "id": cat_id,
                "key": key,
                "colorName": colour,
                "name": CATEGORY_NAMES[key],
            },
        }
        for name, (sid, key, cat_id, colour) in STATUSES.items()
    ]


def status_object(name: str, base: str) -> dict[str, Any]:
    sid, key, cat_id, colour = STATUSES[name]
    return {
        "self": f"{base}/rest/api/3/status/{sid}",
        "description": "",
        "iconUrl": f"{base}/images/icons/statuses/generic.png",
        "name": name,
        "id": sid,
        "statusCategory": {
            "self": f"{base}/rest/api/3/statuscategory/{cat_id}",
            "id": cat_id,
            "key": key,
            "colorName": colour,
            "name": CATEGORY_NAMES[key],
        },
    }


def _user(name: str) -> dict[str, Any]:
    handle = name.lower().replace(" ", ".")
    return {
        "accountId": f"5b10a2844c20165700ede{sum(map(ord, name)) % 10000:04d}",
        "emailAddress": f"{handle}@example.com",
        "displayName": name,
        "active": True,
        "timeZone": "Europe/Berlin",
        "accountType": "atlassian",
        "avatarUrls": {"48x48": "https://avatar.example/48.png"},
    }


@dataclass
class IssueSpec:
    """One issue to serve: when it was created and every status move after that."""

    issue_id: str
    key: str
    created: dt.datetime
    moves: list[tuple[dt.datetime, str]] = field(default_factory=list)  # (when, to status)
    issue_type: str = "Story"
    summary: str = ""
    story_points: float | None = None  # in "Story point estimate" (the board's field)
    legacy_points: float | None = None  # in the site's second field, "Story Points"
    parent_key: str | None = None
    epic_key: str | None = None
    extra_updated: dt.datetime | None = None  # an edit after the last move

    @property
    def status(self) -> str:
        return self.moves[-1][1] if self.moves else "To Do"

    @property
    def updated(self) -> dt.datetime:
        times = [self.created, *(m[0] for m in self.moves)]
        if self.extra_updated:
            times.append(self.extra_updated)
        return max(times)

    @property
    def resolved(self) -> dt.datetime | None:
        if STATUSES[self.status][1] != "done":
            return None
        return self.moves[-1][0] if self.moves else None


def issue_json(spec: IssueSpec, base: str, ids: FieldIds = DEFAULT_IDS) -> dict[str, Any]:
    """The full issue as a search with fields=*all returns it."""
    project = spec.key.split("-")[0]
    kind = spec.issue_type
    fields: dict[str, Any] = {
        "statuscategorychangedate": jira_time(spec.updated),
        "issuetype": {
            "self": f"{base}/rest/api/3/issuetype/10001",
            "id": "10001" if kind == "Story" else "10000",
            "description": f"A {kind.lower()}",
            "iconUrl": f"{base}/images/icons/issuetypes/{kind.lower()}.svg",
            "name": kind,
            "subtask": kind == "Sub-task",
            "avatarId": 10315,
            "hierarchyLevel": 1 if kind == "Epic" else 0,
        },
        "timespent": None,
        "project": {
            "self": f"{base}/rest/api/3/project/10000",
            "id": "10000",
            "key": project,
            "name": f"Project {project}",
            "projectTypeKey": "software",
            "simplified": False,
        },
        "fixVersions": [],
        "aggregatetimespent": None,
        "resolution": (
            {"self": f"{base}/rest/api/3/resolution/10000", "id": "10000", "name": "Done"}
            if spec.resolved
            else None
        ),
        "resolutiondate": jira_time(spec.resolved) if spec.resolved else None,
        "workratio": -1,
        "lastViewed": None,
        "watches": {
            "self": f"{base}/rest/api/3/issue/{spec.key}/watchers",
            "watchCount": 1,
            "isWatching": False,
        },
        "created": jira_time(spec.created),
        "priority": {
            "self": f"{base}/rest/api/3/priority/3",
            "iconUrl": "",
            "name": "Medium",
            "id": "3",
        },
        "labels": ["cockpit"] if int(spec.issue_id) % 3 == 0 else [],
        "timeestimate": None,
        "aggregatetimeoriginalestimate": None,
        "versions": [],
        "issuelinks": [],
        "assignee": _user("Lena Fischer") if int(spec.issue_id) % 2 else None,
        "updated": jira_time(spec.updated),
        "status": status_object(spec.status, base),
        "components": [],
        "timeoriginalestimate": None,
        "description": adf(spec.summary or f"Work item {spec.key}"),
        "security": None,
        "aggregatetimeestimate": None,
        "summary": spec.summary or f"Work item {spec.key}",
        "creator": _user("Tom Okafor"),
        "subtasks": [],
        "reporter": _user("Tom Okafor"),
        "aggregateprogress": {"progress": 0, "total": 0},
        "environment": None,
        "duedate": None,
        "progress": {"progress": 0, "total": 0},
        "votes": {
            "self": f"{base}/rest/api/3/issue/{spec.key}/votes",
            "votes": 0,
            "hasVoted": False,
        },
        ids.story_points: spec.story_points,
        ids.legacy_points: spec.legacy_points,
        ids.epic_link: spec.epic_key,
        "customfield_10011": None,
        "customfield_10019": f"0|i00{int(spec.issue_id) % 1000:03d}:",
        "customfield_10020": (
            [{"id": 12, "name": "Sprint 12", "state": "closed", "boardId": 3}]
            if int(spec.issue_id) % 4 == 0
            else None
        ),
        "customfield_10021": None,
        "customfield_10030": None,
        "customfield_10031": None,
        "customfield_10032": None,
        "customfield_10033": None,
    }
    for n in range(10040, 10066):
        fields[f"customfield_{n}"] = None if n % 5 else f"value {n}"
    if spec.parent_key:
        fields["parent"] = {
            "id": str(int(spec.issue_id) + 900000),
            "key": spec.parent_key,
            "self": f"{base}/rest/api/3/issue/{spec.parent_key}",
            "fields": {
                "summary": f"Epic {spec.parent_key}",
                "status": status_object("In Progress", base),
                "priority": {"name": "Medium", "id": "3"},
                "issuetype": {"name": "Epic", "id": "10000", "hierarchyLevel": 1},
            },
        }
    return {
        "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
        "id": spec.issue_id,
        "self": f"{base}/rest/api/3/issue/{spec.issue_id}",
        "key": spec.key,
        "fields": fields,
    }


def histories(spec: IssueSpec, *, epoch: bool = False) -> list[dict[str, Any]]:
    """The issue's changelog: its status moves, plus resolution and unrelated edits."""
    out: list[dict[str, Any]] = []
    previous = "To Do"
    hid = int(spec.issue_id) * 10
    # An unrelated edit first (changelogs are mostly not about status).
    out.append(
        {
            "id": str(hid),
            "author": _user("Tom Okafor"),
            "created": _stamp(spec.created + dt.timedelta(minutes=3), epoch),
            "items": [
                {
                    "field": "labels",
                    "fieldtype": "jira",
                    "fieldId": "labels",
                    "from": None,
                    "fromString": "",
                    "to": None,
                    "toString": "cockpit",
                }
            ],
        }
    )
    for n, (when, target) in enumerate(spec.moves, start=1):
        items = [
            {
                "field": "status",
                "fieldtype": "jira",
                "fieldId": "status",
                "from": STATUSES[previous][0],
                "fromString": previous,
                "to": STATUSES[target][0],
                "toString": target,
            }
        ]
        if STATUSES[target][1] == "done":
            items.insert(
                0,
                {
                    "field": "resolution",
                    "fieldtype": "jira",
                    "fieldId": "resolution",
                    "from": None,
                    "fromString": None,
                    "to": "10000",
                    "toString": "Done",
                },
            )
        out.append(
            {
                "id": str(hid + n),
                "author": _user("Lena Fischer"),
                "created": _stamp(when, epoch),
                "items": items,
            }
        )
        previous = target
    return out


def _stamp(moment: dt.datetime, epoch: bool) -> str | int:
    if epoch:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return int(moment.timestamp() * 1000)
    return jira_time(moment)


def generated(
    n: int, *, seed: int = 7, start: dt.datetime | None = None, epics: int | None = None
) -> list[IssueSpec]:
    """`n` child issues spread over epics, each with 0-3 status moves: for paging and scale."""
    rng = random.Random(seed)
    start = start or dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)
    epic_count = epics or max(1, n // 50)
    specs: list[IssueSpec] = []
    for i in range(n):
        created = start + dt.timedelta(minutes=17 * i)
        moves: list[tuple[dt.datetime, str]] = []
        stage = rng.choice((0, 1, 2, 2, 3, 3, 3))
        when = created
        for target in ("In Progress", "In Review", "Done")[:stage]:
            when = when + dt.timedelta(hours=rng.randint(4, 200))
            moves.append((when, target))
        epic = f"EP-{i % epic_count + 1}"
        specs.append(
            IssueSpec(
                issue_id=str(20000 + i),
                key=f"GEN-{i + 1}",
                created=created,
                moves=moves,
                summary=f"Generated work item {i + 1}",
                story_points=float(rng.choice((1, 2, 3, 5, 8))) if i % 7 else None,
                parent_key=epic if i % 2 else None,
                epic_key=None if i % 2 else epic,
            )
        )
    return specs
