"""Named connections of measurement sources: `[sources.NAME]` in secrets.toml, or
COCKPIT_SOURCE_<NAME>_URL / _PASSWORD / _TOKEN / _TIMEOUT (a variable wins over the file).

The sources table names a connection; only this object knows its credentials, and its
repr and every message leave them out (connectors/measure/redact.py).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from connectors.jira.config import default_secrets_paths, url_without_credentials

DEFAULT_TIMEOUT_SECONDS = 30.0
SETTINGS = ("url", "password", "token", "token_header", "timeout_seconds")


class SourceConfigError(Exception):
    """A connection is missing or its settings are wrong (the message says which)."""


def env_prefix(name: str) -> str:
    """COCKPIT_SOURCE_<NAME>_: the name in capitals, - as _."""
    return "COCKPIT_SOURCE_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper() + "_"


@dataclass(frozen=True)
class Connection:
    """Where a source's queries go and the credentials they need."""

    name: str
    url: str
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    token_header: str | None = None  # http: send the token as is in this header
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme.lower()

    @property
    def user(self) -> str | None:
        user = urlsplit(self.url).username
        return unquote(user) if user else None

    @property
    def url_password(self) -> str | None:
        password = urlsplit(self.url).password
        return unquote(password) if password else None

    @property
    def secret(self) -> str | None:
        """The password: given on its own, else the one written in the URL."""
        return self.password or self.url_password

    @property
    def display_url(self) -> str:
        """The URL without user name or password (what a message may show)."""
        return url_without_credentials(self.url)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every credential of this connection: what no message may hold."""
        raw_password = urlsplit(self.url).password
        found = (self.password, self.token, self.url_password, raw_password)
        return tuple(s for s in found if s)


def _section_connections(section: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, values in section.items():
        if not isinstance(values, Mapping):
            raise SourceConfigError(f"[sources.{name}] must be a table of settings (url = ...).")
        unknown = sorted(set(values) - set(SETTINGS))
        if unknown:
            raise SourceConfigError(
                f"[sources.{name}] has unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(SETTINGS)}."
            )
        out[str(name)] = dict(values)
    return out


def _from_env(name: str, values: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    prefix = env_prefix(name)
    merged = dict(values)
    for setting, suffix in (
        ("url", "URL"),
        ("password", "PASSWORD"),
        ("token", "TOKEN"),
        ("token_header", "TOKEN_HEADER"),
        ("timeout_seconds", "TIMEOUT"),
    ):
        value = (env.get(prefix + suffix) or "").strip()
        if value:
            merged[setting] = value
    return merged


def _connection(name: str, values: dict[str, Any]) -> Connection:
    url = str(values.get("url") or "").strip()
    if not url:
        raise SourceConfigError(
            f"The connection {name!r} has no URL: set url under [sources.{name}] in "
            f"secrets.toml, or {env_prefix(name)}URL."
        )
    try:
        timeout = float(values.get("timeout_seconds") or DEFAULT_TIMEOUT_SECONDS)
    except (TypeError, ValueError):
        timeout = -1.0
    if timeout <= 0:
        raise SourceConfigError(
            f"The connection {name!r}: timeout_seconds ({env_prefix(name)}TIMEOUT) must be "
            "a number of seconds above 0."
        )

    def text(key: str) -> str | None:
        value = values.get(key)
        return str(value).strip() or None if value is not None else None

    return Connection(name, url, text("password"), text("token"), text("token_header"), timeout)


@dataclass(frozen=True)
class Connections:
    """Every configured connection by name, and the env to look further names up in."""

    sections: Mapping[str, dict[str, Any]]
    env: Mapping[str, str]

    def get(self, name: str) -> Connection:
        """The connection `name`, or SourceConfigError saying how to configure it."""
        section = next((v for k, v in self.sections.items() if k.lower() == name.lower()), {})
        values = _from_env(name, section, self.env)
        if not values:
            raise SourceConfigError(
                f"The connection {name!r} is not configured: add [sources.{name}] with its url "
                f"to .streamlit/secrets.toml, or set {env_prefix(name)}URL."
            )
        return _connection(name, values)

    def secrets(self) -> tuple[str, ...]:
        """Every credential of every configured connection (for redaction)."""
        found: list[str] = []
        names = set(self.sections)
        names |= {
            k[len("COCKPIT_SOURCE_") :].rsplit("_", 1)[0]
            for k in self.env
            if k.startswith("COCKPIT_SOURCE_")
        }
        for name in names:
            try:
                found.extend(self.get(name).secrets)
            except SourceConfigError:
                continue
        return tuple(found)


def connections_from(
    section: Mapping[str, Any] | None, env: Mapping[str, str] | None = None
) -> Connections:
    """From a `[sources]` table (secrets.toml or st.secrets) and the environment."""
    return Connections(
        _section_connections(section or {}), dict(os.environ if env is None else env)
    )


def load_connections(
    secrets_path: Path | None = None, env: Mapping[str, str] | None = None
) -> Connections:
    """The command line's connections: the given secrets file (or Streamlit's usual
    places, nearer ones winning) and the environment."""
    paths = [secrets_path] if secrets_path else list(reversed(default_secrets_paths()))
    section: dict[str, Any] = {}
    for path in paths:
        if not path.is_file():
            if secrets_path is not None:
                raise SourceConfigError(f"The secrets file {path} does not exist.")
            continue
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise SourceConfigError(f"{path} cannot be read: {exc}") from None
        sources = data.get("sources") or {}
        if not isinstance(sources, dict):
            raise SourceConfigError(f"[sources] in {path} must hold tables such as [sources.NAME].")
        section.update(sources)
    return connections_from(section, env)
