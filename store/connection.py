"""Opening the database: a DuckDB file, or a DuckLake (catalog in a SQLite file, in
PostgreSQL, or in a DuckDB file) behind one connection. Errors become messages that say
what to do and keep the cause, never a password."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import duckdb

from store import extensions
from store.errors import StoreDamagedError, StoreError, StoreLockedError
from store.extensions import sql_literal
from store.failures import cause, connection_error, is_conflict, storage_error
from store.lake_settings import LakeSettings, S3Settings, lake_settings
from store.location import Location, describe
from store.pg_dsn import format_dsn, parse_dsn, public_dsn

LAKE_ALIAS = "cockpit"
SECRET_NAME = "cockpit_catalog"
S3_SECRET_NAME = "cockpit_data"
# PostgreSQL only: the catalog database attached once more, plainly, for the advisory lock
# that queues writers (store/core.py).
WRITERS_ALIAS = "cockpit_writers"
# Several processes opening a new catalog at once race to create DuckLake's tables: the
# losers see a conflict and try again (bounded) against the catalog the winner made.
ATTACH_ATTEMPTS = 8
CONNECT_TIMEOUT_SECONDS = "10"


def connect(location: Location, data_path: str | None = None) -> duckdb.DuckDBPyConnection:
    """One connection for the process; `data_path` overrides COCKPIT_LAKE_DATA."""
    if location.is_lake:
        return _connect_lake(location, data_path)
    return _connect_file(Path(location.target))


def prepare_cursor(
    location: Location, cursor: duckdb.DuckDBPyConnection, catalog: str = LAKE_ALIAS
) -> duckdb.DuckDBPyConnection:
    """Cursors do not inherit session settings: point each one at the catalog it reads
    (the lake, or this process's copy of it), and turn off the progress bar, which a slow
    catalog would otherwise print into a command's output (`metrics report` is JSON)."""
    cursor.execute("SET enable_progress_bar = false")
    if location.is_lake:
        cursor.execute(f"USE {catalog}")
    return cursor


def _connect_file(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size == 0:
        # A zero-byte file holds no data (e.g. `touch cockpit.duckdb`): start it fresh.
        path.unlink()
    try:
        return duckdb.connect(str(path), config=_config())
    except duckdb.IOException as exc:
        text = str(exc)
        if "Could not set lock" in text or "Conflicting lock" in text:
            holder = text.split("Conflicting lock is held in", 1)[-1].split("See also")[0].strip()
            raise StoreLockedError(
                f"The store {path} is in use by another process ({holder or 'unknown'}). "
                "A DuckDB file has one user at a time: stop that process (for example a "
                "running `streamlit run`), or use the default store (a DuckLake that the app "
                "and the command line share), then try again."
            ) from None
        if "not a valid DuckDB database" in text or "Corrupt" in text or "corrupt" in text:
            raise StoreDamagedError(
                f"The store {path} is not a readable DuckDB database. It has not been changed. "
                "Restore it from a backup, or point --db / COCKPIT_DB at another file."
            ) from None
        raise StoreError(f"The store {path} cannot be opened: {text}") from None
    except duckdb.Error as exc:
        raise StoreDamagedError(
            f"The store {path} cannot be read ({type(exc).__name__}). It has not been changed. "
            "Restore it from a backup, or point --db / COCKPIT_DB at another file."
        ) from None


def _config() -> dict[str, str | bool]:
    # Air-gapped machines: never try to download extensions at run time.
    return {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _ensure_wal(catalog: Path) -> None:
    """A SQLite catalog in write-ahead-log mode: readers never wait for a writer, and a
    writer never waits for readers (only for another writer's commit)."""
    con = sqlite3.connect(catalog, timeout=30)
    try:
        if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


def _s3_secret(con: duckdb.DuckDBPyConnection, s3: S3Settings) -> None:
    """Load httpfs and give it the S3 settings as a DuckDB secret (shown redacted)."""
    extensions.load(con, "httpfs")
    parts = [
        "TYPE s3",
        f"REGION {sql_literal(s3.region)}",
        f"URL_STYLE {sql_literal(s3.url_style)}",
        f"USE_SSL {'true' if s3.use_ssl else 'false'}",
    ]
    if s3.endpoint:
        parts.append(f"ENDPOINT {sql_literal(s3.endpoint)}")
    if s3.key_id and s3.secret:
        parts += [f"KEY_ID {sql_literal(s3.key_id)}", f"SECRET {sql_literal(s3.secret)}"]
    if s3.session_token:
        parts.append(f"SESSION_TOKEN {sql_literal(s3.session_token)}")
    con.execute(f"CREATE OR REPLACE SECRET {S3_SECRET_NAME} ({', '.join(parts)})")


def _attach_options(
    location: Location, con: duckdb.DuckDBPyConnection, settings: LakeSettings
) -> tuple[str, list[str]]:
    """The ATTACH path and options of a lake; loads the extensions its catalog and its
    data files need."""
    extensions.load(con, "ducklake")
    options: list[str] = []
    data_path = settings.data_path
    if settings.s3 is not None:
        _s3_secret(con, settings.s3)
    if location.kind == "postgres":
        extensions.load(con, "postgres_scanner")
        try:
            params = parse_dsn(location.target)
        except ValueError as exc:
            raise StoreError(f"COCKPIT_DB: {exc}.") from None
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        if params.get("password"):
            # The password lives in a secret (shown redacted), never in the attach path.
            con.execute(
                f"CREATE OR REPLACE SECRET {SECRET_NAME} "
                f"(TYPE postgres, PASSWORD {sql_literal(params['password'])})"
            )
            options.append(f"METADATA_PARAMETERS MAP {{'SECRET': '{SECRET_NAME}'}}")
        path = "postgres:" + format_dsn(public_dsn(params))
        if data_path:
            options.append(f"DATA_PATH {sql_literal(data_path.rstrip('/') + '/')}")
        return path, options
    catalog = Path(location.target)
    catalog.parent.mkdir(parents=True, exist_ok=True)
    local_data = data_path or str(catalog.parent / (catalog.stem + ".files"))
    if "://" not in local_data:
        Path(local_data).mkdir(parents=True, exist_ok=True)
    options.append(f"DATA_PATH {sql_literal(local_data.rstrip('/') + '/')}")
    if location.kind == "sqlite":
        extensions.load(con, "sqlite_scanner")
        _ensure_wal(catalog)
        return f"sqlite:{catalog}", options
    return str(catalog), options


def _connect_lake(location: Location, data_path: str | None) -> duckdb.DuckDBPyConnection:
    settings = lake_settings(data_path=data_path)
    con = duckdb.connect(config=_config())
    try:
        con.execute("SET enable_progress_bar = false")
        path, options = _attach_options(location, con, settings)
        statement = f"ATTACH {sql_literal('ducklake:' + path)} AS {LAKE_ALIAS}"
        if options:
            statement += f" ({', '.join(options)})"
        _attach(con, statement)
        if location.kind == "postgres":
            _attach_writers_queue(con, path.removeprefix("postgres:"))
        prepare_cursor(location, con)
    except StoreError:
        con.close()
        raise
    except duckdb.Error as exc:
        con.close()
        raise lake_error(exc, location) from None
    return con


def _attach_writers_queue(con: duckdb.DuckDBPyConnection, dsn: str) -> None:
    """The catalog database once more, read-only, for the writers' advisory lock."""
    has_secret = con.execute(
        "SELECT count(*) FROM duckdb_secrets() WHERE name = ?", [SECRET_NAME]
    ).fetchone()
    secret = f", SECRET {SECRET_NAME}" if has_secret and has_secret[0] else ""
    con.execute(f"ATTACH {sql_literal(dsn)} AS {WRITERS_ALIAS} (TYPE postgres, READ_ONLY{secret})")


def _attach(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    for attempt in range(ATTACH_ATTEMPTS):
        try:
            con.execute(statement)
            return
        except duckdb.Error as exc:
            racing = is_conflict(exc) or "already exists" in str(exc)
            if not racing or attempt == ATTACH_ATTEMPTS - 1:
                raise
        time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))


def lake_error(exc: BaseException, location: Location) -> StoreError:
    """A lake that cannot be opened: the catalog's own message when we know it."""
    known = storage_error(exc, location) or connection_error(exc, location)
    if known is not None:
        return known
    text = str(exc)
    if "data_path is not set" in text:
        return StoreError(
            f"The {describe(location.url)} store is new and has no place for its data files: "
            "set COCKPIT_LAKE_DATA to a folder every process can reach (or an s3:// URL)."
        )
    if "does not match existing data path" in text:
        return StoreError(
            f"COCKPIT_LAKE_DATA differs from where the {describe(location.url)} store keeps its "
            f"data files ({cause(exc, location)}). Unset it, or set it to that path."
        )
    return StoreError(
        f"The {describe(location.url)} store cannot be opened ({cause(exc, location)}). "
        "Check the catalog connection and COCKPIT_LAKE_DATA."
    )
