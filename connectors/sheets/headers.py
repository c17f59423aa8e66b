"""Recognising columns and tables from the headers users actually write."""

from __future__ import annotations

import re

from domain.contract import TABLES

# Common names for contract columns, already normalised (see `normalise`).
ALIASES: dict[str, dict[str, str]] = {
    "projects": {
        "id": "project_id",
        "project": "project_id",
        "project_code": "project_id",
        "project_number": "project_id",
        "project_no": "project_id",
        "project_ref": "project_id",
        "project_name": "name",
        "project_title": "name",
        "title": "name",
        "programme": "portfolio",
        "program": "portfolio",
        "strategic_objective": "objective",
        "goal": "objective",
        "executive_sponsor": "sponsor",
        "sro": "sponsor",
        "project_manager": "owner",
        "pm": "owner",
        "state": "status",
        "rag_status": "rag",
        "rag_rating": "rag",
        "delivery_confidence": "rag",
        "delivery_confidence_assessment": "rag",
        "dca": "rag",
        "start": "start_date",
        "planned_start": "start_date",
        "baseline_finish": "baseline_end",
        "planned_finish": "baseline_end",
        "planned_end": "baseline_end",
        "planned_end_date": "baseline_end",
        "baseline_end_date": "baseline_end",
        "forecast_finish": "forecast_end",
        "forecast_end_date": "forecast_end",
        "actual_finish": "actual_end",
        "actual_end_date": "actual_end",
        "budget_usd": "budget",
        "budget_eur": "budget",
        "budget_gbp": "budget",
        "bac": "budget",
        "approved_budget": "budget",
        "total_budget": "budget",
        "actuals": "actual_cost",
        "actual_spend": "actual_cost",
        "spend_to_date": "actual_cost",
        "cost_to_date": "actual_cost",
        "spent": "actual_cost",
        "eac": "forecast_cost",
        "estimate_at_completion": "forecast_cost",
        "forecast_at_completion": "forecast_cost",
        "planned_scope": "scope_planned",
        "delivered_scope": "scope_delivered",
        "epic": "jira_key",
        "jira": "jira_key",
        "jira_epic": "jira_key",
    },
    "benefits": {
        "benefit": "benefit_id",
        "project": "project_id",
        "metric": "kpi",
        "measure": "kpi",
        "kpi_name": "kpi",
        "indicator": "kpi",
        "unit_of_measure": "unit",
        "uom": "unit",
        "baseline_value": "baseline",
        "target_value": "target",
        "benefit_start": "start_date",
        "due_date": "target_date",
        "target_by": "target_date",
        "value_usd": "planned_value",
        "planned_value_usd": "planned_value",
        "benefit_value": "planned_value",
        "benefit_owner": "owner",
        "business_owner": "owner",
        "type": "category",
    },
    "measurements": {
        "benefit": "benefit_id",
        "date": "measured_at",
        "measurement_date": "measured_at",
        "measured_on": "measured_at",
        "as_at": "measured_at",
        "actual": "value",
        "actual_value": "value",
        "measured_value": "value",
        "data_source": "source",
    },
    "measurement_sources": {
        "benefit": "benefit_id",
        "source_kind": "kind",
        "source_type": "kind",
        "connection_name": "connection",
        "sql": "query",
        "jql": "query",
        "path": "value_path",
        "json_path": "value_path",
        "frequency": "schedule",
        "description": "note",
    },
}


# Sheets a workbook may carry besides its tables (the template's README among them).
NOTES_SHEETS = frozenset({"readme", "notes", "about", "instructions", "help", "lists"})

# How far down a sheet the header row is looked for (titles and notes may sit above it).
HEADER_SEARCH_ROWS = 30


def normalise(header: object) -> str:
    """`Project ID`, `project-id`, `PROJECT_ID` and ` Budget (USD) ` all become snake_case."""
    text = re.sub(r"[^0-9a-z]+", "_", str(header or "").strip().lower())
    return text.strip("_")


def column_for(table: str, header: str) -> str | None:
    """The contract column a header names in `table`, or None when it names none."""
    key = normalise(header)
    if key in TABLES[table].names:
        return key
    return ALIASES[table].get(key)


def match_columns(table: str, headers: list[str]) -> dict[str, str]:
    """Contract column -> the file's header, first match wins."""
    found: dict[str, str] = {}
    for header in headers:
        column = column_for(table, header)
        if column and column not in found:
            found[column] = header
    return found


def repeated_columns(table: str, headers: list[str]) -> dict[str, list[str]]:
    """Contract columns named by more than one header (only the first is read)."""
    seen: dict[str, list[str]] = {}
    for header in headers:
        column = column_for(table, header)
        if column:
            seen.setdefault(column, []).append(header)
    return {column: names for column, names in seen.items() if len(names) > 1}


def recognise(headers: list[str], sheet: str | None = None) -> str | None:
    """Which table a sheet holds: by its sheet name, else by the columns its headers cover.

    Returns "projects", "benefits", "measurements", "measurement_sources", "flat_benefits"
    or None.
    """
    if sheet is not None:
        name = normalise(sheet)
        if name in TABLES:
            if name == "benefits" and _covers("measurements", headers, ("measured_at", "value")):
                return "flat_benefits"
            return name
    return _recognise_by_headers(headers)


def _recognise_by_headers(headers: list[str]) -> str | None:
    has = {t: set(match_columns(t, headers)) for t in TABLES}
    if {"benefit_id", "kind", "query"} <= has["measurement_sources"]:
        return "measurement_sources"
    if {"benefit_id", "kpi"} <= has["benefits"]:
        if {"measured_at", "value"} <= has["measurements"]:
            return "flat_benefits"
        return "benefits"
    if {"benefit_id", "measured_at", "value"} <= has["measurements"]:
        return "measurements"
    if {"project_id", "name"} <= has["projects"] or {"project_id", "baseline_end"} <= has[
        "projects"
    ]:
        return "projects"
    return None


def coverage(headers: list[str]) -> int:
    """How many contract columns a row of headers names (the best table's count)."""
    return max(len(match_columns(t, headers)) for t in TABLES)


def find_header(records: list[list[str | None]]) -> int | None:
    """The index of the header row among the first rows of a sheet or file.

    The first row that reads as a table's header wins, so titles, notes and blank rows
    above it are skipped; failing that, the first non-empty row. None for no rows at all.
    """
    first_filled = None
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        cells = [str(c) for c in record if c is not None and str(c).strip()]
        if not cells:
            continue
        if first_filled is None:
            first_filled = index
        if _recognise_by_headers(cells) is not None:
            return index
    return first_filled


def _covers(table: str, headers: list[str], columns: tuple[str, ...]) -> bool:
    return set(columns) <= set(match_columns(table, headers))
