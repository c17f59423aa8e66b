"""Links that say what they cannot show, one view on every page, and a link pinned to the
snapshot on screen (AppTest on the demo: snapshots from 2024-Q4 to 2026-09-30)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.app_pages import PAGES


def _warnings(at) -> list[str]:
    """The warnings as they read (their Markdown source escapes what came from the link)."""
    return [re.sub(r"\\(.)", r"\1", w.value) for w in at.warning]


def _active_projects(at) -> int:
    caption = next(c.value for c in at.caption if "active projects" in c.value)
    return int(re.search(r"(\d+) active projects", caption).group(1))


# Stale link values ------------------------------------------------------------------------


def test_a_link_to_an_unknown_project_says_so(app_on, demo_db):
    at = app_on(demo_db, "project", project="NOPE-1")
    shown = at.selectbox(key="project_picker").value
    assert shown != "NOPE-1" and at.title  # another project is shown ...
    assert any(
        w.startswith("No project NOPE-1 in the snapshot of 30 Sep 2026: showing ")
        for w in _warnings(at)
    ), _warnings(at)  # ... and the page says so


def test_the_notice_escapes_what_the_link_says(app_on, demo_db):
    at = app_on(demo_db, "project", project="**Bold** [x](http://evil)")
    warning = next(w.value for w in at.warning if w.value.startswith("No project"))
    assert r"\*\*Bold\*\* \[x\]\(http\:" in warning


def test_a_link_to_an_unknown_sponsor_says_so_and_keeps_the_rest(app_on, demo_db):
    everyone = _active_projects(app_on(demo_db))
    at = app_on(demo_db, sponsor="Nobody", portfolio="Digital Channels")
    assert any(
        w == "No sponsor “Nobody” in the snapshot of 30 Sep 2026: showing every sponsor."
        for w in _warnings(at)
    ), _warnings(at)
    assert at.multiselect(key="portfolio").value == ["Digital Channels"]  # the rest is kept
    assert 0 < _active_projects(at) < everyone
    at.run()  # the notice stays while the view is the same
    assert any(w.startswith("No sponsor") for w in _warnings(at))
    at.multiselect(key="objective").set_value([at.multiselect(key="objective").options[0]]).run()
    assert not any(w.startswith("No sponsor") for w in _warnings(at))  # gone once it moved


def test_a_link_to_an_unknown_date_or_quarter_says_so(app_on, demo_db):
    at = app_on(demo_db, as_of="1 Jan 2020 · 2020-Q1")
    assert any(
        w == "No snapshot as of “1 Jan 2020 · 2020-Q1” in this store: showing the newest, "
        "of 30 Sep 2026."
        for w in _warnings(at)
    ), _warnings(at)
    at = app_on(demo_db, "review", quarter="2031-Q1")
    assert any(w.startswith("No snapshot falls in “2031-Q1”") for w in _warnings(at))
    assert at.title[0].value == "Quarterly review: 2026-Q3"


def test_an_iso_date_in_a_link_is_understood(app_on, demo_db):
    at = app_on(demo_db, as_of="2026-03-31")
    assert at.selectbox(key="as_of").value == "2026-03-31"
    assert not _warnings(at)


# One view, every page ----------------------------------------------------------------------


def test_the_review_follows_the_as_of_of_the_view(app_on, demo_db):
    at = app_on(demo_db, "review")
    assert at.title[0].value == "Quarterly review: 2026-Q3"
    at.selectbox(key="as_of").select("2026-06-30").run()
    assert at.title[0].value == "Quarterly review: 2026-Q2"
    assert at.selectbox(key="review_quarter").value == "2026-Q2"
    assert at.query_params["quarter"] in ("2026-Q2", ["2026-Q2"])


def test_the_quarter_picker_moves_the_view(app_on, demo_db):
    at = app_on(demo_db, "review")
    at.selectbox(key="review_quarter").select("2025-Q4").run()
    assert at.title[0].value == "Quarterly review: 2025-Q4"
    assert at.selectbox(key="as_of").value == "2025-12-31"  # the sidebar moved with it
    assert any("As of 31 Dec 2025" in c.value for c in at.caption)


def test_a_link_to_a_quarter_moves_the_view_and_then_follows_the_sidebar(app_on, demo_db):
    at = app_on(demo_db, "review", quarter="2025-Q4")
    assert at.title[0].value == "Quarterly review: 2025-Q4"
    assert at.selectbox(key="as_of").value == "2025-12-31"
    at.selectbox(key="as_of").select("2026-06-30").run()
    assert at.title[0].value == "Quarterly review: 2026-Q2"


# Link to this view -------------------------------------------------------------------------


def _pinned(at) -> dict[str, list[str]]:
    link = next(c.value for c in at.code if "as_of=" in c.value)
    return parse_qs(urlsplit(link).query)


@pytest.mark.parametrize("page", [*PAGES, "data"])
def test_every_page_offers_a_link_pinned_to_its_snapshot(app_on, demo_db, page):
    at = app_on(demo_db, page)
    assert any(p.proto.popover.label == "Link to this view" for p in at.get("popover")), page
    params = _pinned(at)
    assert params["as_of"] == ["2026-09-30"]  # the newest, named all the same, as ISO
    if page == "review":
        assert params["quarter"] == ["2026-Q3"]


def test_the_link_of_a_project_page_names_the_project_picked(app_on, demo_db):
    at = app_on(demo_db, "project", project="DATA-131")
    assert _pinned(at)["project"] == ["DATA-131"]
    other = next(p for p in at.selectbox(key="project_picker").options if "DATA-131" not in p)
    at.selectbox(key="project_picker").select(other.rsplit("(", 1)[1].rstrip(")")).run()
    assert _pinned(at)["project"] == [at.selectbox(key="project_picker").value] != ["DATA-131"]


def test_the_pinned_link_reopens_the_same_snapshot_after_a_newer_load(app_on, demo_db):
    from store import open_store

    store = open_store(str(demo_db))
    newest = int(store.resolve_snapshot()[0])
    store.delete_snapshot(newest)
    at = app_on(demo_db, sponsor="David Chen")
    params = _pinned(at)
    before = {m.label: m.value for m in at.metric}
    assert params["as_of"] == ["2026-06-30"] and params["sponsor"] == ["David Chen"]
    store.restore_snapshot(newest)  # the next load arrives
    again = app_on(demo_db, **{k: v[0] for k, v in params.items()})
    assert again.selectbox(key="as_of").value == "2026-06-30"
    assert {m.label: m.value for m in again.metric} == before
    shared_before = app_on(demo_db, as_of="30 Jun 2026 · 2026-Q2")  # the picker's label
    assert shared_before.selectbox(key="as_of").value == "2026-06-30"  # is still understood
    plain = app_on(demo_db, sponsor="David Chen")  # the plain address follows the newest
    assert plain.selectbox(key="as_of").value == "2026-09-30"
