"""PostgreSQL connection strings (libpq `key=value ...` or `postgresql://` URIs), taken apart
so that the password goes into a DuckDB secret and never into a name, a message or a log."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

_PAIR = re.compile(r"\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")
SECRET_KEYS = ("password",)


def parse_dsn(text: str) -> dict[str, str]:
    """libpq keywords -> values. Raises ValueError on text that is not a connection string."""
    text = text.strip()
    if text.startswith(("postgresql://", "postgres://")):
        return _parse_uri(text)
    params: dict[str, str] = {}
    position = 0
    while position < len(text):
        match = _PAIR.match(text, position)
        if not match:
            raise ValueError(
                "the PostgreSQL catalog must be `key=value` pairs or a postgresql:// URI"
            )
        key, value = match.group(1).lower(), match.group(2)
        if value.startswith("'"):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params[key] = value
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return params


def _parse_uri(text: str) -> dict[str, str]:
    parts = urlsplit(text)
    params: dict[str, str] = {}
    if parts.hostname:
        params["host"] = parts.hostname
    if parts.port:
        params["port"] = str(parts.port)
    if parts.username:
        params["user"] = unquote(parts.username)
    if parts.password:
        params["password"] = unquote(parts.password)
    if parts.path.strip("/"):
        params["dbname"] = unquote(parts.path.strip("/"))
    params.update({k.lower(): v for k, v in parse_qsl(parts.query)})
    return params


def format_dsn(params: dict[str, str]) -> str:
    """Back to libpq keywords, quoting values that need it."""

    def quote(value: str) -> str:
        if value and not re.search(r"[\s'\\]", value):
            return value
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{k}={quote(v)}" for k, v in params.items())


def public_dsn(params: dict[str, str]) -> dict[str, str]:
    """The parameters without secrets."""
    return {k: v for k, v in params.items() if k not in SECRET_KEYS}


def describe_catalog(params: dict[str, str]) -> str:
    """`database cockpit on db.example:5432` (no user, no password)."""
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = params.get("port") or "5432"
    return f"database {params.get('dbname', '(default)')} on {host}:{port}"


def redact(text: str, params: dict[str, str]) -> str:
    """`text` with every secret value of `params` (and any `password=...`) blanked out."""
    for key in SECRET_KEYS:
        value = params.get(key)
        if value:
            text = text.replace(value, "***")
    return re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", text, flags=re.I)
