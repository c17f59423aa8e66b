"""The executive pages speak the reader's language: no code font (a backtick in Markdown), no
field names (`jira_key`, snake_case column names) in what they write, their table headers,
their chart titles or their help. Data shown goes through ui.widgets.text.md, which escapes
its backticks and underscores: only the pages' own words are held to this."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support.app_pages import PAGES

# A backtick or an underscore Markdown would read, not one md() escaped ("\`", "\_").
CODE = re.compile(r"(?<!\\)`")
FIELD = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:(?<!\\)_[A-Za-z0-9]+)+\b")
ICON = re.compile(r":material/[a-z_]+:")
STYLE = re.compile(r"<style>.*?</style>", re.S)
TAG = re.compile(r"<[^>]*>")
CHART_TITLE = re.compile(r'"title":\s*"((?:[^"\\]|\\.)*)"')


def _shown_texts(node: Any) -> list[str]:
    """Every text a page writes for the reader: Markdown bodies, labels, help, the headers
    of its tables (the columns it shows) and its charts' titles."""
    texts: list[str] = []
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    children = getattr(node, "children", None)
    if kind == "expandable":
        texts.append(proto.expandable.label)
    if kind == "tab":
        texts.append(node.label)
    if children:
        for child in children.values():
            texts += _shown_texts(child)
        return texts
    if proto is None:
        return texts
    if kind == "arrow_data_frame":
        config = json.loads(proto.columns or "{}")
        for name in list(proto.column_order) or list(node.value.columns):
            column = config.get(f"name:{name}", config.get(name, {}))
            if not column.get("hidden"):
                texts.append(column.get("label") or name)
        return texts
    if kind == "arrow_vega_lite_chart":
        return [json.loads(f'"{t}"') for t in CHART_TITLE.findall(proto.spec)]
    for field in ("body", "label", "help", "placeholder"):
        value = getattr(proto, field, None)
        if isinstance(value, str) and value:
            texts.append(TAG.sub(" ", STYLE.sub(" ", value)) if kind == "html" else value)
    return texts


def _unreadable(at: Any) -> list[str]:
    """The texts with a code font or a field name in them."""
    texts = [ICON.sub("", t) for t in _shown_texts(at._tree)]
    return [t for t in texts if CODE.search(t) or FIELD.search(t)]


@pytest.mark.parametrize("page", PAGES)
def test_an_executive_page_writes_no_code_and_no_field_names(app_on, demo_db, page):
    at = app_on(demo_db, page)
    assert _unreadable(at) == []


def test_how_we_measure_and_a_project_without_jira_say_it_in_plain_words(app_on, demo_db):
    at = app_on(demo_db, "overview")
    at.session_state["how_we_measure"] = True
    at.run()
    assert any(e.label == "How we measure" and e.markdown for e in at.expander)
    assert _unreadable(at) == []

    at = app_on(demo_db, "project")  # the first project is not linked to Jira
    unlinked = [c.value for c in at.caption if "not linked to Jira" in c.value]
    assert unlinked == [
        "This project is not linked to Jira. Give it the key of its Jira epic or parent "
        "issue, such as PAY-123, in the Jira key column of the projects spreadsheet to see "
        "its issues, throughput and cycle time here."
    ]


def test_the_check_finds_what_it_looks_for():
    """The patterns catch a field name and code font, and pass data md() escaped."""
    from ui.widgets.text import md

    assert FIELD.search("Give it a jira_key") and CODE.search("run `cockpit measure`")
    shown = f"Sourced · {md('sql: demo_warehouse')} · {md('a `tick`')}"
    assert not FIELD.search(shown) and not CODE.search(shown)


def test_a_project_without_delivery_data_says_so_instead_of_empty_charts(app_on, demo_db):
    at = app_on(demo_db, "project", project="WEB-109")  # delivery data missing in the demo
    captions = [c.value for c in at.caption]
    assert "No planned or delivered scope in any snapshot, so nothing to draw." in captions
    assert "No budget, cost spent or forecast cost in any snapshot, so nothing to draw." in captions
    assert not any(c.startswith("No benefit due") for c in captions)  # its value is drawn
