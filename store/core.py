"""The Store's database: one connection per process, a cursor per thread, and writes that
take turns with every other writer, in this process or any other.

Every write transaction first updates the one row of `write_turn`. Two transactions that
overlap therefore both change that row, and the second to commit fails (DuckLake: a
logical conflict; SQLite: its lock; DuckDB: a write-write conflict) and is run again from
the start on the state the first one left, a bounded number of times with backoff. So
every check-then-act step of a write (same content is a no-op, supersede, references,
undelete) holds across processes, and ids drawn from that row never collide.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Generic, TypeVar

import duckdb

from store.connection import LAKE_ALIAS, WRITERS_ALIAS, connect, prepare_cursor
from store.cursor import Cursor
from store.failures import busy, connection_error, is_conflict, storage_error
from store.location import describe, parse, resolve_url
from store.migrations import migrate
from store.replica import REPLICA_CATALOG, Replica

T = TypeVar("T")
WRITE_ATTEMPTS = 12
BACKOFF_FIRST_SECONDS = 0.05
BACKOFF_MAX_SECONDS = 2.0
ID_COLUMNS = ("last_snapshot_id", "last_sync_id", "last_run_id")
WRITER_LOCK_KEY = 0x636F636B706974  # "cockpit": the advisory lock that queues writers
WRITER_QUEUE_SECONDS = 120.0


@dataclass(frozen=True)
class Unchanged(Generic[T]):
    """Returned by a write that found nothing to change: it is rolled back, not committed
    (no empty commit, no new generation), and `value` is what the write returns."""

    value: T


def backoff_seconds(attempt: int) -> float:
    """Exponential with full jitter, capped: writers that collided do not collide again."""
    return random.uniform(0, min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2**attempt))


def claim_turn(cur: Cursor) -> None:
    """Take this write's turn (see the module docstring)."""
    cur.execute("UPDATE write_turn SET turn = turn + 1")


def next_id(cur: Cursor, column: str) -> int:
    """The next snapshot or sync id, inside a write that holds its turn."""
    if column not in ID_COLUMNS:
        raise ValueError(column)
    cur.execute(f"UPDATE write_turn SET {column} = {column} + 1")
    row = cur.execute(f"SELECT {column} FROM write_turn").fetchone()
    if row is None:
        raise RuntimeError("the store has no write_turn row")
    return int(row[0])


class Database:
    """The process-wide connection to one store and the lock that serialises its writers.

    A DuckDB file is read and written through one connection. A lake is written on the
    lake and read from this process's copy of it (store/replica.py), read again after each
    write of this process and whenever generation() finds a newer catalog snapshot.
    """

    def __init__(self, url: str, data_path: str | None = None) -> None:
        """`data_path`: where a new lake keeps its data files, instead of COCKPIT_LAKE_DATA
        (a store being migrated into, while the source follows the settings)."""
        self.url = url
        self._data_path = data_path
        self.location = parse(url)
        self.name = describe(url)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._connect_lock = threading.Lock()
        self._closed = False
        self._epoch = 0
        self._replica = Replica(LAKE_ALIAS) if self.location.is_lake else None
        self._con: duckdb.DuckDBPyConnection | None = connect(self.location, self._data_path)
        self._migrate()

    # Connections ----------------------------------------------------------------------
    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._connect_lock:
            if self._closed:
                raise RuntimeError("the store is closed")
            if self._con is None:  # lost (the catalog went away): connect again
                self._con = connect(self.location, self._data_path)
                self._epoch += 1
                if self._replica is not None:
                    self._replica = Replica(LAKE_ALIAS)
            return self._con

    def _lost(self) -> None:
        """The catalog stopped answering: the next use connects again."""
        with self._connect_lock:
            if self._con is not None and self.location.is_lake:
                with suppress(duckdb.Error):
                    self._con.close()
                self._con = None

    def _lake_cursor(self) -> Cursor:
        """A cursor on the lake itself (or the file): writes, migrations, the catalog."""
        raw = self._connection().cursor()
        prepare_cursor(self.location, raw)
        return Cursor(raw, self.location, self._lost)

    def cursor(self) -> Cursor:
        """This thread's cursor for reads (DuckDB connections must not be shared across
        threads). On a lake it reads this process's copy, read again first if stale."""
        if self._replica is not None:
            self._refresh_replica()
        held = getattr(self._local, "cursor", None)
        if held is None or held[0] != self._epoch or self._con is None:
            catalog = REPLICA_CATALOG if self._replica is not None else LAKE_ALIAS
            raw = prepare_cursor(self.location, self._connection().cursor(), catalog)
            held = (self._epoch, Cursor(raw, self.location, self._lost))
            self._local.cursor = held
        return held[1]

    def _refresh_replica(self, latest: int | None = None) -> int:
        replica = self._replica
        assert replica is not None
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            if not replica.needs_refresh(latest):
                return int(replica.generation or 0)
            try:
                return replica.refresh(self._connection(), latest)
            except duckdb.Error as exc:
                stored = storage_error(exc, self.location)
                if stored is not None:
                    raise stored from None
                known = connection_error(exc, self.location)
                if known is not None:
                    self._lost()
                    raise known from None
                # A catalog busy with a writer's commit (SQLite's lock): read again shortly.
                if not is_conflict(exc) or attempt == WRITE_ATTEMPTS:
                    raise
            time.sleep(backoff_seconds(attempt))
        raise AssertionError("unreachable")

    # Reads ----------------------------------------------------------------------------
    def generation(self) -> int:
        """A number that changes with every committed write, in this process or another
        (asked on every rerun of the app: one small catalog query on a lake)."""
        if self._replica is None:
            row = self.cursor().execute("SELECT count(*) FROM audit_log").fetchone()
            return int(row[0]) if row and row[0] is not None else 0
        cur = self.cursor()  # connected, and the copy current with this process's own writes
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                row = cur.execute(f"SELECT id FROM {LAKE_ALIAS}.current_snapshot()").fetchone()
                break
            except duckdb.Error as exc:  # as in _refresh_replica
                if not is_conflict(exc) or attempt == WRITE_ATTEMPTS:
                    raise
            time.sleep(backoff_seconds(attempt))
        latest = int(row[0]) if row and row[0] is not None else 0
        return self._refresh_replica(latest)

    # Writes ---------------------------------------------------------------------------
    def write(self, work: Callable[[Cursor], T | Unchanged[T]], *, claim: bool = True) -> T:
        """Run `work` in one transaction that commits whole or not at all, after taking
        this write's turn; run it again from the start when another writer committed
        first, up to WRITE_ATTEMPTS times, then say so (StoreBusyError)."""
        with self._write_lock, self._writers_queue():
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                cur = self._lake_cursor()
                try:
                    cur.execute("BEGIN TRANSACTION")
                    if claim:
                        claim_turn(cur)
                    result = work(cur)
                    if isinstance(result, Unchanged):
                        cur.execute("ROLLBACK")
                        return result.value
                    cur.execute("COMMIT")
                    if self._replica is not None:
                        self._replica.mark_stale()
                    return result
                except BaseException as exc:
                    _rollback(cur)
                    if not is_conflict(exc):
                        raise
                    if attempt == WRITE_ATTEMPTS:
                        raise busy(self.location, attempt) from None
                finally:
                    cur.close()
                time.sleep(backoff_seconds(attempt))
        raise AssertionError("unreachable")

    @contextmanager
    def _writers_queue(self) -> Iterator[None]:
        """On PostgreSQL, writers of every process wait their turn on an advisory lock
        (held until this write has committed), so they rarely meet at commit time and
        do not redo their work. Correctness does not rest on it: the write_turn row does."""
        if self.location.kind != "postgres":
            yield
            return
        cur = self._lake_cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            waited = 0.0
            while not _try_writer_lock(cur):
                if waited >= WRITER_QUEUE_SECONDS:
                    raise busy(self.location, 0, waited)
                pause = min(0.5, 0.02 + waited / 10)
                time.sleep(pause)
                waited += pause
            yield
        finally:
            _rollback(cur)  # ends the lock's transaction: the next writer goes
            cur.close()

    def _migrate(self) -> None:
        """Bring the schema up to date; processes starting at once take turns (the loser
        of a race sees a conflict, waits, and finds the work done)."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            cur = self._lake_cursor()
            try:
                migrate(cur)
                return
            except duckdb.Error as exc:
                racing = is_conflict(exc) or "already exists" in str(exc)
                if not racing or attempt == WRITE_ATTEMPTS:
                    raise
            finally:
                cur.close()
            time.sleep(backoff_seconds(attempt))

    def close(self) -> None:
        with self._connect_lock:
            self._closed = True
            if self._con is not None:
                self._con.close()


def _try_writer_lock(cur: Cursor) -> bool:
    row = cur.execute(
        f"SELECT * FROM postgres_query('{WRITERS_ALIAS}', "
        f"'SELECT pg_try_advisory_xact_lock({WRITER_LOCK_KEY}) AS locked')"
    ).fetchone()
    return bool(row and row[0])


def _rollback(cur: Cursor) -> None:
    with suppress(duckdb.Error):  # a failed COMMIT has already ended the transaction
        cur.raw.execute("ROLLBACK")


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def database(
    url: str | None = None, on_first_open: Callable[[Database], object] | None = None
) -> Database:
    """The process's connection to the store at `url` (resolved as --db / COCKPIT_DB);
    `on_first_open` runs once, when this process opens it."""
    resolved = resolve_url(url)
    with _databases_lock:
        db = _databases.get(resolved)
        if db is None:
            db = Database(resolved)
            if on_first_open is not None:
                try:
                    on_first_open(db)
                except BaseException:
                    db.close()
                    raise
            _databases[resolved] = db
        return db


def close_all() -> None:
    """Release every store this process opened (tests, and CLI exit)."""
    with _databases_lock:
        for db in _databases.values():
            db.close()
        _databases.clear()
