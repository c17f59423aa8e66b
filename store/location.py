"""Where the store lives: --db, else COCKPIT_DB, else the default store next to the app.

The default is a DuckLake whose catalog is a SQLite file (data/cockpit.sqlite) and whose
data are Parquet files beside it (data/cockpit.files/): the app and the command line can
then read and write it at the same time (docs/store.md says why this and not a DuckDB file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from domain.paths import DATA_DIR

DEFAULT_CATALOG = DATA_DIR / "cockpit.sqlite"
LEGACY_DB = DATA_DIR / "cockpit.duckdb"  # the default store of the first release
LAKE_PREFIX = "ducklake:"
SQLITE_PREFIX = "sqlite:"
POSTGRES_PREFIX = "postgres:"
DEFAULT_URL = f"{LAKE_PREFIX}{SQLITE_PREFIX}{DEFAULT_CATALOG}"


@dataclass(frozen=True)
class Location:
    """A parsed store URL.

    kind: "file" (a DuckDB file, one process at a time), "sqlite" (DuckLake, SQLite catalog
    file: several local processes), "postgres" (DuckLake, PostgreSQL catalog: several
    machines), "duckdb" (DuckLake, DuckDB catalog file: one process).
    target: the file path, or the libpq connection string of the PostgreSQL catalog.
    """

    url: str
    kind: str
    target: str

    @property
    def is_lake(self) -> bool:
        return self.kind != "file"

    @property
    def shared(self) -> bool:
        """Several processes may open it at once."""
        return self.kind in ("sqlite", "postgres")


def resolve_url(cli_value: str | None = None) -> str:
    """The store URL: a DuckDB file path (absolute) or a `ducklake:` URL.

    Relative paths given by the user are taken relative to the working directory (that is
    what a user typing `--db` means); only the default is tied to the app folder.
    """
    raw = (cli_value or os.environ.get("COCKPIT_DB") or "").strip()
    if not raw:
        return DEFAULT_URL
    if raw.startswith(LAKE_PREFIX):
        rest = raw[len(LAKE_PREFIX) :]
        if rest.startswith(POSTGRES_PREFIX):
            return raw
        if rest.startswith(SQLITE_PREFIX):
            path = Path(rest[len(SQLITE_PREFIX) :]).expanduser().resolve()
            return f"{LAKE_PREFIX}{SQLITE_PREFIX}{path}"
        return f"{LAKE_PREFIX}{Path(rest).expanduser().resolve()}"
    return str(Path(raw).expanduser().resolve())


def parse(url: str) -> Location:
    if not url.startswith(LAKE_PREFIX):
        return Location(url, "file", url)
    rest = url[len(LAKE_PREFIX) :]
    if rest.startswith(POSTGRES_PREFIX):
        return Location(url, "postgres", rest[len(POSTGRES_PREFIX) :])
    if rest.startswith(SQLITE_PREFIX):
        return Location(url, "sqlite", rest[len(SQLITE_PREFIX) :])
    return Location(url, "duckdb", rest)


def is_lake(url: str) -> bool:
    return url.startswith(LAKE_PREFIX)


def describe(url: str) -> str:
    """A short, secret-free name for the store, fit for messages."""
    location = parse(url)
    if location.kind == "postgres":
        from store.pg_dsn import describe_catalog, parse_dsn

        try:
            return f"DuckLake (PostgreSQL catalog, {describe_catalog(parse_dsn(location.target))})"
        except ValueError:
            return "DuckLake (PostgreSQL catalog)"
    if location.kind == "file":
        return url
    return f"DuckLake ({location.target})"
