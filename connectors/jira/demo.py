"""Synthetic Jira issues for the demo portfolio, loaded the way a real sync loads them.

Each Jira-linked demo project gets an epic (its `jira_key`) whose children move from
To Do through In Progress (sometimes In Review) to Done over the project's timeline;
some epics' children carry story points and others do not, some children arrive after
the project started, a few are reopened. The issues are written as Jira Cloud JSON
(search pages and changelog bulkfetch pages) and go through the sync's own parser and
store transaction, so the demo exercises the same path as a real Jira.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl

from connectors.demo import QUARTER_ENDS, SEED, DemoProject, build_projects
from connectors.jira.fields import FieldMap
from connectors.jira.parse import ChangeColumns, IssueColumns, StatusCatalog, frames
from domain.jira import SyncRun
from store import Store

DEMO_MODE = "demo"  # the sync-run mode that marks the demo's Jira load
POINTS_FIELD = "customfield_10016"
EPIC_LINK_FIELD = "customfield_10014"
DEMO_NOW = dt.datetime.combine(QUARTER_ENDS[-1], dt.time(18, 0), tzinfo=dt.UTC)
STATUSES = {
    "To Do": ("10000", "new"),
    "In Progress": ("3", "indeterminate"),
    "In Review": ("10001", "indeterminate"),
    "Done": ("10002", "done"),
}
PAGE = 100


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def _status(name: str) -> dict[str, Any]:
    sid, key = STATUSES[name]
    return {"id": sid, "name": name, "statusCategory": {"key": key}}


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment on a day."""
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), dt.UTC)


class _Builder:
    """Issues and histories in Jira's JSON, numbered deterministically."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next_id = 100_000
        self.counters: dict[str, int] = {}
        self.issues: list[dict[str, Any]] = []
        self.histories: dict[str, list[dict[str, Any]]] = {}

    def key(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 5000) + 1
        return f"{prefix}-{self.counters[prefix]}"

    def add(
        self,
        key: str,
        kind: str,
        summary: str,
        created: dt.datetime,
        moves: list[tuple[dt.datetime, str]],
        *,
        points: float | None = None,
        parent: str | None = None,
        epic: str | None = None,
    ) -> None:
        self.next_id += 1
        issue_id = str(self.next_id)
        moves = [m for m in moves if m[0] <= DEMO_NOW]
        status = moves[-1][1] if moves else "To Do"
        done = STATUSES[status][1] == "done"
        updated = max([created, *(m[0] for m in moves)])
        self.issues.append(
            {
                "id": issue_id,
                "key": key,
                "fields": {
                    "summary": summary,
                    "issuetype": {"name": kind},
                    "status": _status(status),
                    "created": _time(created),
                    "updated": _time(updated),
                    "resolutiondate": _time(moves[-1][0]) if done else None,
                    "parent": {"key": parent} if parent else None,
                    POINTS_FIELD: points,
                    EPIC_LINK_FIELD: epic,
                },
            }
        )
        previous = "To Do"
        history = []
        for n, (when, target) in enumerate(moves):
            history.append(
                {
                    "id": f"{issue_id}{n:02d}",
                    "created": _time(when),
                    "items": [
                        {
                            "field": "status",
                            "fieldtype": "jira",
                            "fieldId": "status",
                            "from": STATUSES[previous][0],
                            "fromString": previous,
                            "to": STATUSES[target][0],
                            "toString": target,
                        }
                    ],
                }
            )
            previous = target
        self.histories[issue_id] = history


def _child_moves(
    created: dt.datetime, done_at: dt.datetime, rng: random.Random
) -> list[tuple[dt.datetime, str]]:
    """To Do -> In Progress (-> In Review) -> Done, sometimes reopened once."""
    cycle = dt.timedelta(days=rng.randint(2, 21), hours=rng.randint(0, 8))
    done_at = max(done_at, created + cycle + dt.timedelta(days=1))
    started = done_at - cycle
    moves = [(started, "In Progress")]
    if rng.random() < 0.4:
        moves.append((started + cycle * 0.7, "In Review"))
    moves.append((done_at, "Done"))
    if rng.random() < 0.05:
        reopened = done_at + dt.timedelta(days=rng.randint(2, 10))
        moves += [
            (reopened, "In Progress"),
            (reopened + dt.timedelta(days=rng.randint(1, 6)), "Done"),
        ]
    return moves


def _epic(builder: _Builder, project: DemoProject, with_points: bool) -> None:
    rng = builder.rng
    assert project.jira_key is not None
    prefix = project.jira_key.split("-")[0]
    start = project.start
    span = max((project.actual_end - start).days, 30)
    epic_created = _at(start - dt.timedelta(days=rng.randint(10, 30)), rng)
    epic_moves = [(_at(start, rng), "In Progress")]
    if project.archetype != "early":
        epic_moves.append((_at(project.actual_end, rng), "Done"))
    builder.add(project.jira_key, "Epic", project.name, epic_created, epic_moves)

    count = int(project.scope or 20)
    finish_share = min(project.scope_ratio, 1.0)  # rescue projects finish only part
    link_by_parent = rng.random() < 0.7  # the rest link through the Epic Link field
    for i in range(count):
        added_later = rng.random() < 0.2
        if added_later:
            created_day = start + dt.timedelta(days=rng.randint(1, int(span * 0.7)))
        else:
            created_day = start - dt.timedelta(days=rng.randint(0, 20))
        created = _at(created_day, rng)
        if created > DEMO_NOW:
            continue
        share = ((i + 0.5) / count) ** 1.15 / finish_share
        done_at = _at(start + dt.timedelta(days=int(share * span * project.jira_stretch)), rng)
        points = float(rng.choice((1, 2, 3, 3, 5, 5, 8))) if with_points else None
        builder.add(
            builder.key(prefix),
            rng.choice(("Story", "Story", "Task", "Bug")),
            f"{project.name}: work item {i + 1}",
            created,
            _child_moves(created, done_at, rng),
            points=points,
            parent=project.jira_key if link_by_parent else None,
            epic=None if link_by_parent else project.jira_key,
        )


def demo_issue_pages(seed: int = SEED) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(search pages, changelog bulkfetch pages) in Jira Cloud's JSON shapes."""
    rng = random.Random(seed + 5)
    builder = _Builder(rng)
    linked = [p for p in build_projects(seed) if p.jira_key]
    seen: set[str] = set()
    for n, project in enumerate(linked):
        if project.jira_key in seen:
            continue
        seen.add(str(project.jira_key))
        _epic(builder, project, with_points=n % 2 == 0)
    issues = builder.issues
    search_pages = [
        {"issues": issues[i : i + PAGE], "isLast": i + PAGE >= len(issues)}
        for i in range(0, len(issues), PAGE)
    ]
    changelog_pages = [
        {
            "issueChangeLogs": [
                {"issueId": issue["id"], "changeHistories": builder.histories[issue["id"]]}
                for issue in issues[i : i + 1000]
            ]
        }
        for i in range(0, len(issues), 1000)
    ]
    return search_pages, changelog_pages


def demo_jira_sync_id(store: Store) -> int | None:
    """The store's demo Jira load, if it has one."""
    runs = store.jira_sync_runs().filter(pl.col("mode") == DEMO_MODE, pl.col("ok"))
    return runs.get_column("sync_id").max() if runs.height else None


def load_demo_jira(store: Store, seed: int = SEED) -> str:
    """Parse the demo's Jira pages like a sync does and commit them; a summary line.
    Once only: loading the demo again must not overwrite what a real sync brought since."""
    loaded = demo_jira_sync_id(store)
    if loaded is not None:
        return f"Nothing to do: the demo's Jira issues are already loaded (sync #{loaded})."
    search_pages, changelog_pages = demo_issue_pages(seed)
    statuses = StatusCatalog()
    statuses.add_statuses(
        {"id": sid, "name": name, "statusCategory": {"key": key}}
        for name, (sid, key) in STATUSES.items()
    )
    issues = IssueColumns(FieldMap(story_points=(POINTS_FIELD,), epic_link=EPIC_LINK_FIELD))
    changes = ChangeColumns()
    for page in search_pages:
        issues.add(page["issues"])
    for page in changelog_pages:
        changes.add_bulk_page(page)
    result = frames(issues, changes, statuses)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    run = SyncRun(
        started_at=now,
        finished_at=now,
        mode=DEMO_MODE,
        deployment="demo",
        url="demo",
        user_name="demo",
        jql=None,
        watermark=None,
        n_issues=result.issues.height,
        n_changes=result.changes.height,
        n_requests=0,
        ok=True,
        message="the demo portfolio's synthetic Jira issues",
        actor="demo",
    )
    sync_id = store.commit_jira_sync(result, run, replace_all=False)
    return (
        f"Jira demo sync #{sync_id}: {result.issues.height} issues and "
        f"{result.changes.height} status changes."
    )
