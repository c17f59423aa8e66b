"""Credentials out of every message of a measurement source: the one function each exit
(stderr, the store's results, a page) passes a source's text through.

A driver or a server may echo a connection string, a URL with its password, or an
Authorization header (Basic base64(user:password), Bearer token), possibly URL-encoded or
JSON-escaped: every form of every credential is replaced, and so is whatever a URL
carries between `user:` and `@`, and whatever follows Basic/Bearer when it looks like a
credential. The forms are those of connectors/jira/redact.py, shared.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

from connectors.jira.redact import REDACTED, SCHEME, SHORTEST, encodings
from connectors.measure.connections import Connection

_SCHEME = re.compile(SCHEME)
_URL_PASSWORD = re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^/\s@:'\"]*:)[^/\s@'\"]+@")
_KEYWORD_PASSWORD = re.compile(r"(?i)\b(password|passwd|pwd)\s*=\s*('[^']*'|\"[^\"]*\"|\S+)")


def _forms(connection: Connection | None, extra: Iterable[str]) -> list[str]:
    secrets = [*(connection.secrets if connection else ()), *extra]
    forms: set[str] = set()
    for secret in secrets:
        if secret and len(secret) >= SHORTEST:
            forms |= encodings(secret)
    if connection is not None and connection.user and connection.secret:
        pair = f"{connection.user}:{connection.secret}".encode()
        for encoded in (base64.b64encode(pair), base64.urlsafe_b64encode(pair)):
            text = encoded.decode()
            forms |= encodings(text) | encodings(text.rstrip("="))
    return sorted(forms, key=len, reverse=True)  # longest first: no half-replaced form


def redact(text: str, connection: Connection | None = None, extra: Iterable[str] = ()) -> str:
    """`text` with every form of the connection's credentials (and of `extra` secrets)
    replaced by [redacted], and any password a URL or a keyword string still shows."""
    for form in _forms(connection, extra):
        text = text.replace(form, REDACTED)
    text = _URL_PASSWORD.sub(rf"\g<1>{REDACTED}@", text)
    text = _KEYWORD_PASSWORD.sub(rf"\g<1>={REDACTED}", text)
    return _SCHEME.sub(rf"\g<1> {REDACTED}", text)
