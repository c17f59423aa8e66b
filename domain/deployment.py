"""Deployment settings read strictly: a value we cannot read is an error, never a default.

A typo in a switch such as COCKPIT_READ_ONLY must not leave a deployment open (`on` once
counted as off): the app refuses to serve and names the setting instead.
"""

from __future__ import annotations

from collections.abc import Mapping

TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")
ALLOWED = "true or false (also 1/0, yes/no, on/off)"


class SettingError(ValueError):
    """A deployment setting cannot be trusted; the message names it and says what to write."""


def parse_flag(value: object, setting: str) -> bool:
    """A boolean setting: TOML true/false, 1/0, or one of the usual words (any case).

    `setting` names where the value came from (a variable, or a key and its file).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    raise SettingError(f"{setting} is {shown}: write {ALLOWED}.")


def env_flag(environ: Mapping[str, str], name: str) -> bool:
    """A boolean environment variable; unset or empty means false."""
    raw = environ.get(name, "")
    if not raw.strip():
        return False
    return parse_flag(raw, f"The environment variable {name}")
