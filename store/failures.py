"""What a DuckDB or catalog error means for the user: a StoreError with the cause kept (and
any password blanked out), or a sign that a write met another writer and may be retried."""

from __future__ import annotations

import re

import duckdb

from store.errors import StoreBusyError, StoreError, StoreUnavailableError
from store.location import Location, describe
from store.pg_dsn import describe_catalog, parse_dsn, redact

# A write that meets another writer: DuckLake's logical conflicts, its snapshot id taken by
# the other commit, and SQLite's lock (the catalog file has one writer at a time).
_CONFLICT = re.compile(
    r"conflict|database is locked|Duplicate key|duplicate key value|"
    r"Exceeded the maximum retry count|another transaction|could not serialize|deadlock",
    re.IGNORECASE,
)
_UNREACHABLE = re.compile(
    r"Connection refused|could not connect|could not translate host name|No route to host|"
    r"timeout expired|Connection timed out|server closed the connection|"
    r"terminating connection|no connection to the server|connection to server .* failed|"
    r"SSL SYSCALL|Connection reset|the database system is (?:shutting down|starting up)",
    re.IGNORECASE,
)
_AUTH = re.compile(
    r"password authentication failed|no password supplied|authentication failed|"
    r"role \"[^\"]*\" does not exist|pg_hba.conf",
    re.IGNORECASE,
)
_NO_DATABASE = re.compile(r'database "([^"]*)" does not exist', re.IGNORECASE)


def is_conflict(exc: BaseException) -> bool:
    """True when the write lost a race with another writer: running it again may succeed."""
    if not isinstance(exc, duckdb.Error) or isinstance(exc, duckdb.ConstraintException):
        return False
    return bool(_CONFLICT.search(str(exc))) and not _UNREACHABLE.search(str(exc))


def busy(location: Location, attempts: int, waited: float = 0.0) -> StoreBusyError:
    if waited:
        return StoreBusyError(
            f"Another writer has been committing to the store {describe(location.url)} for "
            f"{waited:.0f} s; nothing was written. Try again when it has finished."
        )
    return StoreBusyError(
        f"Another writer was committing to the store {describe(location.url)} at the same "
        f"time, {attempts} times in a row; nothing was written. Try again in a moment."
    )


def cause(exc: BaseException, location: Location) -> str:
    """The first meaningful line of the error, without secrets."""
    text = str(exc)
    # libpq's own reason, without DuckDB's wrapping ("Failed to attach ... at path ...").
    text = re.split(r"(?:port \d+|socket \S+) failed: ", text)[-1]
    text = re.sub(r"^\s*(?:FATAL|ERROR):\s+", "", text)
    params = _params(location)
    lines = [line.strip() for line in redact(text, params).splitlines() if line.strip()]
    return "; ".join(lines[:3])[:600] or type(exc).__name__


def _params(location: Location) -> dict[str, str]:
    if location.kind != "postgres":
        return {}
    try:
        return parse_dsn(location.target)
    except ValueError:
        return {}


def _where(location: Location) -> str:
    params = _params(location)
    return describe_catalog(params) if params else describe(location.url)


def connection_error(exc: BaseException, location: Location) -> StoreError | None:
    """The catalog could not be reached or refused us; None for any other error."""
    text = str(exc)
    why = cause(exc, location)
    if location.kind != "postgres":
        return None
    if _AUTH.search(text):
        user = _params(location).get("user", "the configured user")
        return StoreUnavailableError(
            f"PostgreSQL ({_where(location)}) refused the credentials of user {user} for the "
            f"store catalog ({why}). Check the user and password in COCKPIT_DB / PGPASSWORD "
            "(the password is never shown); the store has not been changed."
        )
    missing = _NO_DATABASE.search(text)
    if missing:
        return StoreUnavailableError(
            f"The PostgreSQL database {missing.group(1)} does not exist "
            f"({_where(location)}). Create it (for example `createdb {missing.group(1)}`) "
            "or fix dbname in COCKPIT_DB."
        )
    if _UNREACHABLE.search(text):
        return StoreUnavailableError(
            f"The store catalog's PostgreSQL ({_where(location)}) is not reachable ({why}). "
            "Check that it is running and that host and port are right; the store keeps its last "
            "committed state."
        )
    return None
