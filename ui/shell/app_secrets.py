"""The app's secrets (.streamlit/secrets.toml, as Streamlit reads them): the one place that
tells a missing file from a broken one.

Streamlit answers "no secrets" for both in places (`load_if_toml_exists`), and a file that
holds the sign-in must not, once broken, leave the portfolio open to anyone: a secrets file
that exists but cannot be read raises SettingError, naming the file (never its content).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from domain.deployment import SettingError
from domain.paths import APP_ROOT

SECRETS_FILE = ".streamlit/secrets.toml"
NO_SECRETS = "no-secrets-found"  # Streamlit's error_id when no secrets file exists at all

_log = logging.getLogger(__name__)


def shown_path(path: str | None) -> str:
    """Which secrets file, said without the server's folders (a visitor may read it)."""
    if not path:
        return SECRETS_FILE
    where = Path(path).expanduser().resolve()
    for folder, label in (
        (APP_ROOT, "in the app's folder"),
        (Path.cwd().resolve(), "in the working folder"),
        (Path.home().resolve(), "in the home folder"),
    ):
        if where == folder / ".streamlit" / "secrets.toml":
            return f"{SECRETS_FILE} {label}"
    return f"{where.parent.name}/{where.name}" if where.parent.name else where.name


def app_secrets() -> dict[str, Any]:
    """Every secret as plain dicts; {} when there is no secrets file at all."""
    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError as exc:
        if getattr(exc, "error_id", None) == NO_SECRETS:
            return {}
        details = getattr(exc, "exec_kwargs", {}) or {}
        path = details.get("path") or details.get("sub_folder_path")
        reason = details.get("error") or "it is not a TOML file or a folder of secrets"
        _log.error("Refusing to serve: the secrets cannot be read: %s", exc)
        raise SettingError(
            f"The secrets file {shown_path(path)} cannot be read: {reason}."
        ) from None
    except (OSError, ValueError) as exc:  # unreadable (permissions) or not UTF-8
        _log.error("Refusing to serve: the secrets cannot be read: %s", exc)
        raise SettingError(
            f"The secrets file {SECRETS_FILE} cannot be read ({type(exc).__name__})."
        ) from None
