"""Jira failures with messages that say what to fix, and never a secret."""

from __future__ import annotations


class JiraError(Exception):
    """The sync stopped; the message says why and what to do. Nothing was committed."""


class JiraConfigError(JiraError):
    """A setting is missing or wrong (the CLI exits 2 on these)."""


class JiraAuthError(JiraError):
    """Jira refused the credentials (401) or the permission (403)."""


class JiraQueryError(JiraError):
    """Jira rejected the request (400), usually the JQL: its own words are in the message."""


class JiraUnavailableError(JiraError):
    """Jira could not be reached, or kept asking us to wait, for longer than we may wait."""


class JiraProtocolError(JiraError):
    """Jira (or something in front of it) answered in a way a sync cannot go on from."""
