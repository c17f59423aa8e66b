"""A DuckDB cursor whose failures to reach the catalog or the data files become StoreErrors
with a message (PostgreSQL or S3 down mid-run, say), wherever in the store they happen.
Every other error, a constraint or a write conflict, reaches the caller as DuckDB raised
it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import polars as pl

from store.failures import connection_error, storage_error
from store.location import Location


class Cursor:
    """What the store's modules use of a DuckDB cursor: execute, fetch, register."""

    __slots__ = ("_location", "_on_lost", "raw")

    def __init__(
        self,
        raw: duckdb.DuckDBPyConnection,
        location: Location,
        on_lost: Callable[[], None] = lambda: None,
    ) -> None:
        self.raw = raw
        self._location = location
        self._on_lost = on_lost

    def _translate(self, exc: duckdb.Error) -> BaseException:
        stored = storage_error(exc, self._location)  # the data files': the catalog is fine
        if stored is not None:
            return stored
        known = connection_error(exc, self._location)
        if known is None:
            return exc
        self._on_lost()
        return known

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        try:
            if parameters is None:
                self.raw.execute(sql)
            else:
                self.raw.execute(sql, parameters)
        except duckdb.Error as exc:
            raise self._translate(exc) from None
        return self

    def executemany(self, sql: str, parameters: Sequence[Sequence[Any]]) -> Cursor:
        try:
            self.raw.executemany(sql, parameters)
        except duckdb.Error as exc:
            raise self._translate(exc) from None
        return self

    def fetchone(self) -> tuple[Any, ...] | None:
        try:
            return self.raw.fetchone()
        except duckdb.Error as exc:
            raise self._translate(exc) from None

    def fetchall(self) -> list[tuple[Any, ...]]:
        try:
            return self.raw.fetchall()
        except duckdb.Error as exc:
            raise self._translate(exc) from None

    def pl(self) -> pl.DataFrame:
        try:
            return self.raw.pl()
        except duckdb.Error as exc:
            raise self._translate(exc) from None

    def register(self, name: str, data: object) -> None:
        self.raw.register(name, data)

    def unregister(self, name: str) -> None:
        self.raw.unregister(name)

    def close(self) -> None:
        self.raw.close()
