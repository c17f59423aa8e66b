"""Who is using the app. The only place that will read `st.user` (see the access model).

Until sign-in is configured everyone is anonymous; tests set the user through
`COCKPIT_TEST_USER` only when `COCKPIT_ALLOW_TEST_USER=1` (never in a deployment).
"""

from __future__ import annotations

import os

ANONYMOUS = "anonymous"


def current_user() -> str | None:
    """The signed-in user's e-mail, or None when nobody is signed in."""
    if os.environ.get("COCKPIT_ALLOW_TEST_USER") == "1":
        return os.environ.get("COCKPIT_TEST_USER") or None
    return None


def actor_name() -> str:
    """How the audit log names whoever makes a change."""
    return current_user() or ANONYMOUS
