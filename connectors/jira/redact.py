"""Credentials out of every message: the one function each exit (stderr, the store, the page)
passes Jira text through.

A server or proxy may echo the request's Authorization header in an error body, and that
header does not carry the token as itself: Cloud sends `Basic base64(e-mail:token)`, Data
Center `Bearer <token>`, and a logged URL or a JSON body may encode either. Every form of
every configured secret is replaced, and so is whatever follows `Basic`/`Bearer` when it
looks like a credential (a server may cut or re-encode it).
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from urllib.parse import quote, quote_plus

import polars as pl

from connectors.jira.config import JiraConfig

REDACTED = "[redacted]"
# `Basic <credential>` / `Bearer <credential>`, also URL-encoded (%20, +) or JSON-escaped;
# 16+ characters, so that prose such as "Basic authentication" stays. Python's `re` and
# Polars' Rust regex read it alike.
SCHEME = r"(?i)\b(basic|bearer)(?:\s|%20|\+)+[A-Za-z0-9+/=_.~%\\-]{16,}"
_SCHEME = re.compile(SCHEME)
SHORTEST = 4  # a "secret" shorter than this would blank ordinary words


def encodings(text: str) -> set[str]:
    """How a value may be written: as is, URL-encoded (path or form), JSON-escaped."""
    return {text, quote(text, safe=""), quote_plus(text), text.replace("/", "\\/")}


@lru_cache(maxsize=16)
def _forms(email: str, secrets: tuple[str, ...], basic_token: str) -> tuple[str, ...]:
    forms: set[str] = set()
    for secret in secrets:
        if len(secret) >= SHORTEST:
            forms |= encodings(secret)
    if email and basic_token:
        pair = f"{email}:{basic_token}".encode()
        for encoded in (base64.b64encode(pair), base64.urlsafe_b64encode(pair)):
            text = encoded.decode()
            forms |= encodings(text) | encodings(text.rstrip("="))
    return tuple(sorted(forms, key=len, reverse=True))  # longest first: no half-replaced form


def secret_forms(config: JiraConfig) -> tuple[str, ...]:
    """Every way the configured credentials can appear in text, longest first."""
    return _forms(config.email or "", config.secrets, config.api_token or "")


def redact(text: str, config: JiraConfig) -> str:
    """`text` with every form of every credential replaced by [redacted]."""
    for form in secret_forms(config):
        text = text.replace(form, REDACTED)
    return _SCHEME.sub(rf"\g<1> {REDACTED}", text)


def redacted_column(name: str, config: JiraConfig) -> pl.Expr:
    """The same redaction as an expression, for messages read back from the store (a run
    recorded before this redaction existed may hold a credential)."""
    expr = pl.col(name)
    for form in secret_forms(config):
        expr = expr.str.replace_all(form, REDACTED, literal=True)
    return expr.str.replace_all(SCHEME, f"${{1}} {REDACTED}")
