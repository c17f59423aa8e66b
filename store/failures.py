"""What a DuckDB or catalog error means for the user: a StoreError with the cause kept (and
any password blanked out), or a sign that a write met another writer and may be retried."""

from __future__ import annotations

import re

import duckdb

from store.errors import StoreBusyError, StoreDamagedError, StoreError, StoreUnavailableError
from store.lake_settings import LakeSettings, lake_settings
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
# Errors of DuckDB's httpfs: they name the HTTP method or the s3:// URL they failed on.
_STORAGE = re.compile(r"\bHTTP\b|s3://")
_STORAGE_AUTH = re.compile(
    r"\b403\b|InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|ExpiredToken|"
    r"InvalidToken|\b401\b"
)
_NO_BUCKET = re.compile(r"NoSuchBucket")
_NO_OBJECT = re.compile(r"NoSuchKey|\b404\b|No files found")
_STORAGE_UNREACHABLE = re.compile(
    r"Could not connect|Could not establish|Connection refused|Failed to resolve|"
    r"Could not resolve|timed out|Timeout|Connection reset|SSL|HTTP 0\b",
    re.IGNORECASE,
)
_BUCKET_IN_URL = re.compile(r"s3://([^/\s'\"]+)")


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


def cause(exc: BaseException, location: Location, hidden: tuple[str, ...] = ()) -> str:
    """The first meaningful line of the error, without secrets (`hidden`: more of them)."""
    text = str(exc)
    for value in hidden:
        text = text.replace(value, "***")
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


def _settings() -> LakeSettings | None:
    try:
        return lake_settings()
    except StoreError:
        return None


def storage_error(exc: BaseException, location: Location) -> StoreError | None:
    """The data files' object storage (S3) failed or refused us; None for other errors.
    The S3 credentials in force are blanked out of the cause."""
    text = str(exc)
    if not location.is_lake or not _STORAGE.search(text) or "DATA_PATH" in text:
        return None  # (a data path other than the catalog's is a setting, said elsewhere)
    settings = _settings()
    s3 = settings.s3 if settings else None
    why = cause(exc, location, s3.secrets if s3 else ())
    named = _BUCKET_IN_URL.search(text)
    bucket = named.group(1) if named else (settings.bucket() if settings else None)
    where = f"bucket {bucket or '(unknown)'}" + (f", {s3.describe()}" if s3 else "")
    if "requires the extension httpfs" in text:
        return StoreUnavailableError(
            f"The store keeps its data files on S3 ({where}), and this process has no S3 "
            "settings: set COCKPIT_S3_KEY_ID, COCKPIT_S3_SECRET, COCKPIT_S3_REGION and, for "
            "storage other than AWS, COCKPIT_S3_ENDPOINT (or s3_* under [store] in "
            "secrets.toml). The store has not been changed."
        )
    if _NO_BUCKET.search(text):
        return StoreUnavailableError(
            f"The S3 bucket {bucket or ''} of the store's data files does not exist ({where}; "
            f"{why}). Create it, or fix COCKPIT_LAKE_DATA / lake_data; the store has not "
            "been changed."
        )
    if _STORAGE_AUTH.search(text):
        return StoreUnavailableError(
            f"The object storage of the store's data files ({where}) refused the credentials "
            f"({why}). Check COCKPIT_S3_KEY_ID and COCKPIT_S3_SECRET (or s3_key_id and "
            "s3_secret under [store] in secrets.toml; the secret is never shown); the store "
            "has not been changed."
        )
    if _STORAGE_UNREACHABLE.search(text):
        return StoreUnavailableError(
            f"The object storage of the store's data files ({where}) is not reachable "
            f"({why}). Check that it is running and COCKPIT_S3_ENDPOINT; the store keeps its "
            "last committed state."
        )
    if _NO_OBJECT.search(text):
        return StoreDamagedError(
            f"A data file of the store is missing from the object storage ({where}; {why}). "
            "Was it deleted outside the cockpit? Restore the bucket from a backup."
        )
    return StoreUnavailableError(
        f"The object storage of the store's data files ({where}) failed ({why}); the store "
        "keeps its last committed state."
    )
