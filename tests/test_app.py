"""Every page under Streamlit's AppTest, on the demo and on an empty store."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.cli import build_parser as cockpit_parser
from tests.support.app_pages import PAGES
from tests.support.tables import shown_rows
from ui.portfolio.attention_list import MAX_LINKS


def _active_projects(at: AppTest) -> int:
    caption = next(c.value for c in at.caption if "active projects" in c.value)
    return int(re.search(r"(\d+) active projects", caption).group(1))


def _needing_attention(at: AppTest) -> int:
    """The attention list's length: its links, or the count its "All N projects" box says."""
    for box in at.expander:
        if found := re.fullmatch(r"All ([\d,]+) projects that need attention", box.label):
            return int(found.group(1).replace(",", ""))
    return len(at.page_link)


def _param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[-1] if isinstance(value, list) else value


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_overview_on_the_demo(app_on, demo_db):
    at = app_on(demo_db)
    assert [m.label for m in at.metric] == [
        "Delivered to plan",
        "Realizing value",
        "The gap",
        "Value vs expected",
        "Value at risk",
    ]
    gap = next(m for m in at.metric if m.label == "The gap")
    assert gap.value.endswith("pts") and gap.value.startswith("+")
    assert all(m.delta for m in at.metric)  # the demo has a previous quarter
    for heading in ("Delivery against value", "Needs attention", "Commitments funnel"):
        assert heading in _subheaders(at)
    assert "Value at risk by objective" in _subheaders(at)
    links = at.page_link
    assert len(links) == MAX_LINKS and all("project" in str(link.proto.page) for link in links)
    assert _needing_attention(at) > MAX_LINKS  # the rest a click away
    assert any(e.label == "How we measure" for e in at.expander)


def test_overview_filter_shows_fewer_projects(app_on, demo_db):
    at = app_on(demo_db)
    everyone, watermelons = _active_projects(at), _needing_attention(at)
    at.multiselect(key="portfolio").set_value(["Digital Channels"]).run()
    assert not at.exception
    assert 0 < _active_projects(at) < everyone
    assert _needing_attention(at) < watermelons


def test_overview_of_an_earlier_snapshot_from_a_link(app_on, demo_db):
    at = app_on(demo_db)
    view = at.session_state["_view"]
    earlier = dict(view.__dict__, as_of=dt.date(2025, 12, 31))
    params = type(view)(**earlier).query_params()  # what a link to that view carries
    at = app_on(demo_db, **params)
    assert "As of 31 Dec 2025" in at.caption[0].value
    assert at.selectbox(key="as_of").value == "2025-12-31"


def test_outcomes_on_the_demo(app_on, demo_db):
    at = app_on(demo_db, "outcomes")
    assert at.title[0].value == "Is the value arriving?"
    for heading in ("Benefits by objective", "Time to value", "Benefit trajectory"):
        assert heading in _subheaders(at)
    assert any(h.startswith("Unmeasured benefits:") for h in _subheaders(at))
    todo = next(d.value for d in at.dataframe if "Due since" in d.value.columns)
    assert "⚠ No owner" in todo["Owner"].to_list()  # the demo has benefits nobody owns
    picker = at.selectbox(key="benefit")
    assert picker.value and len(picker.options) > 10
    picker.select_index(3).run()  # (the browser suite checks that the URL follows)
    assert not at.exception and at.selectbox(key="benefit").index == 3


def test_delivery_on_the_demo(app_on, demo_db):
    at = app_on(demo_db, "delivery")
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["On time", "On budget", "On scope"]
    assert "Flow from Jira" in _subheaders(at)
    assert any("projects track their work in Jira" in c.value for c in at.caption)
    flow = next(d.value for d in at.dataframe if "Jira epic" in d.value.columns)
    assert len(flow) == 12 and (flow["Done per week"] > 0).any()
    assert any(h.startswith("Late or over budget:") for h in _subheaders(at))


def test_project_page_lists_its_jira_issues_as_of_the_date(app_on, demo_db):
    at = app_on(demo_db, "project", project="OPS-138")
    assert "Work in Jira" in _subheaders(at)
    tiles = {m.label: m.value for m in at.metric}
    issues = next(d.value for d in at.dataframe if "Issue" in d.value.columns)
    assert tiles["Child issues"] == str(len(issues))
    assert tiles["Done"] == str(int((issues["State"] == "Done").sum()))
    assert set(issues["State"]) <= {"Done", "In progress", "To do"}


def test_project_page_opens_the_project_in_the_url(app_on, demo_db):
    at = app_on(demo_db, "project", project="CX-142")
    assert at.title[0].value == "Voice of the customer programme"
    assert at.selectbox(key="project_picker").value == "CX-142"
    assert {"Delivery", "Value", "Verdict by quarter"} <= set(_subheaders(at))
    assert any(h.startswith("Benefits:") for h in _subheaders(at))
    assert "Work in Jira" in _subheaders(at)


def test_project_page_picker_writes_the_url(app_on, demo_db):
    at = app_on(demo_db, "project")
    assert at.query_params["project"]  # the default project is named in the URL
    at.selectbox(key="project_picker").set_value("RISK-111").run()
    assert not at.exception
    assert _param(at, "project") == "RISK-111"
    assert at.title[0].value == "Regulatory reporting rebuild"


def test_project_page_of_an_unknown_project_falls_back(app_on, demo_db):
    at = app_on(demo_db, "project", project="NOPE-1")
    assert at.title and not at.error


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_store_explains_how_to_load_data(app_on, tmp_path, page):
    at = app_on(tmp_path / "empty.duckdb", page)
    assert not at.error
    assert any("No portfolio data yet" in i.value for i in at.info)
    # it leads with the actions; the command lines are one click away
    assert [b.label for b in at.button][:1] == ["Load the demo"]
    assert any("Upload a spreadsheet" in link.proto.label for link in at.page_link)
    assert any(e.label == "From the command line" for e in at.expander)
    commands = [shlex.split(c.value.replace("\\\n", " ")) for c in at.code]
    assert [c[:2] for c in commands] == [["cockpit", "demo"], ["cockpit", "load"]]
    for command in commands:  # each as the product's one command reads it
        cockpit_parser().parse_args(command[1:])


def test_the_view_follows_a_newer_snapshot_but_keeps_a_picked_date(app_on, demo_db):
    from store import open_store

    store = open_store(str(demo_db))
    newest = int(store.resolve_snapshot()[0])
    store.delete_snapshot(newest)
    at = app_on(demo_db)
    assert at.selectbox(key="as_of").value == "2026-06-30"
    store.restore_snapshot(newest)  # a newer snapshot arrives while the page is open
    at.run()
    assert at.selectbox(key="as_of").value == "2026-09-30"
    at.selectbox(key="as_of").select("2025-12-31").run()
    store.delete_snapshot(newest)
    store.restore_snapshot(newest)
    at.run()
    assert at.selectbox(key="as_of").value == "2025-12-31"  # picked on purpose: kept


def _delivery_only_store(tmp_path: Path) -> Path:
    """Three projects, no benefits, no scope: what a public portfolio export holds."""
    from store import open_store
    from tests.factories import project, snapshot

    db = tmp_path / "delivery-only.duckdb"
    frames = snapshot(
        [
            project(
                "A",
                baseline_end=dt.date(2026, 3, 31),
                forecast_end=dt.date(2026, 9, 30),
                budget=1e6,
                forecast_cost=999_000.0,  # 0.1% under: shown as +0%, never -0%
            ),
            project("B", baseline_end=dt.date(2027, 3, 31), budget=2e6),
            project("C", baseline_end=dt.date(2027, 6, 30), budget=3e6),
        ]
    )
    open_store(str(db)).commit_snapshot(frames, as_of=dt.date(2026, 9, 30), content_hash="d1")
    return db


def test_overview_of_a_delivery_only_portfolio_says_benefits_are_missing(app_on, tmp_path):
    """A public export like the GMPP has projects and no benefits: the Overview must say the
    value side is missing (and where delivery is), not suggest benefits are merely not due."""
    at = app_on(_delivery_only_store(tmp_path))
    assert not at.error
    assert _active_projects(at) == 3
    notes = [i.value for i in at.info]
    assert any("None of the 3 projects in this view has a benefit defined" in n for n in notes)
    assert any("no planned value to put at risk" in n for n in notes)
    assert not any("No value at risk" in s.value for s in at.success)
    assert {str(link.proto.page).rsplit("/", 1)[-1] for link in at.page_link} >= {
        "delivery",
        "data",
    }


def test_delivery_without_earned_value_figures_says_what_they_need(app_on, tmp_path):
    at = app_on(_delivery_only_store(tmp_path), "delivery")
    assert not at.error
    assert any("No project in this view has earned-value figures" in i.value for i in at.info)
    late = next(d for d in at.dataframe if "Slip (days)" in d.value.columns)
    assert late.value["Cost variance"].to_list() == [pytest.approx(-0.001)]  # sorts as a number
    assert [row["Cost variance"] for row in shown_rows(late)] == ["0%"]  # never "-0%"


def test_delivery_on_the_demo_draws_earned_value(app_on, demo_db):
    at = app_on(demo_db, "delivery")
    assert not any("earned-value figures" in i.value for i in at.info)
    assert len(at.get("vega_lite_chart")) >= 2


def test_the_data_page_hides_the_portfolio_filters_and_keeps_the_slice(app_on, demo_db):
    from ui.shell.filters import HIDE_FILTERS

    def hidden(at: AppTest) -> bool:
        return any(HIDE_FILTERS in h.proto.body for h in at.get("html"))

    at = app_on(demo_db, portfolio="Digital Channels")
    assert not hidden(at)
    data = app_on(demo_db, "data", portfolio="Digital Channels")
    assert hidden(data)  # they do nothing there
    assert data.multiselect(key="portfolio").value == ["Digital Channels"]  # kept, not dropped
