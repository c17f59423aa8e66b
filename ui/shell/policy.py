"""The deployment's access settings, read so that a mistake closes the cockpit, never opens it.

From .streamlit/secrets.toml: `[auth]` (Streamlit's `st.login` with its default provider),
`[access]` (require_login, viewers, editors) and `[limits]`; from the environment:
COCKPIT_READ_ONLY and COCKPIT_MAX_UPLOAD_MB. A broken secrets file, `[access]` without a
usable `[auth]`, a section spelled `[Auth]`, an unknown key under `[access]` or a switch
that is neither true nor false raise SettingError: the app then shows nothing but that.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.deployment import SettingError, env_flag, parse_flag
from ui.shell.app_secrets import SECRETS_FILE, app_secrets

DEFAULT_MAX_UPLOAD_MB = 50
READ_ONLY_VARIABLE = "COCKPIT_READ_ONLY"
# What st.login() needs for its default provider (streamlit.auth_util.validate_auth_credentials).
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
ACCESS_KEYS = ("require_login", "viewers", "editors")
SECTIONS = ("auth", "access", "limits", "jira")


@dataclass(frozen=True)
class Policy:
    """The deployment's access settings."""

    sign_in: bool = False
    require_login: bool = False
    viewers: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    read_only: bool = False
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB


def _check_section_names(secrets: Mapping[str, Any]) -> None:
    """`[Auth]` or `[ACCESS]` would be silently ignored: refuse them by name."""
    for name in secrets:
        if name.lower() in SECTIONS and name != name.lower():
            raise SettingError(
                f"[{name}] in {SECRETS_FILE}: section names are lower case; write [{name.lower()}]."
            )


def _table(secrets: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    value = secrets.get(name)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise SettingError(f"{name} in {SECRETS_FILE} must be a table: [{name}] on its own line.")
    return value


def _sign_in(auth: Mapping[str, Any] | None, restricted: bool) -> bool:
    """Whether sign-in is configured; an [auth] st.login cannot use is an error, and so is
    [access] without [auth] (its rules would protect nothing)."""
    if auth is None:
        if restricted:
            raise SettingError(
                f"[access] in {SECRETS_FILE} restricts who may view or edit, but sign-in is "
                f"not configured: add an [auth] table with {', '.join(AUTH_KEYS)} "
                "(see .streamlit/secrets.toml.example)."
            )
        return False
    missing = [k for k in AUTH_KEYS if not isinstance(auth.get(k), str) or not auth[k].strip()]
    if missing:
        raise SettingError(
            f"[auth] in {SECRETS_FILE} is missing {', '.join(missing)}: sign-in cannot work "
            f"without {', '.join(AUTH_KEYS)}."
        )
    return True


def _addresses(access: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """viewers or editors: e-mails or @domains, as a list or one comma-separated text."""
    value = access.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingError(
            f'{key} under [access] in {SECRETS_FILE} must be a list such as ["@acme.com"].'
        )
    entries = tuple(v.strip() for v in value if v.strip())
    for entry in entries:
        if "@" not in entry:
            raise SettingError(
                f"{key} under [access] in {SECRETS_FILE}: {entry[:60]!r} is neither an e-mail "
                "address nor an @domain."
            )
    return entries


def _upload_limit(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> int:
    limits = _table(secrets, "limits") or {}
    raw_limit = environ.get("COCKPIT_MAX_UPLOAD_MB") or limits.get("max_upload_mb")
    try:
        limit = int(raw_limit) if raw_limit else DEFAULT_MAX_UPLOAD_MB
    except (TypeError, ValueError):
        limit = DEFAULT_MAX_UPLOAD_MB
    return max(limit, 1)


def policy_from(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> Policy:
    """Read the policy from secrets ([auth], [access], [limits]) and the environment."""
    _check_section_names(secrets)
    access = _table(secrets, "access")
    sign_in = _sign_in(_table(secrets, "auth"), restricted=access is not None)
    access = access or {}
    unknown = sorted(set(access) - set(ACCESS_KEYS))
    if unknown:
        raise SettingError(
            f"[access] in {SECRETS_FILE} has the unknown key {unknown[0]!r}; "
            f"the keys are {', '.join(ACCESS_KEYS)}."
        )
    require_login = access.get("require_login", False)
    return Policy(
        sign_in=sign_in,
        require_login=parse_flag(require_login, f"require_login under [access] in {SECRETS_FILE}"),
        viewers=_addresses(access, "viewers"),
        editors=_addresses(access, "editors"),
        read_only=env_flag(environ, READ_ONLY_VARIABLE),
        max_upload_mb=_upload_limit(secrets, environ),
    )


def current_policy() -> Policy:
    """This deployment's policy; SettingError when its settings cannot be trusted."""
    return policy_from(app_secrets(), os.environ)
