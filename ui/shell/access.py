"""Who may see and change what (docs/design.md, "Who may do what").

- No sign-in configured: everyone may view and edit, and the app says so plainly.
- `COCKPIT_READ_ONLY` true: nobody edits through the app; data arrives by the CLI.
- Sign-in configured ([auth] in secrets): editors are the signed-in users on
  `[access] editors` (e-mails or `@domain`); `[access] require_login = true` shows
  nothing before sign-in; `[access] viewers` restricts who may view. A user whose
  e-mail the provider has not verified counts as nobody.

The settings themselves are read by ui.shell.policy, which refuses what it cannot trust.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from connectors.sheets.limits import Limits, limits_from
from ui.shell.identity import current_identity
from ui.shell.policy import Policy, current_policy


@dataclass(frozen=True)
class Access:
    """What the current user may do, and why not when they may not."""

    user: str | None
    can_view: bool
    can_edit: bool
    why_not_view: str = ""
    why_not_edit: str = ""
    open_notice: str = ""
    unverified: bool = False


def matches(email: str | None, patterns: Sequence[str]) -> bool:
    """An e-mail matches `ana@acme.com` exactly or `@acme.com` by domain (case-insensitive)."""
    if not email:
        return False
    address = email.strip().lower()
    for raw in patterns:
        pattern = raw.strip().lower()
        if not pattern:
            continue
        if pattern.startswith("@"):
            if address.endswith(pattern):
                return True
        elif address == pattern:
            return True
    return False


UNVERIFIED = (
    "You are signed in, but your sign-in provider has not confirmed your e-mail address, "
    "so the cockpit cannot tell who you are. Ask your administrator to have the provider "
    "verify it, then sign in again."
)


def decide(policy: Policy, user: str | None, unverified: bool = False) -> Access:
    """The rules of the module docstring, for one user (`unverified`: signed in, but with
    no e-mail the provider vouches for; treated as nobody, and told why)."""
    if unverified and user is None and policy.sign_in:
        return _unverified(policy)
    if not policy.sign_in:
        if policy.read_only:
            return Access(user, True, False, why_not_edit=READ_ONLY)
        return Access(
            user,
            True,
            True,
            open_notice="Sign-in is not configured: anyone with the link can change data.",
        )
    if user is None and policy.require_login:
        return Access(None, False, False, why_not_view="Sign in to see this portfolio.")
    if policy.viewers and not matches(user, (*policy.viewers, *policy.editors)):
        reason = (
            "Sign in to see this portfolio."
            if user is None
            else f"{user} is not allowed to view this portfolio. Ask its PMO lead for access."
        )
        return Access(user, False, False, why_not_view=reason)
    if policy.read_only:
        return Access(user, True, False, why_not_edit=READ_ONLY)
    if user is None:
        return Access(user, True, False, why_not_edit="Sign in as an editor to change data.")
    if not matches(user, policy.editors):
        return Access(
            user,
            True,
            False,
            why_not_edit=f"{user} may view but not change data: only editors may upload, "
            "restore or delete snapshots, change settings or run a sync.",
        )
    return Access(user, True, True)


def _unverified(policy: Policy) -> Access:
    if policy.require_login or policy.viewers:
        return Access(None, False, False, why_not_view=UNVERIFIED, unverified=True)
    why_not_edit = READ_ONLY if policy.read_only else UNVERIFIED
    return Access(None, True, False, why_not_edit=why_not_edit, unverified=True)


READ_ONLY = (
    "This deployment is read-only: data arrives through the command line "
    "(for example a scheduled `cockpit jira-sync`)."
)


def current_access() -> Access:
    """What the person using this session may do; SettingError when the deployment's
    settings cannot be trusted (the app then serves nothing)."""
    policy = current_policy()
    identity = current_identity(policy.sign_in)
    return decide(policy, identity.email, identity.unverified)


def upload_limits() -> Limits:
    """The upload limits of this deployment ([limits] max_upload_mb or
    COCKPIT_MAX_UPLOAD_MB, default 50 MB): the same setting the CLI reads."""
    return limits_from(current_policy().max_upload_mb)


def show_read_only_reason(access: Access) -> None:
    """The one line a user who may not edit sees where the editing controls would be."""
    st.info(access.why_not_edit, icon=":material/lock:")
