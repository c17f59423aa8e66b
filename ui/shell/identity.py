"""Who is using the app: the only place that reads `st.user`.

With no sign-in configured everyone is anonymous. A signed-in user is known by their e-mail
only when the provider says it verified it (`email_verified`): an unverified address may
belong to anyone who typed it at the provider. Tests set the user through
`COCKPIT_TEST_USER`, honoured only when `COCKPIT_ALLOW_TEST_USER` is true (never set that in a
deployment: it lets the environment claim an identity).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from domain.deployment import env_flag
from ui.shell.policy import current_policy

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Identity:
    """The verified e-mail of whoever uses this session, and whether anyone signed in."""

    email: str | None = None
    signed_in: bool = False

    @property
    def unverified(self) -> bool:
        """Signed in, but without an e-mail the provider vouches for."""
        return self.signed_in and self.email is None


def verified(claim: object) -> bool:
    """The `email_verified` claim: true, or "true" as some providers send it."""
    return claim is True or (isinstance(claim, str) and claim.strip().lower() == "true")


def current_identity(sign_in: bool) -> Identity:
    """This session's identity; `sign_in` says whether the deployment configures sign-in."""
    if env_flag(os.environ, "COCKPIT_ALLOW_TEST_USER"):
        email = (os.environ.get("COCKPIT_TEST_USER") or "").strip().lower() or None
        return Identity(email, email is not None)
    if not sign_in:
        return Identity()
    user = st.user
    if not user.is_logged_in:
        return Identity()
    email = str(user.get("email") or "").strip().lower()
    if not email or not verified(user.get("email_verified")):
        return Identity(None, signed_in=True)
    return Identity(email, signed_in=True)


def current_user() -> str | None:
    """The signed-in user's verified e-mail (lower case), or None."""
    return current_identity(current_policy().sign_in).email


def actor_name() -> str:
    """How the audit log names whoever makes a change."""
    return current_user() or ANONYMOUS
