"""The Jira connector's small parts: retry timing, JQL, configuration, fields, parsing."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest

from connectors.jira.config import JiraConfig, config_from, load_config
from connectors.jira.errors import JiraConfigError
from connectors.jira.fields import FieldMap, discover
from connectors.jira.jql import split_order_by, sync_jql
from connectors.jira.parse import ChangeColumns, IssueColumns, StatusCatalog, frames
from connectors.jira.retry import RetryPolicy, parse_retry_after
from tests.support.jira_data import FieldIds, IssueSpec, field_list, issue_json, status_list

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


# Retry ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("Mon, 02 Mar 2026 09:00:30 GMT", 30.0),
        ("Mon, 02 Mar 2026 08:00:00 GMT", 0.0),  # already past: no wait needed
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_is_seconds_or_an_http_date(header, seconds):
    assert parse_retry_after(header, NOW) == seconds


def test_backoff_doubles_with_jitter_and_never_undercuts_retry_after():
    policy = RetryPolicy(base=1.0, max_delay=8.0)
    rng = random.Random(1)
    for attempt, ceiling in enumerate([1, 2, 4, 8, 8]):
        waits = [policy.backoff(attempt, rng) for _ in range(200)]
        assert min(waits) >= ceiling / 2 and max(waits) <= ceiling
        assert len(set(waits)) > 100  # jittered, so clients do not retry in step
    assert policy.delay(0, 30.0, rng) == 30.0
    assert policy.delay(3, 0.1, rng) >= 4.0


# JQL --------------------------------------------------------------------------------------
def test_order_by_is_found_outside_quotes_only():
    assert split_order_by('summary ~ "order by" ORDER BY rank') == (
        'summary ~ "order by"',
        "ORDER BY rank",
    )
    assert split_order_by("project = PAY") == ("project = PAY", "")
    assert split_order_by("project = PAY order  by created DESC") == (
        "project = PAY",
        "order  by created DESC",
    )
    assert split_order_by("text ~ 'it\\'s ORDER BY x'") == ("text ~ 'it\\'s ORDER BY x'", "")


def test_incremental_jql_wraps_the_condition_and_keeps_the_order_last():
    since = dt.datetime(2026, 1, 15, 12, 7, tzinfo=dt.UTC)
    assert sync_jql("project = PAY OR project = WEB ORDER BY key", since, "UTC") == (
        '(project = PAY OR project = WEB) AND updated >= "2026-01-15 12:02" ORDER BY key'
    )
    assert sync_jql("ORDER BY created DESC", since, "UTC") == (
        'updated >= "2026-01-15 12:02" ORDER BY created DESC'
    )
    # JQL dates are read in the user's zone: Sydney is 11 hours ahead in January
    assert 'updated >= "2026-01-15 23:02"' in sync_jql("project = PAY", since, "Australia/Sydney")
    assert 'updated >= "2026-01-15 12:02"' in sync_jql("project = PAY", since, "Mars/Olympus")
    # a full sync: the user's JQL, oldest first unless the user said otherwise
    assert sync_jql("project = PAY") == "project = PAY ORDER BY created ASC"


# Configuration ----------------------------------------------------------------------------
def test_settings_come_from_secrets_toml_and_the_environment_wins(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[jira]\nurl = "https://acme.atlassian.net/"\nemail = "pmo@acme.com"\n'
        'api_token = "file-token-1234"\njql = "project = PAY"\n'
        'story_points_field = "customfield_10026"\nretry_cap_seconds = 60\n'
        "[other]\nx = 1\n"
    )
    config = load_config(secrets, env={"JIRA_JQL": "project = WEB"})
    assert config.base_url == "https://acme.atlassian.net"
    assert config.jql == "project = WEB"
    assert config.api_token == "file-token-1234"
    assert config.story_points_field == "customfield_10026"
    assert config.retry_cap_seconds == 60.0
    assert config.problems() == []


def test_every_missing_setting_is_named():
    with pytest.raises(JiraConfigError) as caught:
        config_from({}, env={}).check()
    text = str(caught.value)
    for name in ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PAT", "JIRA_JQL"):
        assert name in text
    partial = config_from({"url": "https://x.example", "api_token": "t0ken", "jql": "a"}, env={})
    assert partial.problems() == [
        "The API token needs the account's e-mail: set JIRA_EMAIL (or email under [jira])."
    ]
    cloud = config_from(
        {"url": "https://x.example", "pat": "p4t-1234", "jql": "a", "deployment": "Cloud"}, env={}
    )
    assert "JIRA_EMAIL" in cloud.problems()[0] and "JIRA_API_TOKEN" in cloud.problems()[0]
    with pytest.raises(JiraConfigError, match="timeout_seconds must be a number"):
        config_from({"timeout_seconds": "soon"}, env={})


def test_tokens_stay_out_of_repr_and_descriptions():
    config = JiraConfig(
        url="https://me:pw@jira.acme.com/jira",
        email="a@acme.com",
        api_token="tok-123456",
        pat="pat-654321",
        jql="x",
    )
    assert "tok-123456" not in repr(config) and "pat-654321" not in repr(config)
    assert config.display_url == "https://jira.acme.com/jira"
    assert "tok-123456" not in str(config.describe())


def test_data_center_uses_the_pat_cloud_uses_basic():
    both = JiraConfig(url="https://j", email="a@b.c", api_token="t", pat="p", jql="x")
    assert both.uses_pat("datacenter") and not both.uses_pat("cloud")
    assert not both.uses_pat("auto")  # e-mail + token work on either
    only_pat = JiraConfig(url="https://j", pat="p", jql="x")
    assert only_pat.uses_pat("auto") and only_pat.user_label() == "a personal access token"
    assert config_from({"deployment": "Data Center"}, env={}).deployment == "datacenter"
    assert config_from({"deployment": "server"}, env={}).deployment == "datacenter"


# Fields -----------------------------------------------------------------------------------
def test_story_points_and_epic_link_are_found_by_type():
    found = discover(field_list(FieldIds("customfield_12702", "customfield_11000")))
    assert found == FieldMap(("customfield_12702", "customfield_10028"), "customfield_11000", True)


def test_a_float_field_named_story_points_counts_and_overrides_win():
    fields = [
        {
            "id": "customfield_1",
            "name": "Story Points",
            "schema": {"custom": "com.atlassian.jira.plugin.system.customfieldtypes:float"},
        },
        {
            "id": "customfield_2",
            "name": "Budget",
            "schema": {"custom": "com.atlassian.jira.plugin.system.customfieldtypes:float"},
        },
    ]
    assert discover(fields).story_points == ("customfield_1",)
    assert discover(fields).epic_link is None
    assert discover(fields, story_points="Budget").story_points == ("customfield_2",)
    assert discover(fields, story_points="customfield_9").story_points == ("customfield_9",)
    assert discover([]).request[-1] == "parent"


def test_every_story_point_field_of_a_real_site_is_a_candidate_and_lookalikes_are_not():
    """Names and types as public sites list them (IntelDAOS and Sakai have both fields;
    Atlassian's own Jira three "Story Points"; many have Plans' "Original story points")."""

    def field(fid: str, name: str, plugin: str) -> dict[str, object]:
        return {"id": fid, "name": name, "schema": {"type": "number", "custom": plugin}}

    cft = "com.atlassian.jira.plugin.system.customfieldtypes:float"
    fields = [
        field("customfield_10026", "Story Points", cft),
        field(
            "customfield_10016",
            "Story point estimate",
            "com.pyxis.greenhopper.jira:jsw-story-points",
        ),
        field("customfield_10571", "Story Points", cft),
        field(
            "customfield_19232",
            "Original story points",
            "com.atlassian.jpo:jpo-custom-field-original-story-points",
        ),
        field("customfield_19950", "Actual Story Points", cft),
        field("customfield_12833", "Task Points", cft),
    ]
    found = discover(fields)
    assert found.story_points == ("customfield_10016", "customfield_10026", "customfield_10571")
    assert found.request[-3:] == list(found.story_points)


# Parsing ----------------------------------------------------------------------------------
def test_issues_with_nulls_and_dozens_of_fields_become_typed_columns():
    spec = IssueSpec(
        "10002",
        "ED-1",
        dt.datetime(2023, 11, 2, 9, 2, 34, tzinfo=dt.UTC),
        [(dt.datetime(2023, 11, 7, 8, 46, tzinfo=dt.UTC), "Done")],
        story_points=None,
        parent_key="ED-0",
    )
    raw = issue_json(spec, "https://acme.atlassian.net")
    raw["fields"]["created"] = "2023-11-02T10:02:34.255+0100"
    odd = {
        "id": "10003",
        "key": "ED-2",
        "fields": {"summary": None, "status": None, "created": "2023-11-02T09:02:34Z"},
    }
    statuses = StatusCatalog()
    columns = IssueColumns(FieldMap(("customfield_10016",), "customfield_10014"))
    assert columns.add([raw, odd]) == ["10002", "10003"]
    frame = columns.frame()
    columns.teach(statuses)
    first, second = frame.iter_rows(named=True)
    assert first["created"] == dt.datetime(2023, 11, 2, 9, 2, 34, 255000)
    assert first["resolution_date"] == dt.datetime(2023, 11, 7, 8, 46)
    assert (first["project_key"], first["status_category"], first["parent_key"]) == (
        "ED",
        "done",
        "ED-0",
    )
    assert first["story_points"] is None
    assert second["created"] == dt.datetime(2023, 11, 2, 9, 2, 34)
    assert second["status"] is None and second["summary"] is None
    assert statuses.by_id["10002"] == "done"


def test_status_changes_from_bulkfetch_and_data_center_histories():
    statuses = StatusCatalog()
    statuses.add_statuses(status_list())
    changes = ChangeColumns()
    changes.add_bulk_page(
        {
            "issueChangeLogs": [
                {
                    "issueId": "1",
                    "changeHistories": [
                        {
                            "created": 1492070429,
                            "items": [  # epoch seconds
                                {
                                    "field": "status",
                                    "fieldtype": "jira",
                                    "fieldId": "status",
                                    "from": "10000",
                                    "fromString": "To Do",
                                    "to": "3",
                                    "toString": "In Progress",
                                }
                            ],
                        },
                        {
                            "created": 1492071429000,
                            "items": [  # epoch millis
                                {
                                    "field": "summary",
                                    "fieldId": "summary",
                                    "fromString": "a",
                                    "toString": "b",
                                },
                                {
                                    "field": "status",
                                    "fieldtype": "custom",
                                    "fieldId": "customfield_5",
                                    "toString": "not the workflow",
                                },
                            ],
                        },
                    ],
                }
            ]
        }
    )
    # Data Center: no fieldId, status ids that /status does not list (names still map)
    changes.add_histories(
        "2",
        [
            {
                "created": "2023-11-07T09:46:08.367+0100",
                "items": [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "from": "99",
                        "fromString": "In Progress",
                        "to": "98",
                        "toString": "DONE ",
                    }
                ],
            }
        ],
    )
    frame = changes.frame(statuses)
    assert frame.select("issue_id", "changed_at", "from_category", "to_category").rows() == [
        ("1", dt.datetime(2017, 4, 13, 8, 0, 29), "new", "indeterminate"),
        ("2", dt.datetime(2023, 11, 7, 8, 46, 8, 367000), "indeterminate", "done"),
    ]


def test_frames_keep_the_history_of_the_issues_only():
    statuses = StatusCatalog()
    issues = IssueColumns(FieldMap())
    issues.add([{"id": "1", "key": "A-1", "fields": {"created": "2025-01-01T00:00:00.000+0000"}}])
    changes = ChangeColumns()
    changes.add_histories(
        "2",
        [
            {
                "created": "2025-01-02T00:00:00.000+0000",
                "items": [
                    {
                        "field": "status",
                        "fieldId": "status",
                        "fromString": "To Do",
                        "toString": "Done",
                    }
                ],
            }
        ],
    )
    result = frames(issues, changes, statuses)
    assert result.issues.height == 1 and result.changes.height == 0
    assert result.changes.schema == pl.Schema(result.changes.schema)


def test_numbers_where_jira_usually_sends_text_are_read_not_fatal():
    """Atlassian's own search example sends `updated` as a number, and some servers send
    ids as numbers: a sync must read them, not stop with a type error."""
    statuses = StatusCatalog()
    columns = IssueColumns(FieldMap())
    page = [
        {"id": 10002, "key": "ED-1", "fields": {"updated": 1, "issuetype": None}},
        {
            "id": "10003",
            "key": "ED-2",
            "fields": {
                "status": {"id": 3, "name": "Done", "statusCategory": {"key": "done"}},
                "created": 1698915754255,  # epoch milliseconds
                "updated": 1698915754,  # epoch seconds
                "summary": {"type": "doc"},  # not text
            },
        },
    ]
    assert columns.add(page) == ["10002", "10003"]
    columns.teach(statuses)
    first, second = columns.frame().iter_rows(named=True)
    assert first["updated"] == dt.datetime(1970, 1, 1, 0, 0, 1)
    assert second["created"] == dt.datetime(2023, 11, 2, 9, 2, 34, 255000)
    assert second["updated"] == dt.datetime(2023, 11, 2, 9, 2, 34)
    assert (second["status"], second["status_category"], second["summary"]) == (
        "Done",
        "done",
        None,
    )
    assert statuses.by_id["3"] == "done"
    changes = ChangeColumns()
    changes.add_histories(
        "10003",
        [{"created": "2023-11-03T10:00:00.000+0000", "items": [
            {"field": "status", "fieldtype": "jira", "from": 1, "fromString": "Open",
             "to": 3, "toString": "Done"}]}],
    )  # fmt: skip
    statuses.add("1", "Open", "new")
    row = changes.frame(statuses).select("from_status", "from_category", "to_category").row(0)
    assert row == ("Open", "new", "done")  # categories found by the ids sent as numbers
