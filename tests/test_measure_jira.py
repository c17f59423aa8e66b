"""`jira` sources through the Jira connector, against the local fake Jira over HTTP (Cloud
and Data Center): exact counts across pages, a field's sum, credentials never echoed."""

from __future__ import annotations

import dataclasses

import pytest

from connectors.measure.jira import JiraSession
from connectors.measure.values import SourceFailed
from tests.support.jira_data import generated
from tests.support.jira_helpers import config_for


def specs(n: int = 230, bugs_every: int = 10) -> list:
    made = generated(n)
    return [
        dataclasses.replace(s, issue_type="Bug") if i % bugs_every == 0 else s
        for i, s in enumerate(made)
    ]


@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
def test_a_jql_count_is_exact_across_pages(fake_jira, deployment):
    site = fake_jira(specs(), deployment=deployment, search_cap=100, id_cap=50)
    session = JiraSession(config_for(site, jql=None))
    try:
        answer = session.measure("project = GEN AND issuetype = Bug", None)
        assert (answer.value, answer.raw) == (23.0, "23")
        assert session.measure("project = GEN", None).value == 230.0
    finally:
        session.close()


@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
def test_the_sum_of_a_numeric_field_by_name_or_id(fake_jira, deployment):
    made = specs()
    site = fake_jira(made, deployment=deployment, search_cap=100)
    expected = sum(s.story_points or 0 for s in made if s.issue_type == "Bug")
    session = JiraSession(config_for(site))
    try:
        by_name = session.measure("issuetype = Bug", "Story point estimate")
        by_id = session.measure("issuetype = Bug", "customfield_10016")
    finally:
        session.close()
    assert by_name.value == by_id.value == expected > 0
    with pytest.raises(SourceFailed, match="no field 'Velocity'"):
        JiraSession(config_for(site)).measure("issuetype = Bug", "Velocity")


def test_a_bad_jql_is_jiras_own_message(fake_jira):
    site = fake_jira(specs(20))
    with pytest.raises(SourceFailed) as caught:
        JiraSession(config_for(site)).measure("project = !!", None)
    assert "JQL" in str(caught.value)


def test_wrong_credentials_are_clear_and_the_token_is_never_echoed(fake_jira):
    site = fake_jira(specs(20), echo_headers=True)
    wrong = "ATATT-wrong-Sup3rSecret-token"
    config = config_for(site, api_token=wrong)
    with pytest.raises(SourceFailed) as caught:
        JiraSession(config).measure("issuetype = Bug", None)
    message = str(caught.value)
    assert "401" in message or "credentials" in message.lower()
    assert wrong not in message


def test_jira_not_configured_says_what_to_set():
    from connectors.jira.config import JiraConfig

    with pytest.raises(SourceFailed, match="Jira is not configured"):
        JiraSession(JiraConfig())
