"""The Jira sync against a local server that speaks Jira's REST protocol (no patched requests)."""

from __future__ import annotations

import datetime as dt
import email.utils
from zoneinfo import ZoneInfo

import duckdb
import polars as pl
import pytest

from connectors.jira import (
    JiraAuthError,
    JiraConfigError,
    JiraError,
    JiraProtocolError,
    JiraQueryError,
    JiraUnavailableError,
    sync,
)
from connectors.jira.cloud import SEARCH
from connectors.jira.http import JiraHttp
from connectors.jira.retry import RetryPolicy
from metrics.jira import jira_scope
from tests.support.fake_jira import Fault
from tests.support.jira_data import FieldIds, IssueSpec, generated
from tests.support.jira_helpers import FakeClock, config_for, quick_http

UTC = dt.UTC
BULK = "/rest/api/3/changelog/bulkfetch"


def _issue_keys(store) -> set[str]:
    rows = store.db.cursor().execute("SELECT issue_key FROM jira_issues").fetchall()
    return {r[0] for r in rows}


# Paging ---------------------------------------------------------------------------------
def test_cloud_sync_pages_with_tokens_and_asks_only_for_needed_fields(fake_jira, store):
    specs = generated(250)
    site = fake_jira(specs, search_cap=100, changelog_cap=150)
    clock = FakeClock()
    result = sync(store, config_for(site), http=quick_http(config_for(site), clock))

    searches = site.app.requests_to(SEARCH)
    assert [r.method for r in searches] == ["POST"] * 3  # 100 + 100 + 50, never GET/search
    first, *rest = [r.body for r in searches]
    assert "nextPageToken" not in first
    assert [b["nextPageToken"] for b in rest]  # each next page asked by its token
    assert first["fields"] == [
        "summary",
        "issuetype",
        "status",
        "created",
        "updated",
        "resolutiondate",
        "parent",
        "customfield_10016",  # story point estimate, discovered through /field
        "customfield_10028",  # the site's other story-point field, "Story Points"
        "customfield_10014",  # epic link
    ]
    assert site.app.counts["/rest/api/3/search"] == 0
    assert site.app.counts["/rest/api/3/search/approximate-count"] == 1
    bulk = site.app.requests_to(BULK)
    assert all(len(r.body["issueIdsOrKeys"]) <= 1000 for r in bulk)
    assert all(r.body["fieldIds"] == ["status"] for r in bulk)
    assert len(bulk) >= 2  # its own token paging (150 histories a page)
    assert result.n_issues == 250 and result.mode == "full"
    expected_changes = sum(len(s.moves) for s in specs)
    assert result.n_changes == expected_changes
    assert store.jira_issue_count() == 250
    assert clock.sleeps == []


def test_issue_ids_are_deduplicated_when_a_page_repeats_one(fake_jira, store):
    specs = generated(30)
    specs.insert(20, specs[5])  # Jira may return an issue on two pages while it changes
    site = fake_jira(specs, search_cap=10)
    result = sync(store, config_for(site), http=quick_http(config_for(site)))
    assert result.n_issues == 30
    assert store.jira_issue_count() == 30
    bulk_ids = [i for r in site.app.requests_to(BULK) for i in r.body["issueIdsOrKeys"]]
    assert len(bulk_ids) == len(set(bulk_ids)) == 30


def test_data_center_pages_by_start_at_and_reads_the_server_page_size(fake_jira, store):
    specs = generated(120)
    site = fake_jira(specs, deployment="datacenter", dc_page_cap=50)
    result = sync(store, config_for(site), http=quick_http(config_for(site)))

    pages = site.app.requests_to("/rest/api/2/search")
    starts = [int(r.params["startAt"][0]) for r in pages]
    assert starts == [0, 50, 100]  # the server gave 50 whatever was asked
    assert int(pages[0].params["maxResults"][0]) > 50
    assert [int(r.params["maxResults"][0]) for r in pages[1:]] == [50, 50]
    assert all(r.params["expand"] == ["changelog"] for r in pages)
    assert all(r.auth == "bearer" for r in pages)
    assert site.app.counts["/rest/api/3/search/jql"] == 0
    assert result.deployment == "datacenter" and result.n_issues == 120
    assert result.n_changes == sum(len(s.moves) for s in specs)


def test_data_center_fetches_a_changelog_the_search_cut_short(fake_jira, store):
    specs = generated(12, seed=3)
    site = fake_jira(specs, deployment="datacenter", dc_changelog_limit=1)
    result = sync(store, config_for(site), http=quick_http(config_for(site)))
    assert result.n_changes == sum(len(s.moves) for s in specs)
    assert any(path.startswith("/rest/api/2/issue/") for path in site.app.counts)


def test_changelog_timestamps_may_be_epoch_millis(fake_jira, store):
    specs = generated(20)
    site = fake_jira(specs, epoch_changelog=True)
    sync(store, config_for(site), http=quick_http(config_for(site)))
    changes = (
        store.db.cursor()
        .execute("SELECT min(changed_at), count(*) FROM jira_status_changes")
        .fetchone()
    )
    first_move = min(m[0] for s in specs for m in s.moves).replace(tzinfo=None)
    assert changes[0] == first_move
    assert changes[1] == sum(len(s.moves) for s in specs)


def test_fields_are_discovered_whatever_their_ids_and_can_be_overridden(fake_jira, store):
    ids = FieldIds(story_points="customfield_12702", epic_link="customfield_11000")
    spec = IssueSpec(
        "501", "PAY-2", dt.datetime(2025, 1, 6, 9, tzinfo=UTC), story_points=5.0, epic_key="PAY-1"
    )
    site = fake_jira([spec], ids=ids)
    result = sync(store, config_for(site), http=quick_http(config_for(site)))
    assert (result.fields.story_points, result.fields.epic_link) == (
        ("customfield_12702", "customfield_10028"),
        "customfield_11000",
    )
    row = store.jira_children(["PAY-1"]).row(0, named=True)
    assert row["story_points"] == 5.0 and row["epic_key"] == "PAY-1"

    override = config_for(site, story_points_field="Story Points")  # by name: the legacy field
    sync(store, override, full=True, http=quick_http(override))
    assert store.jira_children(["PAY-1"])["story_points"].to_list() == [None]


def test_each_epic_is_measured_in_the_story_point_field_its_children_fill(fake_jira, store):
    """The site lists "Story point estimate" (Jira Software's type, preferred) and "Story
    Points"; PAY-1's team fills only the second, WEB-9's only the first."""
    day = dt.datetime(2025, 1, 6, 9, tzinfo=UTC)
    done = [(day + dt.timedelta(days=3), "Done")]
    specs = [
        IssueSpec("601", "PAY-2", day, done, legacy_points=3.0, parent_key="PAY-1"),
        IssueSpec("602", "PAY-3", day, [], legacy_points=5.0, parent_key="PAY-1"),
        # an estimate left in the other field as well: the epic's own field counts
        IssueSpec("603", "PAY-4", day, [], story_points=1.0, legacy_points=8.0, parent_key="PAY-1"),
        IssueSpec("604", "WEB-2", day, done, story_points=2.0, epic_key="WEB-9"),
        IssueSpec("605", "WEB-3", day, [], story_points=13.0, epic_key="WEB-9"),
    ]
    site = fake_jira(specs)
    config = config_for(site)
    result = sync(store, config, http=quick_http(config))
    assert result.fields.story_points == ("customfield_10016", "customfield_10028")
    asked = site.app.requests_to(SEARCH)[0].body["fields"]
    assert {"customfield_10016", "customfield_10028"} <= set(asked)

    keys = ["PAY-1", "WEB-9"]
    children = store.jira_children(keys)
    points = dict(zip(children["issue_key"], children["story_points"], strict=True))
    assert points == {"PAY-2": 3.0, "PAY-3": 5.0, "PAY-4": 8.0, "WEB-2": 2.0, "WEB-3": 13.0}
    scope = jira_scope(children.lazy(), store.jira_child_changes(keys).lazy(), dt.date(2025, 2, 1))
    assert scope.collect().rows() == [
        ("PAY-1", 16.0, 3.0, "points", 3),
        ("WEB-9", 15.0, 2.0, "points", 2),
    ]

    # configuration still wins: only the configured field is asked for and read
    chosen = config_for(site, story_points_field="customfield_10016")
    sync(store, chosen, full=True, http=quick_http(chosen))
    assert "customfield_10028" not in site.app.requests_to(SEARCH)[-1].body["fields"]
    pay = store.jira_children(["PAY-1"])
    assert pay["story_points"].to_list() == [None, None, 1.0]


# Faults ---------------------------------------------------------------------------------
def test_429_waits_at_least_retry_after(fake_jira, store):
    site = fake_jira(generated(5))
    site.app.fail(SEARCH, Fault(429, {"Retry-After": "7"}, {"errorMessages": ["Rate limited"]}))
    clock = FakeClock()
    result = sync(store, config_for(site), http=quick_http(config_for(site), clock, base=0.5))
    assert result.n_issues == 5
    assert len(clock.sleeps) == 1 and clock.sleeps[0] >= 7
    assert len(site.app.requests_to(SEARCH)) == 2


def test_retry_after_as_an_http_date_is_honoured(fake_jira, store):
    site = fake_jira(generated(5))
    clock = FakeClock()
    later = email.utils.format_datetime(clock.now() + dt.timedelta(seconds=12), usegmt=True)
    site.app.fail(SEARCH, Fault(429, {"Retry-After": later}))
    sync(store, config_for(site), http=quick_http(config_for(site), clock, base=0.5))
    assert len(clock.sleeps) == 1 and 11.9 <= clock.sleeps[0] <= 16


def test_the_server_sees_the_retry_no_sooner_than_retry_after(fake_jira, store):
    """Real waiting, measured by the server's own request log (one second)."""
    site = fake_jira(generated(3))
    site.app.fail(SEARCH, Fault(429, {"Retry-After": "1"}))
    config = config_for(site)
    http = JiraHttp(config, policy=RetryPolicy(base=0.01, max_delay=0.05, cap=10))
    sync(store, config, http=http)
    first, second = site.app.requests_to(SEARCH)[:2]
    assert second.at - first.at >= 1.0


def test_503_and_lost_connections_back_off_exponentially(fake_jira, store):
    site = fake_jira(generated(5))
    site.app.fail(BULK, Fault(503, body="<html>Service Unavailable</html>"), Fault(503), Fault(502))
    clock = FakeClock()
    result = sync(store, config_for(site), http=quick_http(config_for(site), clock, base=1.0))
    assert result.n_changes > 0
    assert len(clock.sleeps) == 3
    # backoff doubles (jitter within the upper half of each step)
    assert 0.5 <= clock.sleeps[0] <= 1.0 < clock.sleeps[1] <= 2.0 < clock.sleeps[2] <= 4.0


def test_retries_stop_at_the_cap_and_nothing_is_saved(fake_jira, store, db_path):
    site = fake_jira(generated(5))
    site.app.fail(SEARCH, *[Fault(429, {"Retry-After": "20"}) for _ in range(5)])
    clock = FakeClock()
    with pytest.raises(JiraUnavailableError) as caught:
        sync(store, config_for(site), http=quick_http(config_for(site), clock, cap=45))
    assert "POST /rest/api/3/search/jql: HTTP 429 (rate limited)" in str(caught.value)
    assert "Gave up after" in str(caught.value)
    assert sum(clock.sleeps) <= 45
    assert store.jira_issue_count() == 0


def test_an_unreachable_jira_is_retried_then_reported(store):
    config = config_for_unreachable()
    clock = FakeClock()
    with pytest.raises(JiraUnavailableError) as caught:
        sync(store, config, http=quick_http(config, clock, cap=3, base=0.5))
    assert "no connection (Connection refused)" in str(caught.value)
    assert clock.sleeps  # it did retry first


def config_for_unreachable():
    from connectors.jira.config import JiraConfig

    return JiraConfig(
        url="http://127.0.0.1:9",  # discard port: nothing listens
        email="pmo.lead@example.com",
        api_token="ATATT3xFfGF0-unreachable-Sup3rSecret",
        jql="project = PAY",
        deployment="cloud",
        timeout_seconds=2,
    )


def test_a_repeated_page_token_stops_the_sync(fake_jira, store):
    site = fake_jira(generated(40), search_cap=10)
    site.app.repeat_token = True
    with pytest.raises(JiraProtocolError, match="same page token twice"):
        sync(store, config_for(site), http=quick_http(config_for(site)))
    assert store.jira_issue_count() == 0
    # the first page, then the page its token names, whose token is that same one: stop
    assert len(site.app.requests_to(SEARCH)) == 2


def test_401_names_the_user_and_the_site(fake_jira, store):
    site = fake_jira(generated(3))
    config = config_for(site, api_token="ATATT-wrong-token-XYZ")
    with pytest.raises(JiraAuthError) as caught:
        sync(store, config, http=quick_http(config))
    text = str(caught.value)
    assert text.startswith(f"Jira refused the credentials for pmo.lead@example.com at {site.url}")
    assert "ATATT-wrong-token-XYZ" not in text


def test_403_is_reported_like_a_refusal(fake_jira, store):
    site = fake_jira(generated(3), deployment="datacenter")
    site.app.fail(
        "/rest/api/2/myself", Fault(403, {"X-Seraph-LoginReason": "AUTHENTICATION_DENIED"})
    )
    with pytest.raises(JiraAuthError) as caught:
        sync(store, config_for(site), http=quick_http(config_for(site)))
    text = str(caught.value)
    assert f"Jira refused the credentials for a personal access token at {site.url}" in text
    assert "CAPTCHA" in text


def test_400_carries_jiras_own_error_messages(fake_jira, store):
    site = fake_jira(generated(3))
    config = config_for(site, jql="project = PAY AND summary ~ !!oops")
    with pytest.raises(JiraQueryError) as caught:
        sync(store, config, http=quick_http(config))
    text = str(caught.value)
    assert "Error in the JQL Query: The character '!' is a reserved JQL character" in text
    assert "JIRA_JQL" in text


def test_410_means_an_old_proxy_or_endpoint(fake_jira, store):
    site = fake_jira(generated(3))
    site.app.fail(
        SEARCH, Fault(410, body={"errorMessages": ["The requested API has been removed."]})
    )
    with pytest.raises(JiraProtocolError) as caught:
        sync(store, config_for(site), http=quick_http(config_for(site)))
    assert "410 Gone" in str(caught.value)
    assert "proxy" in str(caught.value)


def test_other_answers_get_a_clear_message(fake_jira, store):
    site = fake_jira(generated(3))
    site.app.fail("/rest/api/3/field", Fault(200, body="<html>Sign in to continue</html>"))
    with pytest.raises(JiraProtocolError, match="not JSON"):
        sync(store, config_for(site), http=quick_http(config_for(site)))


def test_a_redirect_is_reported_not_followed(fake_jira, store):
    site = fake_jira(generated(3))
    moved = Fault(302, {"Location": "https://acme.atlassian.net/rest/api/3/search/jql"})
    site.app.fail(SEARCH, moved)
    with pytest.raises(JiraProtocolError) as caught:
        sync(store, config_for(site), http=quick_http(config_for(site)))
    assert "redirects /rest/api/3/search/jql (HTTP 302) to https://acme.atlassian.net" in str(
        caught.value
    )
    assert [r.method for r in site.app.requests_to(SEARCH)] == ["POST"]  # no GET after it


def test_a_cloud_site_needs_email_and_api_token(fake_jira, store):
    site = fake_jira(generated(3))
    config = config_for(site, email=None, api_token=None, pat="NjQ0MzA3-dc-pat-Sup3rSecret")
    with pytest.raises(JiraConfigError, match="JIRA_EMAIL and JIRA_API_TOKEN"):
        sync(store, config, http=quick_http(config))


# Atomicity ------------------------------------------------------------------------------
def test_a_failed_sync_commits_nothing_and_records_why(fake_jira, store, db_path):
    site = fake_jira(generated(60), search_cap=20)
    sync(store, config_for(site), http=quick_http(config_for(site)))
    before = _table_counts_via(store)
    site.app.set_specs(generated(80, seed=11))
    # the changelog dies after the search has fetched every page
    site.app.fail(BULK, Fault(401))
    with pytest.raises(JiraAuthError):
        sync(store, config_for(site), full=True, http=quick_http(config_for(site)))
    assert _table_counts_via(store) == before
    runs = store.jira_sync_runs()
    assert runs["ok"].to_list() == [False, True]
    assert "refused the credentials" in runs["message"][0]
    assert runs["watermark"][0] is None
    audit = store.audit_log()
    assert audit.filter(pl.col("action") == "sync").height == 2


def _table_counts_via(store) -> tuple[int, int, list[str]]:
    cur = store.db.cursor()
    issues = cur.execute("SELECT count(*) FROM jira_issues").fetchone()[0]
    changes = cur.execute("SELECT count(*) FROM jira_status_changes").fetchone()[0]
    keys = sorted(r[0] for r in cur.execute("SELECT issue_key FROM jira_issues").fetchall())
    return issues, changes, keys


# Incremental ----------------------------------------------------------------------------
def test_the_second_sync_asks_only_for_updates_since_its_watermark(fake_jira, store):
    start = dt.datetime(2025, 1, 6, 9, tzinfo=UTC)
    specs = generated(30, start=start)
    site = fake_jira(specs, time_zone="Europe/Berlin")
    first = sync(store, config_for(site), http=quick_http(config_for(site)))
    assert first.mode == "full"
    watermark = store.jira_sync_runs()["watermark"][0]

    # one issue moves on, one is new, after the first sync
    now = dt.datetime.now(UTC)
    moved = next(s for s in specs if not s.moves)
    moved.moves.append((now, "In Progress"))
    new = IssueSpec("99999", "GEN-999", now, summary="Added later", parent_key="EP-1")
    site.app.set_specs([*specs, new])
    site.app.log.clear()
    second = sync(store, config_for(site), http=quick_http(config_for(site)))

    assert second.mode == "incremental"
    since = watermark.replace(tzinfo=UTC) - dt.timedelta(minutes=5)
    local = since.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M")
    jql = site.app.requests_to(SEARCH)[0].body["jql"]
    # the user's condition in parentheses, the watermark in the user's time zone, and the
    # user's ORDER BY still last
    assert jql == f'(project in (PAY, WEB)) AND updated >= "{local}" ORDER BY key ASC'
    assert second.n_issues == 2
    assert store.jira_issue_count() == 31
    states = (
        store.db.cursor()
        .execute("SELECT status FROM jira_issues WHERE issue_key = ?", [moved.key])
        .fetchone()
    )
    assert states[0] == "In Progress"
    history = (
        store.db.cursor()
        .execute(
            "SELECT count(*) FROM jira_status_changes c JOIN jira_issues i USING (issue_id) "
            "WHERE i.issue_key = ?",
            [moved.key],
        )
        .fetchone()
    )
    assert history[0] == len(moved.moves)  # replaced, not appended twice


def test_full_forces_every_issue_and_replaces_what_is_gone(fake_jira, store):
    specs = generated(20)
    site = fake_jira(specs)
    sync(store, config_for(site), http=quick_http(config_for(site)))
    site.app.set_specs(specs[:15])
    result = sync(store, config_for(site), full=True, http=quick_http(config_for(site)))
    assert result.mode == "full"
    assert "updated >=" not in site.app.requests_to(SEARCH)[-1].body["jql"]
    assert store.jira_issue_count() == 15


def test_another_jql_starts_over_with_a_full_sync(fake_jira, store):
    site = fake_jira(generated(10))
    sync(store, config_for(site), http=quick_http(config_for(site)))
    other = config_for(site, jql="project = GEN")
    assert sync(store, other, http=quick_http(other)).mode == "full"


# Secrets --------------------------------------------------------------------------------
def test_tokens_never_reach_messages_or_the_store(fake_jira, store, db_path, capsys):
    site = fake_jira(generated(10))
    good = config_for(site)
    sync(store, good, http=quick_http(good))
    # a proxy that echoes the credentials back in its error page
    site.app.fail(SEARCH, Fault(500, body=f"bad gateway for token {good.api_token}"))
    site.app.fail(SEARCH, Fault(418, body=f"teapot {good.api_token}"))
    with pytest.raises(JiraError) as caught:
        sync(store, good, full=True, http=quick_http(good))
    assert good.api_token not in str(caught.value)
    assert "[redacted]" in str(caught.value)
    assert good.api_token not in repr(good) and "api_token" not in repr(good)
    out = capsys.readouterr()
    assert good.api_token not in out.out + out.err
    store.db.close()
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for table in ("jira_sync_runs", "audit_log", "jira_issues"):
            dump = str(con.execute(f"SELECT * FROM {table}").fetchall())
            assert good.api_token not in dump, table
            assert "Sup3rSecret" not in dump, table
    finally:
        con.close()
