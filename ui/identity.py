"""Who is using the app: the only place that reads `st.user`.

With no sign-in configured everyone is anonymous. Tests set the user through
`COCKPIT_TEST_USER`, honoured only when `COCKPIT_ALLOW_TEST_USER=1` (never set that in a
deployment: it lets the environment claim an identity).
"""

from __future__ import annotations

import os

import streamlit as st

ANONYMOUS = "anonymous"


def sign_in_configured() -> bool:
    """An OpenID Connect provider is configured under [auth] in secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return False


def current_user() -> str | None:
    """The signed-in user's e-mail (lower case), or None when nobody is signed in."""
    if os.environ.get("COCKPIT_ALLOW_TEST_USER") == "1":
        return (os.environ.get("COCKPIT_TEST_USER") or "").strip().lower() or None
    if not sign_in_configured():
        return None
    user = st.user
    if not user.is_logged_in:
        return None
    email = user.get("email")
    return str(email).strip().lower() if email else None


def actor_name() -> str:
    """How the audit log names whoever makes a change."""
    return current_user() or ANONYMOUS
