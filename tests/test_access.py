"""The access rules for every role: who may view, who may edit, and what they are told."""

from __future__ import annotations

import pytest

from domain.deployment import SettingError, parse_flag
from tests.factories import TEST_AUTH
from ui.shell.access import UNVERIFIED, decide, matches
from ui.shell.identity import verified
from ui.shell.policy import DEFAULT_MAX_UPLOAD_MB, Policy, policy_from

SIGN_IN = {"auth": TEST_AUTH}


def test_matching_emails_and_domains():
    assert matches("Ana@Acme.com", ["ana@acme.com"])
    assert matches("ben@acme.com", ["@ACME.com"])
    assert not matches("ben@acme.com.evil.io", ["@acme.com"])
    assert not matches("eve@other.org", ["ana@acme.com", "@acme.com"])
    assert not matches(None, ["@acme.com"])


def test_policy_from_secrets_and_environment():
    policy = policy_from(
        {**SIGN_IN, "access": {"require_login": True, "viewers": ["@acme.com"],
                               "editors": "ana@acme.com, @pmo.acme.com"},
         "limits": {"max_upload_mb": 20}},
        {"COCKPIT_READ_ONLY": "1"},
    )  # fmt: skip
    assert policy == Policy(
        sign_in=True,
        require_login=True,
        viewers=("@acme.com",),
        editors=("ana@acme.com", "@pmo.acme.com"),
        read_only=True,
        max_upload_mb=20,
    )
    assert policy_from({}, {}).max_upload_mb == DEFAULT_MAX_UPLOAD_MB
    assert policy_from({}, {"COCKPIT_MAX_UPLOAD_MB": "7"}).max_upload_mb == 7


ROLES = {
    # name: (policy, user, can_view, can_edit, message fragment)
    "anonymous, no sign-in configured": (Policy(), None, True, True, "anyone with the link"),
    "anonymous, read-only deployment": (Policy(read_only=True), None, True, False, "read-only"),
    "anonymous, sign-in configured": (
        Policy(sign_in=True, editors=("ana@acme.com",)), None, True, False, "Sign in as an editor"
    ),
    "anonymous, login required": (
        Policy(sign_in=True, require_login=True), None, False, False, "Sign in to see"
    ),
    "viewer": (
        Policy(sign_in=True, editors=("ana@acme.com",)), "ben@acme.com", True, False,
        "may view but not change",
    ),
    "viewer outside the viewers list": (
        Policy(sign_in=True, viewers=("@acme.com",)), "eve@other.org", False, False,
        "not allowed to view",
    ),
    "editor by address": (
        Policy(sign_in=True, editors=("ana@acme.com",)), "ana@acme.com", True, True, ""
    ),
    "editor by domain, viewers restricted": (
        Policy(sign_in=True, viewers=("@acme.com",), editors=("@pmo.acme.com",)),
        "lead@pmo.acme.com", True, True, "",
    ),
    "editor on a read-only deployment": (
        Policy(sign_in=True, editors=("ana@acme.com",), read_only=True), "ana@acme.com",
        True, False, "read-only",
    ),
}  # fmt: skip


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role(role):
    policy, user, can_view, can_edit, message = ROLES[role]
    access = decide(policy, user)
    assert (access.can_view, access.can_edit) == (can_view, can_edit)
    said = " ".join((access.why_not_view, access.why_not_edit, access.open_notice))
    assert message in said
    if can_edit:
        assert not access.why_not_edit


# Settings that cannot be trusted close the cockpit (issue 14) ---------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), (1, True), (0, False), ("on", True), ("OFF", False),
     (" Yes ", True), ("no", False), ("1", True), ("0", False), ("true", True)],
)  # fmt: skip
def test_the_usual_boolean_words_are_read(raw, expected):
    assert parse_flag(raw, "X") is expected


@pytest.mark.parametrize("raw", ["maybe", "enabled", "2", 2, "", "tru", 1.0, None, ["on"]])
def test_any_other_boolean_value_is_an_error_naming_the_setting(raw):
    with pytest.raises(SettingError, match=r"X is .*write true or false"):
        parse_flag(raw, "X")


@pytest.mark.parametrize(
    ("value", "read_only"),
    [("on", True), ("TRUE", True), ("yes", True), ("off", False), ("0", False), ("", False)],
)
def test_read_only_accepts_every_usual_spelling(value, read_only):
    assert policy_from({}, {"COCKPIT_READ_ONLY": value}).read_only is read_only


def test_an_unreadable_read_only_switch_refuses_naming_the_variable():
    with pytest.raises(SettingError, match="COCKPIT_READ_ONLY is 'enable'"):
        policy_from({}, {"COCKPIT_READ_ONLY": "enable"})


@pytest.mark.parametrize(
    ("secrets", "named"),
    [
        ({"access": {"require_login": True}}, "[access] in .streamlit/secrets.toml restricts"),
        ({"Auth": TEST_AUTH, "access": {"require_login": True}}, "[Auth] in .streamlit/secrets"),
        ({"auth": TEST_AUTH, "Access": {"require_login": True}}, "write [access]"),
        ({"auth": {**TEST_AUTH, "client_secret": ""}, "access": {}}, "missing client_secret"),
        ({"auth": {k: v for k, v in TEST_AUTH.items() if k != "cookie_secret"}},
         "missing cookie_secret"),
        ({"auth": {"redirect_uri": "x"}, "access": {"editors": ["a@b.c"]}},
         "missing cookie_secret, client_id, client_secret, server_metadata_url"),
        ({"auth": "yes"}, "auth in .streamlit/secrets.toml must be a table"),
        ({**SIGN_IN, "access": {"require_login": "sure"}}, "require_login under [access]"),
        ({**SIGN_IN, "access": {"require-login": True}}, "unknown key 'require-login'"),
        ({**SIGN_IN, "access": {"viewers": ["ana"]}}, "'ana' is neither an e-mail"),
        ({**SIGN_IN, "access": {"editors": [1, 2]}}, "editors under [access]"),
    ],
)  # fmt: skip
def test_access_settings_that_would_protect_nothing_are_refused(secrets, named):
    with pytest.raises(SettingError) as refused:
        policy_from(secrets, {})
    assert named in str(refused.value)
    assert TEST_AUTH["client_secret"] not in str(refused.value)


def test_a_complete_auth_without_access_is_sign_in():
    assert policy_from(SIGN_IN, {}) == Policy(sign_in=True)


@pytest.mark.parametrize(("claim", "ok"), [(True, True), ("true", True), ("True", True),
                                           (False, False), (None, False), ("false", False),
                                           ("yes", False), (1, False)])  # fmt: skip
def test_only_a_verified_email_claim_counts(claim, ok):
    assert verified(claim) is ok


def test_an_unverified_sign_in_is_nobody_and_is_told_why():
    closed = decide(Policy(sign_in=True, require_login=True), None, unverified=True)
    assert (closed.can_view, closed.can_edit, closed.why_not_view) == (False, False, UNVERIFIED)
    restricted = decide(Policy(sign_in=True, viewers=("@acme.com",)), None, unverified=True)
    assert not restricted.can_view
    open_view = decide(Policy(sign_in=True, editors=("@acme.com",)), None, unverified=True)
    assert (open_view.can_view, open_view.can_edit) == (True, False)
    assert open_view.why_not_edit == UNVERIFIED
