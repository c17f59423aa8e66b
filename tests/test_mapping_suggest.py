"""Suggested mappings for exports nobody made for the cockpit: names, aliases and content."""

from __future__ import annotations

from connectors.sheets import load_files
from connectors.sheets.mapping import Rule
from connectors.sheets.read import read_tables
from connectors.sheets.suggest import suggest_mapping
from tests.sheets import AS_OF, FOI, csv_file, export_2019_like, export_2023_like


def test_a_2019_like_export():
    mapping = suggest_mapping(read_tables(export_2019_like())[0])
    rules = mapping.columns
    assert mapping.table == "projects"
    assert rules["name"] == Rule(column="project_name")
    # no id column: a slug of the name
    assert rules["project_id"] == Rule(column="project_name", derive="slug")
    assert rules["portfolio"] == Rule(column="department")
    # RAG words, with the FOI sentence left empty
    assert rules["rag"] == Rule(column="colour_rating", blank_unreadable=True)
    # 30.06.08 -> %d.%m.%y; the end date is not blanked (it is required unless proposed)
    assert rules["start_date"] == Rule(
        column="start_date", date_format="%d.%m.%y", blank_unreadable=True
    )
    assert rules["baseline_end"] == Rule(column="end_date", date_format="%d.%m.%y")
    # £12,343.96 -> money in GBP; the budget word beats nothing, the forecast word too
    assert rules["budget"] == Rule(column="yearly_budget", currency="GBP", blank_unreadable=True)
    assert rules["forecast_cost"].column == "yearly_forecast"
    assert "objective" not in rules and "status" not in rules  # left to the user


def test_a_2023_like_export():
    mapping = suggest_mapping(read_tables(export_2023_like())[0])
    rules = mapping.columns
    assert rules["project_id"] == Rule(column="project_number")
    assert rules["name"] == Rule(column="project_name")
    # of the two colour_rating columns, the one with more ratings
    assert rules["rag"].column == "colour_rating (2)"
    assert rules["start_date"].date_format == "%d.%m.%Y"
    assert rules["budget"].column == "total_baseline"
    assert rules["forecast_cost"].column == "forecast_incl_NGC"


def test_units_from_the_header_and_ambiguous_dates_left_to_the_loader():
    source = csv_file(
        "p.csv",
        [
            {"Title": "A", "Finish": "03/04/2026", "Budget (£m)": "1.5"},
            {"Title": "B", "Finish": "04/05/2026", "Budget (£m)": "2"},
        ],
    )
    rules = suggest_mapping(read_tables(source)[0]).columns
    assert rules["name"].column == "Title"
    assert rules["baseline_end"] == Rule(column="Finish")  # day or month first: not guessed
    assert rules["budget"] == Rule(column="Budget (£m)", unit="millions", currency="GBP")


def test_a_name_like_column_without_a_name_header():
    source = csv_file(
        "p.csv",
        [
            {"Dept": "DfT", "Scheme": "A14 upgrade", "Due": "2026-09-30"},
            {"Dept": "DfT", "Scheme": "Lower Thames Crossing", "Due": "2027-03-31"},
            {"Dept": "HO", "Scheme": "Emergency Services Network", "Due": "2026-12-31"},
        ],
    )
    rules = suggest_mapping(read_tables(source)[0]).columns
    assert rules["name"] == Rule(column="Scheme")
    assert rules["project_id"] == Rule(column="Scheme", derive="slug")
    assert rules["baseline_end"] == Rule(column="Due")  # ISO: no format needed


def test_the_suggestion_loads_a_2019_like_export_once_units_are_set():
    mapping = suggest_mapping(read_tables(export_2019_like())[0])
    for column in ("budget", "forecast_cost"):
        rule = mapping.columns[column]
        mapping = mapping.with_rule(
            column,
            Rule(column=rule.column, unit="millions", currency="GBP", blank_unreadable=True),
        )
    result = load_files([export_2019_like()], AS_OF, mapping=mapping)
    # the FOI sentence in the end date still blocks: the row and the cell are named
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column, error.value) == (4, "baseline_end", FOI)


def test_amounts_in_millions_are_told_by_small_values_when_the_header_is_silent():
    # GMPP-like: £ millions with pennies, the header says nothing of the unit
    source = csv_file(
        "gmpp.csv",
        [
            {"project_name": "Crossrail 2", "end_date": "2033-12-31", "yearly_budget": "£221.20"},
            {"project_name": "GDF", "end_date": "2040-12-31", "yearly_budget": "£40.27"},
            {"project_name": "HNIP", "end_date": "2021-03-31", "yearly_budget": "£1,210.40"},
        ],
    )
    rules = suggest_mapping(read_tables(source)[0]).columns
    assert rules["budget"] == Rule(column="yearly_budget", unit="millions", currency="GBP")
    # committed through it, £221.20 is a £221.2M programme
    result = load_files([source], AS_OF, mapping=suggest_mapping(read_tables(source)[0]))
    assert result.ok
    budgets = result.frames.projects.sort("name").get_column("budget").to_list()
    assert budgets == [221_200_000.0, 40_270_000.0, 1_210_400_000.0]


def test_amounts_in_units_stay_as_they_are():
    source = csv_file(
        "p.csv",
        [
            {"Title": "A", "Finish": "2026-09-30", "Budget": "1,200,000"},
            {"Title": "B", "Finish": "2026-12-31", "Budget": "$350,000"},
        ],
    )
    assert suggest_mapping(read_tables(source)[0]).columns["budget"].unit == "units"


def test_units_named_in_headers():
    from connectors.sheets.units import header_unit

    assert header_unit("Budget (£m)") == "millions"
    assert header_unit("Planned Cost ($ M)") == "millions"
    assert header_unit("2013/2014 Budget (£million)") == "millions"
    assert header_unit("Whole life cost, in millions") == "millions"
    assert header_unit("Spend (k)") == "thousands"
    assert header_unit("Cost £000s") == "thousands"
    assert header_unit("Budget (£bn)") == "billions"
    assert header_unit("Budget") is None and header_unit("Schedule Variance (in days)") is None


def test_a_money_header_never_fills_scope_and_cost_words_fill_money_columns():
    # The US IT Dashboard's columns: costs in $ M beside variances and a lifecycle cost
    source = csv_file(
        "itdashboard.csv",
        [
            {
                "Project ID": str(i),
                "Project Name": f"Project {i}",
                "Completion Date (B1)": "2012-09-30",
                "Projected/Actual Project Completion Date (B2)": "2012-10-31",
                "Lifecycle Cost": f"{15.2 + i}",
                "Schedule Variance (in days)": "-3",
                "Cost Variance ($ M)": "0.36",
                "Cost Variance (%)": "2",
                "Planned Cost ($ M)": f"{1.8 + i}",
                "Projected/Actual Cost ($ M)": f"{1.4 + i}",
            }
            for i in range(1, 6)
        ],
    )
    rules = suggest_mapping(read_tables(source)[0]).columns
    assert rules["budget"] == Rule(column="Planned Cost ($ M)", unit="millions", currency="USD")
    # projected or actual: an estimate at completion, not the spend so far
    assert rules["forecast_cost"].column == "Projected/Actual Cost ($ M)"
    assert rules["forecast_end"].column == "Projected/Actual Project Completion Date (B2)"
    assert "actual_cost" not in rules and "actual_end" not in rules
    assert "scope_planned" not in rules and "scope_delivered" not in rules
