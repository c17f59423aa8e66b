"""Who may see and change what (DESIGN.md, "Who may do what").

- No sign-in configured: everyone may view and edit, and the app says so plainly.
- `COCKPIT_READ_ONLY=1`: nobody edits through the app; data arrives by the CLI.
- Sign-in configured ([auth] in secrets): editors are the signed-in users on
  `[access] editors` (e-mails or `@domain`); `[access] require_login = true` shows
  nothing before sign-in; `[access] viewers` restricts who may view.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from connectors.sheets.limits import Limits, limits_from
from ui.identity import current_user, sign_in_configured

DEFAULT_MAX_UPLOAD_MB = 50


@dataclass(frozen=True)
class Policy:
    """The deployment's access settings."""

    sign_in: bool = False
    require_login: bool = False
    viewers: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    read_only: bool = False
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB


@dataclass(frozen=True)
class Access:
    """What the current user may do, and why not when they may not."""

    user: str | None
    can_view: bool
    can_edit: bool
    why_not_view: str = ""
    why_not_edit: str = ""
    open_notice: str = ""


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


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v).strip() for v in value if str(v).strip())


def policy_from(secrets: Mapping[str, Any], environ: Mapping[str, str], sign_in: bool) -> Policy:
    """Read the policy from secrets ([access], [limits]) and the environment."""
    access = secrets.get("access", {}) or {}
    limits = secrets.get("limits", {}) or {}
    raw_limit = environ.get("COCKPIT_MAX_UPLOAD_MB") or limits.get("max_upload_mb")
    try:
        limit = int(raw_limit) if raw_limit else DEFAULT_MAX_UPLOAD_MB
    except (TypeError, ValueError):
        limit = DEFAULT_MAX_UPLOAD_MB
    return Policy(
        sign_in=sign_in,
        require_login=bool(access.get("require_login", False)),
        viewers=_as_list(access.get("viewers")),
        editors=_as_list(access.get("editors")),
        read_only=environ.get("COCKPIT_READ_ONLY", "").strip().lower() in ("1", "true", "yes"),
        max_upload_mb=max(limit, 1),
    )


def decide(policy: Policy, user: str | None) -> Access:
    """The rules of the module docstring, for one user."""
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


READ_ONLY = (
    "This deployment is read-only: data arrives through the command line "
    "(for example a scheduled `python -m connectors jira-sync`)."
)


def current_policy() -> Policy:
    try:
        secrets: Mapping[str, Any] = {k: st.secrets[k] for k in st.secrets}
    except Exception:  # no secrets file
        secrets = {}
    return policy_from(secrets, os.environ, sign_in_configured())


def current_access() -> Access:
    """What the person using this session may do."""
    return decide(current_policy(), current_user())


def upload_limits() -> Limits:
    """The upload limits of this deployment ([limits] max_upload_mb or
    COCKPIT_MAX_UPLOAD_MB, default 50 MB): the same setting the CLI reads."""
    return limits_from(current_policy().max_upload_mb)


def show_read_only_reason(access: Access) -> None:
    """The one line a user who may not edit sees where the editing controls would be."""
    st.info(access.why_not_edit, icon=":material/lock:")
