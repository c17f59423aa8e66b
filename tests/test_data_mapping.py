"""The Data page's mapping step under AppTest: map a file that does not follow the template,
see the check and the preview follow, commit; saved mappings come back for their source."""

from __future__ import annotations

import polars as pl
import pytest

from connectors.sheets.mapping import Mapping, Rule
from connectors.sheets.read import SourceFile
from store import close_all, open_store
from tests.sheets import (
    BENEFIT,
    PROJECT,
    export_2019_like,
    export_2023_like,
    export_itdashboard_like,
    rows,
    snapshot_files,
    table_rows,
    xlsx_file,
)
from tests.support.data_page import button, causes, upload
from tests.support.markdown import shown
from ui.manage.mapping_editor import (
    BLANK,
    FIXED,
    SKIP,
    editor_frame,
    mapping_from_editor,
)
from ui.manage.mapping_rows import KEEP_LAST, TWO_COLUMNS

# Rows of the projects editor: required first (project_id, name, baseline_end), then the rest.
BASELINE_END, STATUS, BUDGET, FORECAST_COST = 2, 7, 12, 14

GMPP = Mapping(
    "projects",
    {
        "project_id": Rule(column="project_name", derive="slug"),
        "name": Rule(column="project_name"),
        "baseline_end": Rule(column="end_date", date_format="%d.%m.%y", skip_unreadable=True),
        "budget": Rule(column="yearly_budget", unit="millions", currency="GBP"),
        "status": Rule(constant="active"),
    },
)


def edit(at, rows: dict[int, dict[str, str]]):
    """Change cells of the mapping editor as a user would, then rerun."""
    version = at.session_state["map_state"].version
    at.session_state[f"map_editor_{version}"] = {
        "edited_rows": rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    return at


def test_a_non_template_file_is_mapped_checked_previewed_and_committed(data_page, db_path):
    at = upload(data_page(db_path, user="ana@example.com"), [export_2019_like()])
    assert any(s.value == "Map your columns" for s in at.subheader)
    assert any("does not use the template's column names" in c.value for c in at.caption)
    # The suggestion reads the file but leaves the FOI sentence in an end date: refused,
    # naming row, column and value, and the fix names the mapping's lever.
    assert any("must be fixed" in e.value for e in at.error)
    first = causes(at)[0]
    assert first["Problem"] == "1 row: baseline_end cannot be read as date"
    assert first["Rows"] == "4" and first["Example"].startswith("Exempt under Section 43")
    assert "skip the row" in first["How to fix"]
    assert all(b.label != "Commit snapshot" for b in at.button)

    edit(
        at,
        {
            BASELINE_END: {"If unreadable": SKIP},
            STATUS: {"From": FIXED, "Fixed value": "active"},
            BUDGET: {"Unit": "millions"},
            FORECAST_COST: {"Unit": "millions"},
        },
    )
    assert any("Ready to commit" in m.value and "3 projects" in m.value for m in at.markdown)
    assert any("committing also saves it for “gmpp_2019.csv”" in shown(c.value) for c in at.caption)
    preview = next(d.value for d in at.dataframe if "project_id" in d.value.columns)
    first = preview.iloc[0]
    assert first["project_id"] == "geological-disposal-facility-gdf"
    assert first["budget"] == 40_270_000
    assert list(preview["row"]) == [2, 3, 5]

    button(at, "Commit snapshot").click().run()
    assert not at.exception
    assert any(
        "committed: 3 projects" in shown(s.value)
        and "The mapping is saved for “gmpp_2019.csv”" in shown(s.value)
        for s in at.success
    )
    close_all()
    store = open_store(str(db_path))
    stored = store.projects(1).filter(project_id="geological-disposal-facility-gdf")
    assert stored["budget"].to_list() == [40_270_000]
    saved = store.mapping_for("gmpp_2019.csv")
    assert saved is not None and "skip_unreadable = true" in saved
    log = store.audit_log().filter(action="mapping").row(0, named=True)
    assert log["actor"] == "ana@example.com" and "projects" in log["detail"]


def test_a_saved_mapping_is_used_for_the_next_upload_of_its_source(data_page, db_path):
    open_store(str(db_path)).save_mapping("GMPP", GMPP.to_toml(), "ana@example.com")
    close_all()
    at = data_page(db_path)
    at.text_input(key="upload_source").set_value("gmpp")
    at = upload(at, [export_2019_like()])
    assert any("Started from the mapping saved for “gmpp”" in c.value for c in at.caption)
    assert any("Ready to commit" in m.value for m in at.markdown)


def test_a_mapping_file_can_be_used_and_a_bad_one_is_explained(data_page, db_path):
    at = upload(data_page(db_path), [export_2019_like()])
    assert any(d.label == "Download mapping (TOML)" for d in at.get("download_button"))
    mapping_uploader = at.file_uploader[1]
    mapping_uploader.set_value([("bad.toml", b'table = "risks"', "application/toml")]).run()
    refused = "bad.toml: table = 'risks' is not a contract table"
    assert any(refused in shown(e.value) for e in at.error)
    at.file_uploader[1].set_value([("gmpp.toml", GMPP.to_toml().encode(), "application/toml")])
    at.run()
    assert not at.exception
    assert at.session_state["map_state"].origin == "Started from gmpp.toml."
    assert any("Ready to commit" in m.value for m in at.markdown)


def test_a_deeply_nested_mapping_file_is_explained_not_a_traceback(data_page, db_path):
    at = upload(data_page(db_path), [export_2019_like()])
    deep = b'table = "projects"\ncolumns = ' + b"[" * 5000 + b"]" * 5000
    at.file_uploader[1].set_value([("deep.toml", deep, "application/toml")]).run()
    assert not at.exception
    said = [shown(e.value) for e in at.error]
    assert any("deep.toml nests arrays or tables too deeply" in e for e in said)
    assert not any("Recursion" in e or "/" in e.split("deep.toml")[0] for e in said)
    assert at.session_state["map_state"].origin != "Started from deep.toml."


def test_a_template_upload_has_no_mapping_step(data_page, db_path):
    at = upload(data_page(db_path), snapshot_files())
    assert all(s.value != "Map your columns" for s in at.subheader)
    assert any("Ready to commit" in m.value for m in at.markdown)


def test_saving_without_committing(data_page, db_path):
    at = upload(data_page(db_path, user="ana@example.com"), [export_2019_like()])
    button(at, "Save mapping for “gmpp_2019.csv”").click().run()
    assert any("Mapping saved for “gmpp_2019.csv”" in shown(s.value) for s in at.success)
    button(at, "Save mapping for “gmpp_2019.csv”").click().run()
    assert any("already the one saved" in s.value for s in at.success)


@pytest.mark.parametrize("table", ["projects", "benefits"])
def test_the_editor_rows_round_trip(table):
    mapping = (
        GMPP.with_rule("rag", Rule(column="colour_rating", blank_unreadable=True))
        if table == "projects"
        else Mapping("benefits", {"kpi": Rule(column="Measure"), "target": Rule(column="T")})
    )
    frame = editor_frame(mapping, table)
    assert frame["Column"].to_list()[0].endswith(" *")  # required first, marked
    back, notes = mapping_from_editor(frame, table)
    assert back == mapping and notes == []


def test_the_editor_notes_rows_it_cannot_use():
    frame = editor_frame(GMPP, "projects").with_columns(
        pl.when(pl.col("Column") == "name *")
        .then(pl.lit(BLANK))
        .otherwise(pl.col("If unreadable"))
        .alias("If unreadable"),
        pl.when(pl.col("Column") == "budget")
        .then(None)
        .otherwise(pl.col("File column"))
        .alias("File column"),
    )
    mapping, notes = mapping_from_editor(frame, "projects")
    assert "budget" not in mapping.columns
    assert any(n.startswith("budget: choose the file column") for n in notes)
    assert any(n.startswith("name is required") for n in notes)
    assert mapping.columns["name"] == Rule(column="project_name")


def test_a_saved_mapping_that_does_not_fit_a_template_upload_is_offered_off(data_page, db_path):
    open_store(str(db_path)).save_mapping("PMO pack", GMPP.to_toml(), "ana@example.com")
    close_all()
    at = data_page(db_path)
    at.text_input(key="upload_source").set_value("PMO pack")
    at = upload(at, snapshot_files())
    toggle = next(t for t in at.toggle if "mapping saved for “PMO pack”" in t.label)
    assert toggle.value is False
    assert any("Ready to commit" in m.value for m in at.markdown)
    toggle.set_value(True).run()
    assert any("the mapping reads the column" in c["Problem"] for c in causes(at))


def test_the_step_says_which_required_column_is_missing(data_page, db_path):
    at = upload(data_page(db_path), [export_2023_like()])
    assert any(
        "looks like a projects table, but no column of it is named baseline_end" in c.value
        for c in at.caption
    )


def test_a_template_workbook_with_an_extra_sheet_needs_no_mapping(data_page, db_path):
    book = xlsx_file(
        "pack.xlsx",
        {
            "projects": table_rows(rows(PROJECT)),
            "benefits": table_rows(rows(BENEFIT)),
            "Summary": [["Quarter", "Comment"], ["Q3", "all fine"]],
        },
    )
    at = upload(data_page(db_path), [book])
    assert all(s.value != "Map your columns" for s in at.subheader)
    assert any("Ready to commit" in m.value for m in at.markdown)


def test_row_fixes_are_made_in_the_mapping_and_shown_in_the_report(data_page, db_path):
    # The IT Dashboard's traps: refused at first, each trap counted by cause
    at = upload(data_page(db_path), [export_itdashboard_like()])
    assert any("must be fixed" in e.value for e in at.error)
    found = {c["Problem"]: c for c in causes(at)}
    assert found["2 rows: project_id appears more than once (project_id must be unique in "
                 "the snapshot)"]["Rows"] == "4, 6"  # fmt: skip
    assert (
        "leave out totals rows"
        in found["1 row: says Total: this looks like a totals row, and it is read as data"][
            "How to fix"
        ]
    )
    version = at.session_state["map_state"].version
    at.checkbox(key=f"map_skip_incomplete_{version}").check()
    at.checkbox(key=f"map_totals_{version}").check()
    at.radio(key=f"map_duplicates_{version}").set_value(KEEP_LAST)
    at.run()
    assert not at.exception
    assert any("Ready to commit" in m.value and "3 projects" in m.value for m in at.markdown)
    assert any(
        "Left out by the mapping: 1 totals row, 1 row with an empty required cell, 1 "
        "earlier row of a repeated id" in c.value
        for c in at.caption
    )
    left = [c["Problem"] for c in causes(at)]
    assert any(p.startswith("1 row: says Total, so this row was left out") for p in left)
    button(at, "Commit snapshot").click().run()
    close_all()
    store = open_store(str(db_path))
    assert sorted(store.projects(1)["project_id"]) == [
        "nwstg-re-architecture",
        "operations",
        "virtualization",
    ]
    saved = store.mapping_for("Projects_CW1.csv")
    assert "totals_in_any_column = true" in saved and 'duplicate_ids = "keep_last"' in saved


def test_ids_from_two_columns_in_the_page(data_page, db_path):
    at = upload(data_page(db_path), [export_itdashboard_like()])
    version = at.session_state["map_state"].version
    at.checkbox(key=f"map_skip_incomplete_{version}").check()
    at.checkbox(key=f"map_totals_{version}").check()
    at.radio(key=f"map_duplicates_{version}").set_value(TWO_COLUMNS)
    at.run()
    # the id column of the grid (Project Name) and an id-like column that tells rows apart
    second = at.selectbox(key=f"map_second_key_{version}")
    assert second.value == "Unique Investment Identifier"
    assert any("Ready to commit" in m.value and "4 projects" in m.value for m in at.markdown)
    preview = next(d.value for d in at.dataframe if "project_id" in d.value.columns)
    assert {"operations-005-000001723", "operations-005-000001822"} <= set(preview["project_id"])
    second.set_value("Project ID").run()
    preview = next(d.value for d in at.dataframe if "project_id" in d.value.columns)
    assert "operations-656" in list(preview["project_id"])


def test_next_quarter_s_export_under_another_name_finds_its_mapping(data_page, db_path):
    at = upload(data_page(db_path), [export_2019_like()])
    edit(at, {BASELINE_END: {"If unreadable": SKIP}, BUDGET: {"Unit": "millions"},
              FORECAST_COST: {"Unit": "millions"}})  # fmt: skip
    button(at, "Commit snapshot").click().run()
    assert any("The mapping is saved for “gmpp_2019.csv”" in shown(s.value) for s in at.success)
    # the same layout, renamed: started from that mapping, not from scratch
    renamed = SourceFile("GMPP_Q3_final (2).csv", export_2019_like().data)
    at = upload(at, [renamed])
    assert any(
        "Started from the mapping saved for “gmpp_2019.csv”: this file has the same columns"
        in shown(c.value)
        for c in at.caption
    )
    assert any("Ready to commit" in m.value for m in at.markdown)
