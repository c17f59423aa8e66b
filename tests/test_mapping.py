"""The mapping model: TOML in and out, every rule, and the messages for bad mapping files."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors.sheets.mapped import apply_mapping
from connectors.sheets.mapping import Mapping, MappingError, Rule, parse_mapping
from connectors.sheets.read import SourceFile, read_tables
from tests.sheets import FOI, csv_file, export_2019_like

D = dt.date

EXAMPLE = """
# Cockpit column mapping, version 1
table = "projects"
[columns.project_id]
derive = "slug"
column = "project_name"
[columns.name]
column = "project_name"
[columns.baseline_end]
column = "end_date"
date_format = "%d.%m.%y"
[columns.budget]
column = "yearly_budget"
unit = "millions"
currency = "GBP"
[columns.status]
constant = "active"
"""


def mapped(source, mapping: Mapping):
    """The one table of a file after the mapping, as {contract column: cells}."""
    result = apply_mapping(read_tables(source)[0], mapping)
    assert result.table is not None, result.missing
    return result, result.table.frame.to_dict(as_series=False)


def test_toml_round_trip():
    mapping = parse_mapping(EXAMPLE)
    assert mapping.table == "projects"
    assert mapping.columns["project_id"] == Rule(column="project_name", derive="slug")
    assert mapping.columns["budget"] == Rule(
        column="yearly_budget", unit="millions", currency="GBP"
    )
    assert mapping.columns["status"] == Rule(constant="active")
    text = mapping.to_toml()
    assert text.startswith("# Cockpit column mapping, version 1\n")
    assert parse_mapping(text) == mapping
    # contract order, defaults left out
    assert text.index("[columns.project_id]") < text.index("[columns.status]")
    assert "blank_unreadable" not in text and 'unit = "units"' not in text


def test_each_rule_on_a_2019_like_export():
    mapping = parse_mapping(
        EXAMPLE
        + """
[columns.start_date]
column = "start_date"
date_format = "%d.%m.%y"
[columns.forecast_cost]
column = "yearly_forecast"
unit = "millions"
currency = "GBP"
[columns.rag]
column = "colour_rating"
"""
    )
    result, cells = mapped(export_2019_like(), mapping)
    assert cells["__row"] == [2, 3, 4, 5]  # row numbers as in the file, multi-line cells
    assert cells["project_id"][:2] == [
        "geological-disposal-facility-gdf",
        "heat-networks-investment",
    ]
    assert cells["name"][0] == "Geological Disposal Facility (GDF)"
    assert cells["status"] == ["active"] * 4
    # two-digit years as strptime reads them: 97 is 1997, 08 is 2008, 40 is 2040
    assert cells["start_date"][:2] == ["2008-06-30", "1997-11-25"]
    assert cells["baseline_end"][0] == "2040-12-31"
    assert float(cells["budget"][1]) == 1_210_400_000  # £1,210.40m
    assert float(cells["budget"][3]) == 12_343_960_000
    assert cells["rag"][1] == "Amber/Red"  # the loader's parser reads the five-point scale
    # cells a rule cannot read keep their text, so the validator can name them
    assert cells["baseline_end"][2] == FOI and cells["budget"][2] == FOI
    assert result.blanked.height == 0 and result.skipped.height == 0


def test_blank_unreadable_empties_the_cell_and_lists_it():
    mapping = parse_mapping(EXAMPLE).with_rule(
        "start_date", Rule(column="start_date", date_format="%d.%m.%y", blank_unreadable=True)
    )
    result, cells = mapped(export_2019_like(), mapping)
    assert cells["start_date"][3] is None
    assert result.blanked.rows() == [(5, "start_date", FOI)]


def test_skip_unreadable_leaves_the_row_out_and_lists_it():
    mapping = parse_mapping(EXAMPLE).with_rule(
        "baseline_end", Rule(column="end_date", date_format="%d.%m.%y", skip_unreadable=True)
    )
    result, cells = mapped(export_2019_like(), mapping)
    assert cells["__row"] == [2, 3, 5]
    assert result.skipped.rows() == [(4, "baseline_end", FOI)]


def test_excel_dates_in_amounts_are_never_blanked():
    source = csv_file(
        "p.csv",
        [
            {"title": "A", "cost": "07. Sep"},
            {"title": "B", "cost": "Not provided"},
            {"title": "C", "cost": "1.5"},
        ],
    )
    mapping = Mapping(
        "projects",
        {
            "name": Rule(column="title"),
            "budget": Rule(column="cost", unit="millions", blank_unreadable=True),
        },
    )
    result, cells = mapped(source, mapping)
    assert cells["budget"] == ["07. Sep", None, "1500000.0"]
    assert result.blanked.rows() == [(3, "budget", "Not provided")]


def test_currency_codes_and_thousands_and_own_multipliers():
    source = csv_file(
        "p.csv", [{"n": "A", "v": "GBP 1,200"}, {"n": "B", "v": "£2.5bn"}, {"n": "C", "v": "(3)"}]
    )
    mapping = Mapping(
        "projects",
        {"name": Rule(column="n"), "budget": Rule(column="v", unit="thousands", currency="GBP")},
    )
    _, cells = mapped(source, mapping)
    assert [float(v) for v in cells["budget"]] == [1_200_000, 2_500_000_000, -3000]


def test_decimal_comma_amounts_in_millions():
    source = csv_file("p.csv", [{"n": "A", "v": "1,5"}, {"n": "B", "v": "2.000,25"}])
    mapping = Mapping(
        "projects", {"name": Rule(column="n"), "budget": Rule(column="v", unit="millions")}
    )
    _, cells = mapped(source, mapping)
    assert [float(v) for v in cells["budget"]] == [1_500_000, 2_000_250_000]


def test_slugs_are_stable_and_empty_names_give_no_id():
    source = csv_file(
        "p.csv",
        [
            {"n": "  Zoë's  Project (Phase 2) ", "d": "DH"},
            {"n": "zoë's project - phase 2", "d": "DH"},
            {"n": "", "d": "DH"},
            {"n": "x", "d": "DH"},
        ],
    )
    mapping = Mapping("projects", {"project_id": Rule(column="n", derive="slug")})
    _, cells = mapped(source, mapping)
    assert cells["project_id"] == ["zoë-s-project-phase-2", "zoë-s-project-phase-2", None, "x"]


def test_empty_rows_get_no_constant():
    source = csv_file("p.csv", [{"n": "A"}, {"n": ""}, {"n": "B"}])
    mapping = Mapping("projects", {"name": Rule(column="n"), "status": Rule(constant="active")})
    _, cells = mapped(source, mapping)
    assert cells["__row"] == [2, 4] and cells["status"] == ["active", "active"]


def test_a_header_the_file_lacks_is_reported():
    mapping = Mapping("projects", {"name": Rule(column="Project title")})
    result = apply_mapping(read_tables(export_2019_like())[0], mapping)
    assert result.table is None and result.missing == ("Project title",)


def test_the_duplicated_header_is_read_by_its_suffix():
    source = SourceFile("p.csv", b"name;colour_rating;colour_rating\nA;Amber;Green\n")
    mapping = Mapping(
        "projects", {"name": Rule(column="name"), "rag": Rule(column="colour_rating (2)")}
    )
    _, cells = mapped(source, mapping)
    assert cells["rag"] == ["Green"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("table = [", "is not valid TOML"),
        ('table = "risks"', "table = 'risks' is not a contract table; use 'projects'"),
        ('table = "projects"\nowner = "me"', "unknown key 'owner'"),
        ('table = "projects"\n[columns.budgets]\ncolumn = "x"', "columns.budgets is not a column"),
        (
            'table = "projects"\n[columns.name]\nheader = "x"',
            "unknown key 'header'; allowed: column",
        ),
        ('table = "projects"\n[columns.name]\nderive = "slug"', "needs exactly one of column"),
        (
            'table = "projects"\n[columns.name]\ncolumn = "a"\nconstant = "b"',
            "needs exactly one of column",
        ),
        (
            'table = "projects"\n[columns.project_id]\ncolumn = "a"\nderive = "hash"',
            "derive = 'hash' is not allowed; use derive = \"slug\"",
        ),
        (
            'table = "projects"\n[columns.budget]\ncolumn = "a"\nunit = "lakhs"',
            "unit = 'lakhs' is not allowed; use units, thousands, millions, billions",
        ),
        (
            'table = "projects"\n[columns.name]\ncolumn = "a"\nunit = "millions"',
            "unit only applies to money and number columns",
        ),
        (
            'table = "projects"\n[columns.budget]\ncolumn = "a"\ncurrency = "pounds"',
            "currency = 'pounds' is not allowed",
        ),
        (
            'table = "projects"\n[columns.start_date]\ncolumn = "a"\ndate_format = "dd.mm.yy"',
            "date_format = 'dd.mm.yy' is not a date format",
        ),
        (
            'table = "projects"\n[columns.budget]\ncolumn = "a"\ndate_format = "%d.%m.%y"',
            "date_format only applies to date columns",
        ),
        (
            'table = "projects"\n[columns.name]\ncolumn = "a"\nblank_unreadable = true',
            "blank_unreadable is only allowed for optional columns (name is required)",
        ),
        (
            'table = "projects"\n[columns.rag]\ncolumn = "a"\nblank_unreadable = "yes"',
            "blank_unreadable must be true or false",
        ),
        (
            'table = "projects"\n[columns.status]\nconstant = "actve"',
            "constant = 'actve' cannot be read as status; Use one of: proposed",
        ),
    ],
)
def test_a_malformed_mapping_says_which_key_and_what_is_allowed(text, says):
    with pytest.raises(MappingError) as error:
        parse_mapping(text, "gmpp.toml")
    assert says in str(error.value)
    assert str(error.value).startswith("gmpp.toml")
