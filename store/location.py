"""Where the store lives: --db, else COCKPIT_DB, else data/cockpit.duckdb next to the app."""

from __future__ import annotations

import os
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = APP_ROOT / "data" / "cockpit.duckdb"
LAKE_PREFIX = "ducklake:"


def resolve_url(cli_value: str | None = None) -> str:
    """The store URL: a DuckDB file path (absolute) or a `ducklake:` URL.

    Relative file paths given by the user are taken relative to the working directory
    (that is what a user typing `--db` means); only the default is tied to the app folder.
    """
    raw = cli_value or os.environ.get("COCKPIT_DB") or ""
    if not raw.strip():
        return str(DEFAULT_DB)
    raw = raw.strip()
    if raw.startswith(LAKE_PREFIX):
        return raw
    return str(Path(raw).expanduser().resolve())


def is_lake(url: str) -> bool:
    return url.startswith(LAKE_PREFIX)


def describe(url: str) -> str:
    """A short, secret-free name for the store, fit for messages."""
    if is_lake(url):
        catalog = url[len(LAKE_PREFIX) :]
        if catalog.startswith("postgres:"):
            return "DuckLake (PostgreSQL catalog)"
        return f"DuckLake ({catalog})"
    return url
