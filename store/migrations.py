"""Versioned schema migrations.

Each migration is frozen once released: a file written by an older cockpit is brought
forward step by step. The DDL avoids primary keys and sequences so that the same
statements run on DuckLake (which has neither): ids come from the `write_turn` row that
every write updates first (store/core.py), which makes concurrent writers take turns.

The pending migrations are applied in one transaction that checks the recorded version
first, so processes that start at once on a new or old store apply each step once: a
process that loses the race fails to commit (both created the same table), and finds the
work done when it retries.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass

import duckdb

from store.cursor import Cursor
from store.errors import StoreTooNewError


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: Sequence[str]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "snapshots, projects, benefits, measurements, settings, audit log",
        (
            """
            CREATE TABLE snapshots (
                snapshot_id BIGINT NOT NULL,
                as_of DATE NOT NULL,
                kind VARCHAR NOT NULL,
                state VARCHAR NOT NULL,
                source VARCHAR,
                content_hash VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                created_by VARCHAR,
                n_projects INTEGER NOT NULL,
                n_benefits INTEGER NOT NULL,
                n_measurements INTEGER NOT NULL,
                replaces BIGINT
            )
            """,
            """
            CREATE TABLE projects (
                snapshot_id BIGINT NOT NULL,
                project_id VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                portfolio VARCHAR,
                objective VARCHAR,
                sponsor VARCHAR,
                owner VARCHAR,
                status VARCHAR NOT NULL,
                rag VARCHAR,
                start_date DATE,
                baseline_end DATE,
                forecast_end DATE,
                actual_end DATE,
                budget DOUBLE,
                actual_cost DOUBLE,
                forecast_cost DOUBLE,
                scope_planned DOUBLE,
                scope_delivered DOUBLE,
                jira_key VARCHAR
            )
            """,
            """
            CREATE TABLE benefits (
                snapshot_id BIGINT NOT NULL,
                benefit_id VARCHAR NOT NULL,
                project_id VARCHAR NOT NULL,
                kpi VARCHAR NOT NULL,
                unit VARCHAR,
                baseline DOUBLE NOT NULL,
                target DOUBLE NOT NULL,
                start_date DATE,
                target_date DATE NOT NULL,
                planned_value DOUBLE,
                owner VARCHAR,
                category VARCHAR
            )
            """,
            """
            CREATE TABLE measurements (
                snapshot_id BIGINT NOT NULL,
                benefit_id VARCHAR NOT NULL,
                measured_at DATE NOT NULL,
                value DOUBLE NOT NULL,
                source VARCHAR
            )
            """,
            """
            CREATE TABLE settings (
                name VARCHAR NOT NULL,
                value DOUBLE NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                updated_by VARCHAR
            )
            """,
            """
            CREATE TABLE audit_log (
                changed_at TIMESTAMP NOT NULL,
                actor VARCHAR,
                action VARCHAR NOT NULL,
                target VARCHAR,
                detail VARCHAR
            )
            """,
        ),
    ),
    Migration(
        2,
        "Jira issues, their status changes, and sync runs",
        (
            """
            CREATE TABLE jira_issues (
                issue_id VARCHAR NOT NULL,
                issue_key VARCHAR,
                project_key VARCHAR,
                issue_type VARCHAR,
                summary VARCHAR,
                status VARCHAR,
                status_category VARCHAR,
                created TIMESTAMP,
                updated TIMESTAMP,
                resolution_date TIMESTAMP,
                story_points DOUBLE,
                parent_key VARCHAR,
                epic_key VARCHAR,
                sync_id BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE jira_status_changes (
                issue_id VARCHAR NOT NULL,
                changed_at TIMESTAMP NOT NULL,
                from_status VARCHAR,
                to_status VARCHAR,
                from_category VARCHAR,
                to_category VARCHAR
            )
            """,
            """
            CREATE TABLE jira_sync_runs (
                sync_id BIGINT NOT NULL,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP,
                mode VARCHAR NOT NULL,
                deployment VARCHAR,
                url VARCHAR,
                user_name VARCHAR,
                jql VARCHAR,
                watermark TIMESTAMP,
                n_issues BIGINT,
                n_changes BIGINT,
                n_requests BIGINT,
                ok BOOLEAN NOT NULL,
                message VARCHAR,
                actor VARCHAR
            )
            """,
        ),
    ),
    Migration(
        3,
        "column mappings saved per source",
        (
            """
            CREATE TABLE mappings (
                source VARCHAR NOT NULL,
                mapping VARCHAR NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                updated_by VARCHAR
            )
            """,
        ),
    ),
    Migration(
        4,
        "the currency of each snapshot, display preferences, the headers a mapping was made for",
        (
            # NULL for snapshots loaded before currencies were recorded: shown in the
            # display currency.
            "ALTER TABLE snapshots ADD COLUMN currency VARCHAR",
            # The header row of the file a mapping was saved for (a JSON list), so that
            # next quarter's export under another name is recognised by its layout.
            "ALTER TABLE mappings ADD COLUMN headers VARCHAR",
            """
            CREATE TABLE preferences (
                name VARCHAR NOT NULL,
                value VARCHAR NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                updated_by VARCHAR
            )
            """,
        ),
    ),
    Migration(
        5,
        "the row every write updates first: writers take turns, ids are drawn from it",
        (
            """
            CREATE TABLE write_turn (
                turn BIGINT NOT NULL,
                last_snapshot_id BIGINT NOT NULL,
                last_sync_id BIGINT NOT NULL
            )
            """,
            """
            INSERT INTO write_turn
            SELECT 0,
                   coalesce((SELECT max(snapshot_id) FROM snapshots), 0),
                   coalesce((SELECT max(sync_id) FROM jira_sync_runs), 0)
            """,
        ),
    ),
    Migration(
        6,
        "measurement sources per benefit, measurement runs and each source's result",
        (
            # A source belongs to the upload that defined it (like a measurement): the
            # newest definition of a benefit in a snapshot not deleted is the one in force;
            # `removed` marks a definition that takes the benefit's source away.
            """
            CREATE TABLE measurement_sources (
                snapshot_id BIGINT NOT NULL,
                benefit_id VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                connection VARCHAR,
                query VARCHAR NOT NULL,
                value_path VARCHAR,
                schedule VARCHAR NOT NULL,
                note VARCHAR,
                removed BOOLEAN NOT NULL
            )
            """,
            """
            CREATE TABLE measure_runs (
                run_id BIGINT NOT NULL,
                as_of DATE NOT NULL,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP NOT NULL,
                actor VARCHAR,
                snapshot_id BIGINT,
                n_sources INTEGER NOT NULL,
                n_values INTEGER NOT NULL,
                n_failed INTEGER NOT NULL
            )
            """,
            # One row per source per run: where a value came from (kind, connection name,
            # a hash of the query, when it ran, the raw result), or why there is none.
            """
            CREATE TABLE measure_results (
                run_id BIGINT NOT NULL,
                benefit_id VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                connection VARCHAR,
                query_hash VARCHAR NOT NULL,
                measured_at DATE NOT NULL,
                ran_at TIMESTAMP NOT NULL,
                seconds DOUBLE NOT NULL,
                raw_result VARCHAR,
                value DOUBLE,
                error VARCHAR
            )
            """,
            "ALTER TABLE write_turn ADD COLUMN last_run_id BIGINT",
            "UPDATE write_turn SET last_run_id = 0",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def current_version(cur: Cursor | duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the store; 0 for a store with no schema yet."""
    exists = cur.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'schema_version' AND table_schema = current_schema() "
        "AND table_catalog = current_database()"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _check_not_newer(version: int) -> None:
    if version > LATEST_VERSION:
        raise StoreTooNewError(
            f"This store has schema version {version}, newer than this cockpit knows "
            f"({LATEST_VERSION}). Upgrade the cockpit; the store has not been changed."
        )


def migrate(cur: Cursor | duckdb.DuckDBPyConnection, target: int = LATEST_VERSION) -> list[int]:
    """Apply every migration above the recorded version, all in one transaction (a new
    store is one commit; an old one moves forward whole or not at all)."""
    _check_not_newer(current_version(cur))
    cur.execute("BEGIN TRANSACTION")
    try:
        version = current_version(cur)
        _check_not_newer(version)
        pending = [m for m in MIGRATIONS if version < m.version <= target]
        if not pending:
            cur.execute("ROLLBACK")
            return []
        if version == 0:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
        for migration in pending:
            for statement in migration.statements:
                cur.execute(statement)
            cur.execute(
                "INSERT INTO schema_version VALUES (?, current_timestamp::TIMESTAMP)",
                [migration.version],
            )
        cur.execute("COMMIT")
    except BaseException:
        with suppress(duckdb.Error):  # a failed COMMIT has already ended the transaction
            cur.execute("ROLLBACK")
        raise
    return [m.version for m in pending]
