"""`http` sources: a JSON document from the connection's base URL and the source's path,
through `requests`, and the number at the source's `value_path` (`data.0.value`).

Authentication comes from the connection's secrets: a `token` is sent as
`Authorization: Bearer <token>` (or as is in `token_header`, e.g. X-API-Key), a
`password` with the URL's user as HTTP basic. Redirects are not followed to another host
(requests drops the Authorization header there; we refuse instead, saying where to).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.auth import HTTPBasicAuth

from connectors.measure.connections import Connection
from connectors.measure.sql import Answer
from connectors.measure.values import SourceFailed, one_number, shown

USER_AGENT = "outcomes-cockpit-measure"
MAX_BYTES = 10 * 1024 * 1024  # a metric endpoint's answer; more is not a metric


def source_url(connection: Connection, path: str) -> str:
    """The connection's base URL (without credentials) joined with the source's path."""
    parts = urlsplit(connection.url)
    if parts.scheme not in ("http", "https"):
        raise SourceFailed(
            f"the connection {connection.name!r} is not an http(s):// URL, which an http "
            "source needs"
        )
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    base = urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))
    return base + "/" + path.strip().lstrip("/")


def _auth(connection: Connection) -> tuple[dict[str, str], HTTPBasicAuth | None]:
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if connection.token:
        if connection.token_header:
            headers[connection.token_header] = connection.token
        else:
            headers["Authorization"] = f"Bearer {connection.token}"
        return headers, None
    if connection.secret:
        return headers, HTTPBasicAuth(connection.user or "", connection.secret)
    return headers, None


def value_at(document: Any, path: str) -> Any:
    """The value at a dotted path of keys and list indexes; a clear failure where the
    document has no such place."""
    current = document
    walked: list[str] = []
    for step in path.split("."):
        where = ".".join(walked) or "the top"
        if isinstance(current, dict):
            if step not in current:
                keys = ", ".join(list(current)[:8])
                raise SourceFailed(f"the JSON has no key {step!r} at {where} (keys: {keys})")
            current = current[step]
        elif isinstance(current, list):
            if not step.isdigit():
                raise SourceFailed(f"the JSON has a list at {where}; {step!r} is not an index")
            if int(step) >= len(current):
                raise SourceFailed(
                    f"the JSON's list at {where} has {len(current)} item(s); there is no "
                    f"index {step}"
                )
            current = current[int(step)]
        else:
            raise SourceFailed(f"the JSON has {shown(current)!r} at {where}, not an object or list")
        walked.append(step)
    return current


def fetch(connection: Connection, path: str, value_path: str) -> Answer:
    """GET the document and read the number at `value_path`."""
    url = source_url(connection, path)
    headers, auth = _auth(connection)
    shown_url = urlsplit(url)._replace(query="").geturl()
    try:
        response = requests.get(
            url,
            headers=headers,
            auth=auth,
            timeout=(min(10.0, connection.timeout_seconds), connection.timeout_seconds),
            allow_redirects=False,
            stream=True,
        )
    except requests.Timeout:
        raise SourceFailed(
            f"{shown_url} did not answer within {connection.timeout_seconds:g} s"
        ) from None
    except requests.RequestException as exc:
        raise SourceFailed(f"{shown_url} cannot be reached ({type(exc).__name__})") from None
    with response:
        if response.is_redirect:
            where = response.headers.get("Location", "elsewhere")
            raise SourceFailed(
                f"{shown_url} answered HTTP {response.status_code}, a redirect to {shown(where)}; "
                "set the connection's URL to where the endpoint is"
            )
        if response.status_code in (401, 403):
            raise SourceFailed(
                f"{shown_url} refused the connection's credentials (HTTP {response.status_code}): "
                f"check the token or password of [sources.{connection.name}]"
            )
        if response.status_code >= 400:
            raise SourceFailed(f"{shown_url} answered HTTP {response.status_code}")
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
    if len(body) > MAX_BYTES:
        raise SourceFailed(f"{shown_url} answered more than {MAX_BYTES // 1_048_576} MB")
    try:
        document = json.loads(body)
    except ValueError:
        raise SourceFailed(f"{shown_url} did not answer JSON ({shown(body[:80])})") from None
    value = value_at(document, value_path)
    return Answer(one_number(value), shown(value))
