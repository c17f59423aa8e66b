"""The Store: one connection per process, a cursor per thread, writes in one transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from store.connection import connect, prepare_cursor
from store.location import describe, resolve_url
from store.migrations import migrate


class Database:
    """The process-wide connection to one store and the lock that serialises its writers."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = describe(url)
        self._con = connect(url)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._closed = False
        migrate(self.cursor())

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor: DuckDB connections must not be shared across threads."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            if self._closed:
                raise RuntimeError("the store is closed")
            cur = prepare_cursor(self.url, self._con.cursor())
            self._local.cursor = cur
        return cur

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Everything inside commits together or not at all; writers take turns."""
        with self._write_lock:
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def close(self) -> None:
        self._closed = True
        self._con.close()


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def database(url: str | None = None) -> Database:
    """The process's connection to the store at `url` (resolved as --db / COCKPIT_DB)."""
    resolved = resolve_url(url)
    with _databases_lock:
        db = _databases.get(resolved)
        if db is None:
            db = Database(resolved)
            _databases[resolved] = db
        return db


def close_all() -> None:
    """Release every store this process opened (tests, and CLI exit)."""
    with _databases_lock:
        for db in _databases.values():
            db.close()
        _databases.clear()
