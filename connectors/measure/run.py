"""A measurement run: the due sources, each measured within its timeout, then their values
committed in one transaction (or shown first: `preview` then `commit_preview`, the Data
page's "Run now").

Each source is measured on its own: one that fails (no connection, a refused query, a
timeout, no number) records why, redacted, and writes no value; the others go on.
Sessions are opened once per connection per run (and a broken one is not retried within
the run, so fifty sources on an unreachable server cost one connection timeout).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl

from connectors.jira.config import JiraConfig
from connectors.measure import sql
from connectors.measure.connections import Connection, Connections, SourceConfigError
from connectors.measure.http import fetch
from connectors.measure.jira import JiraSession
from connectors.measure.redact import redact
from connectors.measure.schedule import source_status, with_due
from connectors.measure.values import SourceFailed
from domain.measure import RESULT_SCHEMA, MeasureRun, RunCommit
from store import Store

GRACE_SECONDS = 2.0  # after a timeout, how long an interrupted query gets to stop


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def with_deadline(
    work: Callable[[], sql.Answer], seconds: float, stop: Callable[[], None] | None = None
) -> sql.Answer:
    """`work()` if it finishes within `seconds`; else `stop()` is called and the source
    fails saying so (a thread that will not stop is left behind, as a daemon)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["answer"] = work()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="measure-source", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if stop is not None:
            stop()
        thread.join(GRACE_SECONDS)
        raise SourceFailed(
            f"gave no answer within {seconds:g} s (the connection's timeout_seconds), so it "
            "was stopped"
        )
    if "error" in box:
        error = box["error"]
        if isinstance(error, duckdb.InterruptException):
            raise SourceFailed(f"gave no answer within {seconds:g} s, so it was stopped")
        raise error
    return box["answer"]


@dataclass
class _Sessions:
    """What a run opens once and closes at its end."""

    connections: Connections
    jira_config: JiraConfig | None
    databases: dict[str, duckdb.DuckDBPyConnection | SourceFailed] = field(default_factory=dict)
    jira: JiraSession | SourceFailed | None = None

    def database(self, connection: Connection) -> duckdb.DuckDBPyConnection:
        held = self.databases.get(connection.name)
        if held is None:
            try:
                held = with_deadline(
                    lambda: sql.open_session(connection),  # type: ignore[arg-type,return-value]
                    connection.timeout_seconds + sql.CONNECT_SECONDS,
                )
            except SourceFailed as exc:
                held = exc
            self.databases[connection.name] = held
        if isinstance(held, SourceFailed):
            raise SourceFailed(str(held))
        return held

    def broken(self, connection: Connection) -> None:
        """A query of this connection had to be stopped: its session is not reused."""
        held = self.databases.pop(connection.name, None)
        if isinstance(held, duckdb.DuckDBPyConnection):
            held.interrupt()

    def jira_session(self) -> JiraSession:
        if self.jira is None:
            if self.jira_config is None:
                self.jira = SourceFailed(
                    "Jira is not configured: set [jira] in secrets.toml (url and credentials)"
                )
            else:
                try:
                    self.jira = JiraSession(self.jira_config)
                except SourceFailed as exc:
                    self.jira = exc
        if isinstance(self.jira, SourceFailed):
            raise SourceFailed(str(self.jira))
        return self.jira

    def close(self) -> None:
        for held in self.databases.values():
            if isinstance(held, duckdb.DuckDBPyConnection):
                held.close()
        if isinstance(self.jira, JiraSession):
            self.jira.close()


def _measure_one(
    source: dict[str, Any], as_of: dt.date, sessions: _Sessions
) -> tuple[sql.Answer, Connection | None]:
    kind = source["kind"]
    if kind == "jira":
        jira = sessions.jira_session()
        answer = with_deadline(  # a count may page: twice the time for one answer
            lambda: jira.measure(source["query"], source["value_path"]),
            2 * jira.timeout_seconds,
        )
        return answer, None
    connection = sessions.connections.get(source["connection"])
    if kind == "http":
        answer = with_deadline(
            lambda: fetch(connection, source["query"], source["value_path"] or ""),
            connection.timeout_seconds + sql.CONNECT_SECONDS,
        )
        return answer, connection
    session = sessions.database(connection)
    answer = with_deadline(
        lambda: sql.run_query(session, source["query"], as_of),
        connection.timeout_seconds,
        stop=lambda: sessions.broken(connection),
    )
    return answer, connection


def measure_sources(
    sources: pl.DataFrame,
    as_of: dt.date,
    connections: Connections,
    jira_config: JiraConfig | None = None,
    actor: str | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> MeasureRun:
    """Measure every source of `sources` (the store's sources in force) as of a date;
    writes nothing. `progress` hears of each result as it comes."""
    started = _utcnow()
    secrets = connections.secrets() + (jira_config.secrets if jira_config else ())
    sessions = _Sessions(connections, jira_config)
    results: list[dict[str, Any]] = []
    try:
        for source in sources.iter_rows(named=True):  # one network call each
            clock = time.monotonic()
            ran_at = _utcnow()
            connection: Connection | None = None
            value = raw = error = None
            try:
                answer, connection = _measure_one(source, as_of, sessions)
                value, raw = answer.value, answer.raw
            except (SourceFailed, SourceConfigError) as exc:
                error = str(exc)
            except Exception as exc:  # an adapter's library failing in a way not foreseen
                error = f"failed unexpectedly ({type(exc).__name__}: {exc})"
            if error is not None:
                error = redact(error, connection, secrets)
            result = {
                "benefit_id": source["benefit_id"],
                "kind": source["kind"],
                "connection": source["connection"] if source["kind"] != "jira" else None,
                "query_hash": source["query_hash"],
                "measured_at": as_of,
                "ran_at": ran_at,
                "seconds": round(time.monotonic() - clock, 3),
                "raw_result": redact(raw, connection, secrets) if raw is not None else None,
                "value": value,
                "error": error,
            }
            results.append(result)
            if progress is not None:
                progress(result)
    finally:
        sessions.close()
    frame = pl.DataFrame(results, schema=RESULT_SCHEMA)
    return MeasureRun(as_of, started, _utcnow(), frame, actor)


def chosen_sources(
    store: Store,
    as_of: dt.date,
    benefit_ids: list[str] | None = None,
    due_only: bool = True,
) -> pl.DataFrame:
    """The sources to run: those of `benefit_ids` (whether due or not), else the due ones
    (or all with `due_only=False`)."""
    sources = store.measurement_sources()
    if benefit_ids:
        return sources.filter(pl.col("benefit_id").is_in(benefit_ids))
    if not due_only:
        return sources
    due = with_due(sources, store.measure_results(), as_of)
    return due.filter(pl.col("due")).select(sources.columns)


def preview(
    store: Store,
    connections: Connections,
    jira_config: JiraConfig | None = None,
    *,
    as_of: dt.date | None = None,
    benefit_ids: list[str] | None = None,
    due_only: bool = False,
    actor: str | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> MeasureRun:
    """Run now, without committing: every source (or those of `benefit_ids`, or only the
    due ones) measured as of a date (default today). `run.results` holds each source's
    value or error; `commit_preview` commits it as it is."""
    day = as_of or dt.date.today()
    chosen = chosen_sources(store, day, benefit_ids, due_only)
    return measure_sources(chosen, day, connections, jira_config, actor, progress)


def commit_preview(store: Store, run: MeasureRun) -> RunCommit:
    """Commit a previewed run (values and failures as they were shown), one transaction."""
    return store.commit_measure_run(run)


def run_due(
    store: Store,
    connections: Connections,
    jira_config: JiraConfig | None = None,
    *,
    as_of: dt.date | None = None,
    benefit_ids: list[str] | None = None,
    actor: str | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[MeasureRun, RunCommit | None]:
    """Measure the due sources (or those of `benefit_ids`) and commit the run; no commit
    when no source was due."""
    day = as_of or dt.date.today()
    chosen = chosen_sources(store, day, benefit_ids)
    run = measure_sources(chosen, day, connections, jira_config, actor, progress)
    if run.results.height == 0:
        return run, None
    return run, store.commit_measure_run(run)


def sources_overview(store: Store, as_of: dt.date | None = None) -> pl.DataFrame:
    """Every source in force with its owner, last value or error, since when it fails and
    when it is next due (connectors/measure/schedule.py): the Data page's list."""
    day = as_of or dt.date.today()
    benefits = store.portfolio_snapshots()
    owners = pl.DataFrame(schema={"benefit_id": pl.String, "owner": pl.String, "kpi": pl.String})
    if benefits.height:
        latest = store.benefits(int(benefits["snapshot_id"][-1]))
        owners = latest.select("benefit_id", "owner", "kpi")
    return source_status(store.measurement_sources(), store.measure_results(), owners, day)
