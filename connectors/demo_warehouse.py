"""The demo's data warehouse: a SQLite file beside the store holding the monthly KPI values
of the benefits a BI system measures, and the measurement sources that read them.

From the latest quarter on, those benefits are no longer typed into the quarterly
spreadsheet: monthly measurement runs read them from the warehouse, so the app shows
evidenced and typed value side by side. The values are the ones the spreadsheet would
have held, so every other figure of the demo is unchanged. One source is broken (its
table was renamed), to show a failing source: its benefit keeps its typed values.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from connectors.measure.connections import connections_from
from connectors.measure.run import run_due
from domain.paths import DATA_DIR
from store import Store

CONNECTION = "demo_warehouse"
FILE_NAME = "warehouse.sqlite"
# Measured in a BI system, so read from the warehouse (the others are surveys, audits, ...).
MACHINE_SOURCES = ("Web analytics", "Finance BI", "App analytics", "Cloud billing")
BROKEN_SOURCE = "Contact centre"
SOURCED_AFTER = dt.date(2026, 6, 30)  # the month ends after this come from the runs
RUN_DATES = (dt.date(2026, 7, 31), dt.date(2026, 8, 31), dt.date(2026, 9, 30))
QUERY = (
    "SELECT value FROM kpi_monthly WHERE benefit_id = '{benefit}' "
    "AND month_end::DATE <= :as_of ORDER BY month_end DESC LIMIT 1"
)
BROKEN_QUERY = (
    "SELECT avg(resolved_first_contact) * 100 FROM contact_centre_daily "
    "WHERE call_date <= :as_of AND benefit = '{benefit}'"
)


def source_row(benefit_id: str, kpi: str, broken: bool = False) -> dict[str, object]:
    """The measurement_sources row of a demo benefit."""
    return {
        "benefit_id": benefit_id,
        "kind": "sql",
        "connection": CONNECTION,
        "query": (BROKEN_QUERY if broken else QUERY).format(benefit=benefit_id),
        "value_path": None,
        "schedule": "monthly",
        "note": f"{kpi}, month-end value from the data warehouse",
    }


def warehouse_path(store: Store) -> Path:
    """Beside the store's file (its catalog for a lake), else in the app's data folder."""
    location = store.db.location
    if location.kind == "postgres":
        return DATA_DIR / FILE_NAME
    return Path(location.target).resolve().parent / FILE_NAME


def write_warehouse(path: Path, rows: list[dict[str, object]]) -> None:
    """The warehouse file, made anew: one table of month-end KPI values."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kpi_monthly (benefit_id TEXT, month_end TEXT, value REAL)")
        db.executemany(
            "INSERT INTO kpi_monthly VALUES (?, ?, ?)",
            [(r["benefit_id"], str(r["measured_at"]), r["value"]) for r in rows],
        )
    db.close()


def run_demo_measurements(
    store: Store, rows: list[dict[str, object]], actor: str = "demo"
) -> list[str]:
    """Write the warehouse beside the store and run the sources once a month of the latest
    quarter, as a scheduled `cockpit measure` would have; summary lines. Once: a store
    that has measurement runs keeps them (its warehouse is written again if missing)."""
    path = warehouse_path(store)
    where = (
        f"The demo's warehouse is {path}; to run its sources again, set "
        f"COCKPIT_SOURCE_DEMO_WAREHOUSE_URL=sqlite://{path} (make run does)."
    )
    done = store.measure_runs(limit=1)
    if done.height:
        if not path.exists():
            write_warehouse(path, rows)
        return [
            "Nothing to do: the demo's measurement runs are already done "
            f"(run #{int(done['run_id'][0])}).",
            where,
        ]
    write_warehouse(path, rows)
    connections = connections_from({CONNECTION: {"url": f"sqlite://{path}"}}, env={})
    lines = []
    for day in RUN_DATES:
        _run, commit = run_due(store, connections, as_of=day, actor=actor)
        if commit is not None:
            lines.append(commit.message)
    lines.append(where)
    return lines
