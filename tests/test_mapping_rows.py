"""The mapping's row options, fixes a PMO lead makes in the app rather than in Excel: leave
out rows whose required cells are empty, totals rows whatever column says Total, and all
but the last row of a repeated id, or make ids from two columns. Every row left out is
counted and listed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from connectors.sheets import load_files
from connectors.sheets.mapped import left_out_text
from connectors.sheets.mapping import Mapping, MappingError, Rule, parse_mapping
from connectors.sheets.read import read_tables
from connectors.sheets.suggest import second_key_column
from tests.sheets import AS_OF, export_itdashboard_like

PLAIN = Mapping(
    "projects",
    {
        "project_id": Rule(column="Project Name", derive="slug"),
        "name": Rule(column="Project Name"),
        "portfolio": Rule(column="Agency Name"),
        "start_date": Rule(column="Start Date", date_format="%d/%m/%Y"),
        "baseline_end": Rule(column="Completion Date (B1)", date_format="%d/%m/%Y"),
        "budget": Rule(column="Planned Cost ($ M)", unit="millions", currency="USD"),
    },
)


def causes(result) -> dict[str, tuple[int, list[int]]]:
    return {c.headline(): (c.count, c.rows) for c in result.causes}


def test_without_the_options_each_trap_is_an_error_and_the_totals_row_is_pointed_out():
    result = load_files([export_itdashboard_like()], AS_OF, mapping=PLAIN)
    assert not result.ok
    found = causes(result)
    # file rows: preamble 1-2, header 3, data 4-9; the Total row is row 8
    assert found["2 rows: project_id appears more than once (project_id must be unique in "
                 "the snapshot)"] == (2, [4, 6])  # fmt: skip
    assert found["2 rows: baseline_end is required unless the project is proposed"][1] == [7, 8]
    assert found["1 row: name is required but empty"][1] == [8]
    # The Total sits in an unmapped column: said, with the option that fixes it
    [hint] = [c for c in result.causes if c.problem.startswith("says Total")]
    assert (hint.severity, hint.rows, hint.example) == ("warning", [8], "Total")
    assert "leave out totals rows" in hint.fix
    # and the errors' fixes name the mapping's options
    fixes = {c.problem: c.fix for c in result.causes if c.severity == "error"}
    assert (
        "keep the last row of each id"
        in fixes["appears more than once (project_id must be unique in the snapshot)"]
    )
    assert "leave out rows whose required cells are empty" in fixes["is required but empty"]


def test_the_options_leave_those_rows_out_and_count_each():
    mapping = replace(PLAIN, skip_incomplete=True, totals_anywhere=True, duplicates="keep_last")
    result = load_files([export_itdashboard_like()], AS_OF, mapping=mapping)
    assert result.ok, [c.headline() for c in result.causes]
    stored = result.frames.projects.sort("project_id")
    assert stored["project_id"].to_list() == ["nwstg-re-architecture", "operations",
                                              "virtualization"]  # fmt: skip
    # the last "Operations" row is kept (row 6: budget 1.8205 $M)
    assert stored.filter(project_id="operations")["budget"].to_list() == [1_820_500.0]
    assert result.left_out == {"totals": 1, "incomplete": 1, "repeated": 1}
    assert left_out_text(result.left_out) == (
        "1 totals row, 1 row with an empty required cell, 1 earlier row of a repeated id"
    )
    found = causes(result)
    assert found["1 row: baseline_end is required but empty, so the row was left out (the "
                 "mapping leaves out rows whose required cells are empty)"] == (1, [7])  # fmt: skip
    assert found["1 row: says Total, so this row was left out as a totals row (the mapping "
                 "leaves out rows with Total or Subtotal in any column; the cockpit adds up "
                 "itself)"] == (1, [8])  # fmt: skip
    repeated = (
        "1 row: project_id repeats the project_id of a later row, so this row was left out "
        "(the mapping keeps the last row of each project_id)"
    )
    assert found[repeated] == (1, [4])


def test_ids_from_two_columns_tell_repeated_names_apart():
    source = export_itdashboard_like()
    mapping = replace(PLAIN, skip_incomplete=True, totals_anywhere=True).with_rule(
        "project_id", Rule(column="Unique Investment Identifier", and_column="Project ID")
    )
    result = load_files([source], AS_OF, mapping=mapping)
    assert result.ok
    assert result.frames.projects["project_id"].to_list() == [
        "005-000001723-656",
        "005-000001723-657",
        "005-000001822-661",
        "006-000310600-776",
    ]
    slugged = PLAIN.with_rule(
        "project_id", Rule(column="Agency Name", and_column="Project Name", derive="slug")
    )
    ids = load_files([source], AS_OF, mapping=replace(slugged, skip_incomplete=True))
    assert "department-of-agriculture-operations" in ids.parsed["projects"]["project_id"]
    # the suggested second column is an id-like one that tells the rows apart
    table = read_tables(source)[0]
    assert second_key_column(table, "Unique Investment Identifier") == "Project ID"


def test_the_options_round_trip_through_toml_and_bad_values_say_what_is_allowed():
    mapping = replace(
        PLAIN, skip_incomplete=True, totals_anywhere=True, duplicates="keep_last"
    ).with_rule("project_id", Rule(column="Unique Investment Identifier", and_column="Project ID"))
    text = mapping.to_toml()
    assert "skip_incomplete_rows = true" in text and 'duplicate_ids = "keep_last"' in text
    assert 'and_column = "Project ID"' in text
    assert parse_mapping(text) == mapping
    assert "Project ID" in mapping.file_columns()
    with pytest.raises(MappingError, match="duplicate_ids = 'first' is not allowed"):
        parse_mapping('table = "projects"\nduplicate_ids = "first"\n')
    with pytest.raises(MappingError, match="skip_incomplete_rows must be true or false"):
        parse_mapping('table = "projects"\nskip_incomplete_rows = "yes"\n')
    with pytest.raises(MappingError, match="and_column makes an id from two columns"):
        parse_mapping('table = "projects"\n[columns.budget]\ncolumn = "a"\nand_column = "b"\n')
