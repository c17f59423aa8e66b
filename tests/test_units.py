"""Amounts in the wrong unit cannot slip into the store quietly: the mapping step says what
the cells say of each amount column's unit, and an upload whose amounts look like another
unit than the portfolio's (or like no project's cost) is a warning to confirm."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from connectors.ingest import validate
from connectors.sheets import load_files
from connectors.sheets.mapping import Mapping, Rule
from connectors.sheets.read import read_tables
from connectors.sheets.units import doubtful_amounts, unit_notes
from domain.snapshot import TypicalAmounts
from tests.sheets import AS_OF, PROJECT, csv_file, rows, snapshot_files

JUNE = dt.date(2026, 6, 30)


def projects(*budgets: float | None, **others: list[float | None]) -> pl.DataFrame:
    columns = {"budget": list(budgets), **others}
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Float64))


def test_a_first_snapshot_with_tiny_or_huge_budgets_is_doubted():
    [doubt] = doubtful_amounts(projects(221.2, 40.27, 1210.4, None, 0.0), None, mapped=True)
    assert doubt.severity == "warning" and doubt.column == "budget"
    assert doubt.problem.startswith("is typically 221.20, too little for a project")
    assert "millions" in doubt.problem and "set the unit of budget in the mapping" in doubt.fix
    [huge] = doubtful_amounts(projects(2.2e14, 4e13), None, mapped=False)
    assert "multiplied out twice" in huge.problem and "write them in full" in huge.fix
    assert doubtful_amounts(projects(221_200_000, 40_270_000), None, mapped=True) == []
    assert doubtful_amounts(projects(None, 0.0), None, mapped=True) == []


def test_a_forecast_in_another_unit_than_the_budget_is_doubted():
    # budget set to millions, the forecast beside it left as it is
    frame = projects(40_270_000, 1_210_400_000, forecast_cost=[37.4, 1307.89])
    [doubt] = doubtful_amounts(frame, None, mapped=True)
    assert doubt.column == "forecast_cost"
    assert doubt.problem == (
        "is typically 672.64, about 1,000,000 times less than the budget of the same "
        "projects (625,335,000): are these amounts in millions?"
    )


def test_amounts_are_held_against_the_portfolio_s_own():
    usual = TypicalAmounts(JUNE, {"budget": 38_200_000.0})
    [less] = doubtful_amounts(projects(40.27, 38.0, 36.9), usual, mapped=True)
    assert less.problem == (
        "is typically 38.00, about 1,000,000 times less than in the snapshot of 30 Jun 2026 "
        "(38,200,000): are these amounts in millions?"
    )
    [more] = doubtful_amounts(projects(3.8e10, 4.0e10), usual, mapped=False)
    assert "about 1,000 times more" in more.problem
    # a small portfolio stays small: its own scale is fine, however small
    small = TypicalAmounts(JUNE, {"budget": 400.0})
    assert doubtful_amounts(projects(410.0, 388.0), small, True) == []
    assert doubtful_amounts(projects(38e6, 52e6), usual, mapped=True) == []


def test_the_store_gives_the_nearest_snapshot_s_typical_amounts(store):
    from connectors.ingest import ingest

    files = snapshot_files(projects=rows(PROJECT, {}, {"project_id": "P2", "budget": "3000000"}))
    assert ingest(store, files, AS_OF).commit is not None
    november = dt.date(2026, 11, 30)
    typical = store.typical_amounts(november)
    assert typical == TypicalAmounts(AS_OF, {"budget": 2_000_000.0})
    assert store.typical_amounts(JUNE) == typical  # none before: the earliest after
    # an upload in units of millions, against it
    small = snapshot_files(projects=rows(PROJECT, {"budget": "1.5"}))
    result = validate(store, small, november)
    assert result.ok
    [doubt] = result.amount_doubts
    assert "about 1,000,000 times less than in the snapshot of 30 Sep 2026" in doubt.problem
    assert any(c.problem == doubt.problem for c in result.causes)


def test_the_mapping_step_says_what_the_cells_say_of_units():
    source = csv_file(
        "gmpp.csv",
        [
            {"project_name": "A", "end_date": "2033-12-31", "budget": "£221.20", "wlc (£m)": "9"},
            {"project_name": "B", "end_date": "2040-12-31", "budget": "£40.30", "wlc (£m)": "7"},
        ],
    )
    table = read_tables(source)[0]
    as_is = Mapping(
        "projects",
        {"budget": Rule(column="budget"), "forecast_cost": Rule(column="wlc (£m)")},
    )
    notes = unit_notes(table, as_is)
    assert notes == [
        "budget is read as it is, but its amounts are small (typically 130.75), too small "
        "for a project budget in units: millions?",
        "forecast_cost is read as it is, but its header says millions: millions?",
    ]
    guessed = as_is.with_rule("budget", Rule(column="budget", unit="millions"))
    assert any(
        n.startswith("budget is read in millions because its amounts are small")
        for n in unit_notes(table, guessed)
    )
    right = guessed.with_rule("forecast_cost", Rule(column="wlc (£m)", unit="millions"))
    assert len(unit_notes(table, right)) == 1  # the header says so: nothing to check


@pytest.mark.parametrize("unit", ["units", "millions"])
def test_a_mapped_upload_in_millions_read_as_units_is_doubted(unit):
    source = csv_file(
        "gmpp.csv",
        [
            {"name": "A", "end": "2033-12-31", "budget": "221.2"},
            {"name": "B", "end": "2030-01-31", "budget": "40.3"},
        ],
    )
    mapping = Mapping(
        "projects",
        {
            "project_id": Rule(column="name", derive="slug"),
            "name": Rule(column="name"),
            "baseline_end": Rule(column="end"),
            "budget": Rule(column="budget", unit=unit),
        },
    )
    result = load_files([source], AS_OF, mapping=mapping)
    assert result.ok
    assert bool(result.amount_doubts) == (unit == "units")
