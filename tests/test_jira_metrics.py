"""Scope and flow from Jira as of a date, from the changelog: hand-computed expectations.

Epic PAY-1 (project PAY-01, started 2025-02-01), all children with story points:

| child | points | created | status moves (10:00 UTC) | done as of 31 Mar | cycle |
|---|---|---|---|---|---|
| C1 | 3 | 6 Jan | In Progress 13 Jan, Done 20 Jan | yes (20 Jan) | 7 d |
| C2 | 5 | 6 Jan | In Progress 3 Feb, In Review 10 Feb, Done 17 Feb | yes | 14 d |
| C3 | 2 | 10 Feb | In Progress 3 Mar, Done 24 Mar, reopened 7 Apr | yes, not on 10 Apr | 21 d |
| C4 | 8 | 6 Jan | In Progress 10 Mar | no | |
| C5 | 1 | 5 Apr | | not created yet | |
| C6 | 3 | 6 Jan | none in the changelog; resolved 1 Mar | yes (resolution date) | |
| C7 | 1 | 6 Jan | In Progress 15 Jan, Done 22 Jan, In Progress 5 Feb | only before 5 Feb | |

Epic WEB-9 (project WEB-02): D1 (5 points, Done 10 Mar), D2 (no points, linked by the
Epic Link field, To Do), D3 (2 points, straight from To Do to Done on 20 Mar).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from connectors.jira import sync
from domain.jira import CHANGE_SCHEMA, CHILD_SCHEMA
from metrics.evaluate import evaluate
from metrics.jira import jira_scope, project_flow, weekly_throughput, with_jira_as_of
from tests.factories import project, snapshot
from tests.support.jira_data import IssueSpec, jira_time
from tests.support.jira_helpers import config_for, quick_http

A = dt.date(2025, 3, 31)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2025, month, day, 10, 0, tzinfo=dt.UTC)


def specs() -> list[IssueSpec]:
    pay = "PAY-1"
    return [
        IssueSpec("101", "PAY-1", at(1, 2), [(at(2, 1), "In Progress")], issue_type="Epic"),
        IssueSpec(
            "111",
            "PAY-11",
            at(1, 6),
            [(at(1, 13), "In Progress"), (at(1, 20), "Done")],
            story_points=3,
            parent_key=pay,
        ),
        IssueSpec(
            "112",
            "PAY-12",
            at(1, 6),
            [(at(2, 3), "In Progress"), (at(2, 10), "In Review"), (at(2, 17), "Done")],
            story_points=5,
            parent_key=pay,
        ),
        IssueSpec(
            "113",
            "PAY-13",
            at(2, 10),
            [(at(3, 3), "In Progress"), (at(3, 24), "Done"), (at(4, 7), "In Progress")],
            story_points=2,
            parent_key=pay,
        ),
        IssueSpec(
            "114", "PAY-14", at(1, 6), [(at(3, 10), "In Progress")], story_points=8, parent_key=pay
        ),
        IssueSpec("115", "PAY-15", at(4, 5), [], story_points=1, parent_key=pay),
        IssueSpec(
            "117",
            "PAY-17",
            at(1, 6),
            [(at(1, 15), "In Progress"), (at(1, 22), "Done"), (at(2, 5), "In Progress")],
            story_points=1,
            parent_key=pay,
        ),
        IssueSpec("201", "WEB-9", at(1, 2), [], issue_type="Epic"),
        IssueSpec(
            "211", "WEB-21", at(1, 6), [(at(3, 10), "Done")], story_points=5, parent_key="WEB-9"
        ),
        IssueSpec("212", "WEB-22", at(1, 6), [], epic_key="WEB-9"),
        IssueSpec(
            "213", "WEB-23", at(1, 6), [(at(3, 20), "Done")], story_points=2, parent_key="WEB-9"
        ),
    ]


def frames() -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Children and status changes as the store returns them (built by hand here)."""
    categories = {
        "To Do": "new",
        "In Progress": "indeterminate",
        "In Review": "indeterminate",
        "Done": "done",
    }
    children, changes = [], []
    for s in specs():
        parent = s.parent_key or s.epic_key
        if parent is None:
            continue
        children.append(
            {
                "jira_key": parent,
                "issue_id": s.issue_id,
                "issue_key": s.key,
                "created": s.created.replace(tzinfo=None),
                "story_points": s.story_points,
                "status_category": categories[s.status],
                "parent_key": s.parent_key,
                "epic_key": s.epic_key,
            }
        )
        previous = "To Do"
        for when, target in s.moves:
            changes.append(
                {
                    "issue_id": s.issue_id,
                    "changed_at": when.replace(tzinfo=None),
                    "from_status": previous,
                    "to_status": target,
                    "from_category": categories[previous],
                    "to_category": categories[target],
                }
            )
            previous = target
    # C6: done without a status history (imported), resolved on 1 March
    children.append(
        {
            "jira_key": "PAY-1",
            "issue_id": "116",
            "issue_key": "PAY-16",
            "created": dt.datetime(2025, 1, 6, 10),
            "story_points": 3.0,
            "status_category": "done",
            "resolution_date": dt.datetime(2025, 3, 1, 10),
            "parent_key": "PAY-1",
        }
    )
    child_frame = pl.DataFrame(
        [{c: row.get(c) for c in CHILD_SCHEMA.names()} for row in children], schema=CHILD_SCHEMA
    )
    return child_frame.lazy(), pl.DataFrame(changes, schema=CHANGE_SCHEMA).lazy()


def scope(as_of: dt.date) -> dict[str, tuple[float, float, str]]:
    children, changes = frames()
    out = jira_scope(children, changes, as_of).collect()
    return {
        r["jira_key"]: (r["jira_scope_planned"], r["jira_scope_delivered"], r["jira_scope_unit"])
        for r in out.iter_rows(named=True)
    }


def test_scope_as_of_a_uses_the_changelog():
    assert scope(A) == {
        "PAY-1": (3 + 5 + 2 + 8 + 3 + 1, 3 + 5 + 2 + 3, "points"),  # C5 not created yet
        "WEB-9": (3, 2, "issues"),  # D2 has no points: count the children
    }


def test_scope_moves_with_the_as_of_date():
    # C5 created, C3 reopened on 7 April
    assert scope(dt.date(2025, 4, 10))["PAY-1"] == (23, 3 + 5 + 3, "points")
    # before C3 existed; C7 was done until it was reopened on 5 Feb; C6 resolved later
    assert scope(dt.date(2025, 1, 31))["PAY-1"] == (3 + 5 + 8 + 3 + 1, 3 + 1, "points")
    # the day of a move counts: C1 done on 20 Jan
    assert scope(dt.date(2025, 1, 20))["PAY-1"][1] == 3
    assert scope(dt.date(2025, 1, 19))["PAY-1"][1] == 0


def test_flow_throughput_cycle_time_and_scope_added():
    children, changes = frames()
    projects = pl.LazyFrame(
        {
            "project_id": ["PAY-01", "WEB-02", "NOJ-03", "ORPHAN-04"],
            "jira_key": ["PAY-1", "WEB-9", None, "ZZZ-1"],
            "start_date": [dt.date(2025, 2, 1), None, None, dt.date(2025, 1, 1)],
        }
    )
    flow = {
        r["project_id"]: r
        for r in project_flow(projects, children, changes, A).collect().iter_rows(named=True)
    }
    assert set(flow) == {"PAY-01", "WEB-02", "ORPHAN-04"}
    pay = flow["PAY-01"]
    # done in the 12 weeks up to A: C1, C2, C3, C6
    assert pay["done_last_weeks"] == 4
    assert pay["throughput_per_week"] == pytest.approx(4 / 12)
    # cycle times 7, 14 and 21 days (C6 never started, C7 not done)
    assert pay["cycle_time_n"] == 3
    assert pay["cycle_time_p50_days"] == pytest.approx(14.0)
    assert pay["cycle_time_p85_days"] == pytest.approx(14 + 0.7 * 7)
    assert (pay["scope_added"], pay["scope_unit"]) == (2.0, "points")  # C3, after 1 Feb
    web = flow["WEB-02"]
    assert web["cycle_time_n"] == 0 and web["cycle_time_p50_days"] is None  # D3 never started
    assert web["scope_added"] is None  # no start date
    assert web["done_last_weeks"] == 2
    assert flow["ORPHAN-04"]["scope_planned"] is None  # a key with no children in Jira


def test_weekly_throughput_has_every_week():
    children, changes = frames()
    projects = pl.LazyFrame(
        {"project_id": ["PAY-01"], "jira_key": ["PAY-1"], "start_date": [dt.date(2025, 2, 1)]}
    )
    weeks = weekly_throughput(projects, children, changes, A).collect()
    assert weeks.height == 12
    assert weeks["week_end"].max() == A
    assert weeks["done"].sum() == 4
    by_end = dict(zip(weeks["week_end"].to_list(), weeks["done"].to_list(), strict=True))
    assert by_end[A] == 0  # nothing done 25-31 Mar
    assert by_end[A - dt.timedelta(days=7)] == 1  # C3 on 24 Mar: the week 18-24 Mar
    assert by_end[A - dt.timedelta(days=28)] == 1  # C6 on 1 Mar: the week 25 Feb - 3 Mar
    assert by_end[A - dt.timedelta(days=42)] == 1  # C2 on 17 Feb: the week 11-17 Feb
    assert by_end[A - dt.timedelta(days=70)] == 1  # C1 on 20 Jan


def test_weekly_throughput_counts_a_midnight_finish_in_the_week_of_its_date():
    """A child done at 00:00 on 25 Mar belongs to the week 25-31 Mar (the week ending on A),
    as it does in done_last_weeks and the delivery forecast's weekly counts; counted by the
    hours to the end of A it fell exactly 7 days back, into the week before."""
    children, changes = frames()
    midnight = pl.DataFrame(
        [
            {
                "issue_id": "111",
                "changed_at": dt.datetime(2025, 3, 25),
                "from_status": "In Progress",
                "to_status": "Done",
                "from_category": "indeterminate",
                "to_category": "done",
            }
        ],
        schema=CHANGE_SCHEMA,
    ).lazy()
    changes = pl.concat([changes.filter(pl.col("issue_id") != "111"), midnight])
    projects = pl.LazyFrame(
        {"project_id": ["PAY-01"], "jira_key": ["PAY-1"], "start_date": [dt.date(2025, 2, 1)]}
    )
    weeks = weekly_throughput(projects, children, changes, A).collect()
    by_end = dict(zip(weeks["week_end"].to_list(), weeks["done"].to_list(), strict=True))
    assert by_end[A] == 1
    flow = project_flow(projects, children, changes, A).collect()
    assert weeks["done"].sum() == flow["done_last_weeks"].item() == 4  # C1 moved, not added


# Through the sync, the store and every metric ---------------------------------------------
def test_the_portfolio_takes_blank_scope_from_jira(fake_jira, store):
    site = fake_jira(specs())
    config = config_for(site, jql="project in (PAY, WEB)")
    sync(store, config, http=quick_http(config))
    # C6 cannot come from the fake (every issue there has a history), so PAY-1 differs by it
    store.commit_snapshot(
        snapshot(
            [
                project(
                    "PAY-01",
                    jira_key="PAY-1",
                    start_date=dt.date(2025, 2, 1),
                    baseline_end=dt.date(2025, 6, 30),
                ),
                project(
                    "WEB-02",
                    jira_key="WEB-9",
                    scope_planned=10.0,
                    scope_delivered=9.0,
                    start_date=dt.date(2025, 1, 1),
                    baseline_end=dt.date(2025, 4, 30),
                ),
            ]
        ),
        as_of=A,
        content_hash="jira-scope",
    )
    portfolio = store.portfolio_input(A)
    projects = evaluate(portfolio, store.settings()).projects.collect()
    rows = {r["project_id"]: r for r in projects.iter_rows(named=True)}
    assert rows["PAY-01"]["scope_source"] == "jira"
    assert (rows["PAY-01"]["scope_planned"], rows["PAY-01"]["scope_delivered"]) == (19.0, 10.0)
    assert rows["WEB-02"]["scope_source"] == "sheet"  # the sheet's own scope wins
    assert rows["WEB-02"]["scope_planned"] == 10.0

    # a spreadsheet's key in another case or with spaces still finds the epic
    assert store.jira_children([" pay-1 "])["jira_key"].unique().to_list() == [" pay-1 "]
    assert store.jira_children([" pay-1 "]).height == 6

    later = with_jira_as_of(store.portfolio_input(dt.date(2025, 4, 10))).jira_scope.collect()
    assert later.filter(pl.col("jira_key") == "PAY-1")["jira_scope_delivered"].item() == 8.0

    jira = store.jira_input(A)
    flow = project_flow(jira.projects, jira.children, jira.changes, jira.as_of).collect()
    pay = flow.filter(pl.col("project_id") == "PAY-01").row(0, named=True)
    assert pay["cycle_time_p50_days"] == pytest.approx(14.0)
    assert pay["done_last_weeks"] == 3


def test_times_are_compared_in_utc(fake_jira, store):
    """A move at 00:30 in Berlin on 1 April is 31 March in UTC."""
    berlin = dt.timezone(dt.timedelta(hours=2))
    late = dt.datetime(2025, 4, 1, 0, 30, tzinfo=berlin)
    assert jira_time(late).endswith("+0200")
    spec = IssueSpec("301", "PAY-31", at(1, 6), [(late, "Done")], parent_key="PAY-1")
    site = fake_jira([spec])
    config = config_for(site)
    sync(store, config, http=quick_http(config))
    children = store.jira_children(["PAY-1"]).lazy()
    changes = store.jira_child_changes(["PAY-1"]).lazy()
    delivered = jira_scope(children, changes, A).collect()["jira_scope_delivered"].item()
    assert delivered == 1.0


def test_children_as_of_a_have_their_state_on_that_day():
    from metrics.jira import children_as_of

    children, changes = frames()
    states = dict(
        children_as_of(children, changes, A).select("issue_key", "state_as_of").collect().rows()
    )
    assert states == {
        "PAY-11": "done",
        "PAY-12": "done",
        "PAY-13": "done",  # reopened on 7 April, after A
        "PAY-14": "in_progress",
        "PAY-16": "done",  # no history: resolved on 1 March
        "PAY-17": "in_progress",  # done on 22 January, reopened on 5 February
        "WEB-21": "done",
        "WEB-22": "to_do",
        "WEB-23": "done",
    }  # PAY-15 was created after A


def test_a_child_is_listed_once_per_wanted_parent_whichever_links_it(fake_jira, store):
    """By parent, by Epic Link, or by both to the same epic: once under that epic; a child
    whose parent and Epic Link name two wanted epics is listed under each."""
    specs = [
        IssueSpec("401", "OPS-41", at(1, 6), [], parent_key="OPS-1"),
        IssueSpec("402", "OPS-42", at(1, 6), [], epic_key="OPS-1"),
        IssueSpec("403", "OPS-43", at(1, 6), [], parent_key="OPS-1", epic_key="OPS-1"),
        IssueSpec("404", "OPS-44", at(1, 6), [], parent_key="OPS-2", epic_key="OPS-1"),
        IssueSpec("405", "OPS-45", at(1, 6), [], parent_key="OPS-3"),
    ]
    site = fake_jira(specs)
    config = config_for(site)
    sync(store, config, http=quick_http(config))
    listed = store.jira_children([" ops-1", "OPS-2"]).select("jira_key", "issue_key").rows()
    assert sorted(listed) == [
        (" ops-1", "OPS-41"),
        (" ops-1", "OPS-42"),
        (" ops-1", "OPS-43"),
        (" ops-1", "OPS-44"),
        ("OPS-2", "OPS-44"),
    ]
