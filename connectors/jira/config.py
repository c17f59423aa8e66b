"""Jira settings: `[jira]` in .streamlit/secrets.toml, overridden by JIRA_* variables.

The one place that reads them, for the CLI (tomllib) and the app (st.secrets) alike.
Tokens live only in this object; its repr and every message leave them out.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from connectors.jira.errors import JiraConfigError
from domain.paths import APP_ROOT

DEPLOYMENTS = ("auto", "cloud", "datacenter")
SECRETS_HINT = "[jira] in .streamlit/secrets.toml"

# setting name -> environment variable
ENV_NAMES: dict[str, str] = {
    "url": "JIRA_URL",
    "email": "JIRA_EMAIL",
    "api_token": "JIRA_API_TOKEN",
    "pat": "JIRA_PAT",
    "jql": "JIRA_JQL",
    "deployment": "JIRA_DEPLOYMENT",
    "story_points_field": "JIRA_STORY_POINTS_FIELD",
    "epic_link_field": "JIRA_EPIC_LINK_FIELD",
    "timeout_seconds": "JIRA_TIMEOUT_SECONDS",
    "connect_timeout_seconds": "JIRA_CONNECT_TIMEOUT_SECONDS",
    "retry_cap_seconds": "JIRA_RETRY_CAP_SECONDS",
}


def url_without_credentials(url: str) -> str:
    """The URL as a message may show it: no user name, password, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True)
class JiraConfig:
    """Where Jira is, who we are there, and what to fetch."""

    url: str | None = None
    email: str | None = None
    api_token: str | None = field(default=None, repr=False)
    pat: str | None = field(default=None, repr=False)
    jql: str | None = None
    deployment: str = "auto"
    story_points_field: str | None = None
    epic_link_field: str | None = None
    timeout_seconds: float = 60.0  # for an answer, once connected
    connect_timeout_seconds: float = 5.0  # an unreachable site is known in seconds
    retry_cap_seconds: float = 300.0

    @property
    def base_url(self) -> str:
        return (self.url or "").strip().rstrip("/")

    @property
    def display_url(self) -> str:
        """The URL without any user name or password that may have been pasted into it."""
        return url_without_credentials(self.base_url)

    def uses_pat(self, deployment: str | None = None) -> bool:
        """Bearer personal access token (Data Center) rather than e-mail + API token (basic).

        Cloud always signs in with basic; Data Center prefers the token when both are set.
        """
        deployment = deployment or self.deployment
        if deployment == "cloud" or not self.pat:
            return False
        return deployment == "datacenter" or not (self.email and self.api_token)

    def user_label(self, deployment: str | None = None) -> str:
        """Who we are at Jira, as a message may say it."""
        if self.uses_pat(deployment):
            return "a personal access token"
        return self.email or "nobody"

    @property
    def secrets(self) -> tuple[str, ...]:
        """The tokens, and a password pasted into the URL: what messages must never hold."""
        password = urlsplit(self.base_url).password if self.base_url else None
        return tuple(s for s in (self.api_token, self.pat, password) if s)

    def problems(self) -> list[str]:
        """Every missing or wrong setting, named as the user would set it."""
        out: list[str] = []

        def name(setting: str) -> str:
            return f"{ENV_NAMES[setting]} (or {setting} under [jira])"

        if not self.base_url:
            out.append(f"The Jira URL is missing: set {name('url')}.")
        elif urlsplit(self.base_url).scheme not in ("http", "https"):
            out.append(f"The Jira URL must start with https:// (got {self.display_url!r}).")
        if self.deployment not in DEPLOYMENTS:
            out.append(
                f"deployment must be one of {', '.join(DEPLOYMENTS)} (got {self.deployment!r})."
            )
        basic = bool(self.email and self.api_token)
        if self.deployment == "cloud" and not basic:
            missing = [s for s in ("email", "api_token") if not getattr(self, s)]
            out.append(
                "Jira Cloud signs in with an e-mail and an API token: set "
                + " and ".join(name(s) for s in missing)
                + "."
            )
        elif not basic and not self.pat:
            if self.api_token and not self.email:
                out.append(f"The API token needs the account's e-mail: set {name('email')}.")
            elif self.email and not self.api_token:
                out.append(f"The e-mail needs an API token: set {name('api_token')}.")
            else:
                out.append(
                    f"No credentials: set {name('email')} and {name('api_token')} (Cloud), "
                    f"or {name('pat')} (Data Center)."
                )
        if not (self.jql or "").strip():
            out.append(
                f"The JQL that selects the issues is missing: set {name('jql')}, "
                "e.g. project in (PAY, WEB) or parent in (PAY-123, WEB-7)."
            )
        if min(self.timeout_seconds, self.connect_timeout_seconds) <= 0:
            out.append("timeout_seconds and connect_timeout_seconds must be above 0.")
        if self.retry_cap_seconds < 0:
            out.append("retry_cap_seconds must be 0 or more.")
        return out

    def check(self) -> JiraConfig:
        """Raise JiraConfigError naming every missing setting; else return self."""
        problems = self.problems()
        if problems:
            lines = "".join(f"\n  - {p}" for p in problems)
            raise JiraConfigError(
                f"Jira is not configured ({SECRETS_HINT}, or environment variables):{lines}"
            )
        return self

    def describe(self) -> dict[str, str]:
        """What the app may show about this configuration: never a token."""
        return {
            "url": self.display_url or "(not set)",
            "user": self.user_label(),
            "deployment": self.deployment,
            "jql": self.jql or "(not set)",
        }


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def config_from(
    section: Mapping[str, Any] | None, env: Mapping[str, str] | None = None
) -> JiraConfig:
    """Build from a `[jira]` table (secrets.toml or st.secrets) and the environment.

    An environment variable, when set, wins over the file.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(JiraConfig)}
    for key, value in dict(section or {}).items():
        if key in known:
            values[key] = _clean(value)
    for setting, variable in ENV_NAMES.items():
        if _clean(env.get(variable)) is not None:
            values[setting] = _clean(env[variable])
    for number in ("timeout_seconds", "connect_timeout_seconds", "retry_cap_seconds"):
        if values.get(number) is not None:
            try:
                values[number] = float(values[number])
            except (TypeError, ValueError):
                raise JiraConfigError(
                    f"{number} must be a number of seconds (set {ENV_NAMES[number]} "
                    f"or {number} in {SECRETS_HINT})."
                ) from None
    if values.get("deployment"):
        values["deployment"] = (
            str(values["deployment"])
            .lower()
            .replace(" ", "")
            .replace("-", "")
            .replace("server", "datacenter")
        )
    return JiraConfig(**{k: v for k, v in values.items() if v is not None})


def default_secrets_paths() -> list[Path]:
    """Where Streamlit looks for secrets: the working folder, the app folder, the home folder."""
    candidates = [
        Path.cwd() / ".streamlit" / "secrets.toml",
        APP_ROOT / ".streamlit" / "secrets.toml",
        Path.home() / ".streamlit" / "secrets.toml",
    ]
    unique: list[Path] = []
    for path in candidates:
        if path not in unique:
            unique.append(path)
    return unique


def read_secrets_section(path: Path) -> dict[str, Any]:
    """The `[jira]` table of a secrets.toml file ({} when it has none)."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise JiraConfigError(f"{path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise JiraConfigError(f"{path} cannot be read: {exc.strerror}") from None
    section = data.get("jira") or {}
    if not isinstance(section, dict):
        raise JiraConfigError(f"[jira] in {path} must be a table of settings.")
    return section


def load_config(
    secrets_path: Path | None = None, env: Mapping[str, str] | None = None
) -> JiraConfig:
    """The CLI's configuration: the given secrets file (or Streamlit's usual places) + env."""
    if secrets_path is not None:
        if not secrets_path.is_file():
            raise JiraConfigError(f"The secrets file {secrets_path} does not exist.")
        return config_from(read_secrets_section(secrets_path), env)
    section: dict[str, Any] = {}
    for path in reversed(default_secrets_paths()):  # nearer files win
        if path.is_file():
            section.update(read_secrets_section(path))
    return config_from(section, env)
