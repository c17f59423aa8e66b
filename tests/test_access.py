"""The access rules for every role: who may view, who may edit, and what they are told."""

from __future__ import annotations

import pytest

from ui.access import DEFAULT_MAX_UPLOAD_MB, Policy, decide, matches, policy_from

SIGN_IN = {"auth": {"redirect_uri": "http://x/oauth2callback"}}


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
        sign_in=True,
    )  # fmt: skip
    assert policy == Policy(
        sign_in=True,
        require_login=True,
        viewers=("@acme.com",),
        editors=("ana@acme.com", "@pmo.acme.com"),
        read_only=True,
        max_upload_mb=20,
    )
    assert policy_from({}, {}, sign_in=False).max_upload_mb == DEFAULT_MAX_UPLOAD_MB
    assert policy_from({}, {"COCKPIT_MAX_UPLOAD_MB": "7"}, sign_in=False).max_upload_mb == 7


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
