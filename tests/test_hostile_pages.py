"""Every page under AppTest on a store whose every text is an attack
(tests/support/hostile_text.py): what goes to the browser as Markdown holds the data escaped,
what goes as HTML holds it as text, tables and charts hold it without bidi controls, and
the text itself is still what the page shows. (Chromium: tests/browser/test_hostile.py.)
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from domain.bidi import BIDI_CONTROLS, strip_bidi
from store import close_all, open_store
from tests.support.fake_jira import Fault
from tests.support.hostile_text import IMAGE, JIRA_ERROR
from tests.support.markdown import shown

# Data in these raw forms would render: images and links (to another host), tags,
# shortcodes (colours, icons), LaTeX, bare URLs and e-mail addresses, entities, blocks.
LIVE = (
    "](http://evil",
    "<img src=",
    "<a href=",
    "<style>body",
    ":red[",
    ":blue-background[",
    ":material/warning:",
    "$\\frac",
    "$$x^2",
    "http://evil",
    "www.evil",
    "boss@evil",
    "&lt;b&gt;",
    "&#x202E;",
    "\n# Heading",
    "\n- list",
)
# ... and these in HTML.
LIVE_HTML = ("<img src=", "<a href=", "<style>body", "&lt;b&gt;", "&#x202E;")
PAGES = {
    "overview": ("overview", {}),
    "outcomes": ("outcomes", {}),
    "delivery": ("delivery", {}),
    "project": ("project", {}),
    "review": ("review", {}),
    "upload": ("data", {"tab": "Upload"}),
    "history": ("data", {"tab": "History"}),
    "jira": ("data", {"tab": "Jira"}),
    "audit": ("data", {"tab": "Audit log"}),
}


def _walk(node) -> Iterator:
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def _rendered(at: AppTest) -> dict[str, list[str]]:
    """What the page sends to the browser, by how the browser renders it."""
    out: dict[str, list[str]] = {"markdown": [], "html": [], "tables": [], "charts": []}
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if node.type == "html":
            out["html"].append(proto.body)
        elif node.type in ("dataframe", "arrow_data_frame"):
            out["tables"].append(node.value.to_csv())
        elif node.type in ("vega_lite_chart", "arrow_vega_lite_chart"):
            out["charts"].append(proto.spec)
        elif proto is not None:
            # bodies (text, alerts, headings), labels (links, widgets, metrics), help
            for field in ("body", "label", "help"):
                text = getattr(proto, field, None)
                if isinstance(text, str) and text:
                    out["markdown"].append(text)
            expandable = getattr(proto, "expandable", None)
            if expandable is not None and expandable.label:
                out["markdown"].append(expandable.label)
    return out


def _assert_inert(rendered: dict[str, list[str]]) -> None:
    for text in rendered["markdown"]:
        assert not [f for f in LIVE if f in text], text
        assert not any(c in text for c in BIDI_CONTROLS), text
    for body in rendered["html"]:
        assert not [f for f in LIVE_HTML if f in body], body
        assert not any(c in body for c in BIDI_CONTROLS), body
    for text in rendered["tables"] + rendered["charts"]:
        assert not any(c in text for c in BIDI_CONTROLS)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_hostile_text_as_text(app_on, hostile_db, name):
    page, params = PAGES[name]
    rendered = _rendered(app_on(hostile_db, page, **params))
    assert rendered["markdown"]
    _assert_inert(rendered)
    if name in ("overview", "outcomes", "project", "review"):  # names, owners, sponsors
        seen = " ".join(shown(t) for t in rendered["markdown"])
        assert IMAGE in seen  # the text as written, not what it would render as


def test_presentation_mode_shows_hostile_filters_as_text(app_on, hostile_db):
    store = open_store(str(hostile_db))
    projects = store.portfolio_input().projects.collect()
    sponsor, objective = projects.select("sponsor", "objective").drop_nulls().row(0)
    close_all()
    # A bound filter carries the value as its picker shows it: without bidi controls.
    params = {"present": "true", "sponsor": strip_bidi(sponsor), "objective": strip_bidi(objective)}
    at = app_on(hostile_db, "review", **params)
    rendered = _rendered(at)
    _assert_inert(rendered)
    band = next(b for b in rendered["html"] if "slide-band" in b)
    assert strip_bidi(sponsor) in html.unescape(band)
    assert strip_bidi(objective) in html.unescape(band)


def test_a_hostile_jira_error_is_shown_as_text(app_on, fake_jira, monkeypatch, tmp_path):
    site = fake_jira()
    site.app.fail("/rest/api/3/myself", Fault(400, body={"errorMessages": [JIRA_ERROR]}))
    monkeypatch.setenv("JIRA_URL", site.url)
    monkeypatch.setenv("JIRA_EMAIL", site.app.email)
    monkeypatch.setenv("JIRA_API_TOKEN", site.app.api_token)
    monkeypatch.setenv("JIRA_JQL", "project = GEN")
    at = app_on(tmp_path / "jira.duckdb", "data", tab="Jira")
    at.button(key="jira_sync_now").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and all(not [f for f in LIVE if f in e] for e in errors), errors
    assert any(IMAGE in shown(e) for e in errors)


@pytest.mark.parametrize(
    ("page", "label"),
    [
        ("outcomes", "Unmeasured benefits"),
        ("delivery", "Late or over budget"),
        ("review", "Decisions"),
    ],
)
def test_lists_to_take_away_offer_neutralised_downloads(app_on, hostile_db, page, label):
    """The grid's own CSV download is off (.streamlit/config.toml): these lists offer the
    app's downloads instead, whose files are neutralised (ui.widgets.exports)."""
    at = app_on(hostile_db, page)
    labels = [d.label for d in at.get("download_button")]
    assert f"{label} (CSV)" in labels and f"{label} (Excel)" in labels


def test_a_briefing_that_cannot_be_drawn_quotes_the_data_as_text(app_on, hostile_db):
    """The PDF's message names the row whose text is too long, by its project's name."""
    con = duckdb.connect(str(hostile_db))
    con.execute("UPDATE projects SET sponsor = repeat('Chief Sponsor ', 45), name = ?", [IMAGE])
    con.close()
    at = app_on(hostile_db, "review")
    next(b for b in at.button if b.label == "Briefing (PDF)").click().run()
    assert not at.exception
    [said] = [e.value for e in at.error]
    assert "cannot be drawn" in shown(said) and IMAGE[:39] in shown(said)
    _assert_inert(_rendered(at))
