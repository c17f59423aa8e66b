"""Data shown on a page: ui.widgets.text.md for Markdown, ui.widgets.text.html_text for HTML,
bidi controls removed (domain.bidi).

What Streamlit's renderer makes of the escaped text is checked in Chromium
(tests/browser/test_hostile.py); here, that the escaping leaves nothing for it to act on
and loses nothing of the text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from domain.bidi import BIDI_CONTROLS, strip_bidi, strip_bidi_frame
from tests.support.hostile_text import BIDI, BREAK, PAYLOADS
from tests.support.markdown import shown
from ui.widgets.text import html_text, md

PUNCTUATION = r"!-/:-@\[-`{-~"
# What Streamlit's Markdown acts on after escapes are read: bare URLs, e-mail addresses,
# www. hosts, and :shortcodes: (icons, emoji, colours).
AUTOMATIC = re.compile(r"(?i)https?://|www\.|\w@\w|:[\w/+-]+:|:\w+(-\w+)?\[")


def flat(text: str) -> str:
    return re.sub(r"[\r\n\v\f\x85\u2028\u2029]+", " ", strip_bidi(text))


def unescaped_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation left once every backslash escape is taken out."""
    return re.findall(rf"[{PUNCTUATION}]", re.sub(rf"\\[{PUNCTUATION}]", "", markdown))


TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from([*BIDI_CONTROLS, "\n", "\r", "\u2028", "\\", "`", ":", "@"])
) | st.sampled_from(PAYLOADS)


@given(TEXTS)
def test_markdown_shows_the_text_on_one_line_without_bidi_controls(text):
    assert shown(md(text)) == flat(text)


@given(TEXTS)
def test_markdown_leaves_nothing_for_the_renderer_to_act_on(text):
    out = md(text)
    assert unescaped_punctuation(out) == []
    assert not AUTOMATIC.search(out.replace("\\", ""))
    assert not re.search(r"[\r\n\u2028\u2029]", out)
    assert not any(c in out for c in BIDI_CONTROLS)


def test_each_payload_is_escaped_as_expected():
    assert md("![x](http://h/p.png)") == "\\!\\[x\\]\\(http\\:\u2060\\/\\/h\\/p\\.png\\)"
    assert md("$x$ :red[a] boss@h.io www.h.io") == (
        "\\$x\\$ \\:\u2060red\\[a\\] boss\u2060\\@h\\.io www\u2060\\.h\\.io"
    )
    assert md(BREAK) == '\\# Heading \\- list \\"quoted\\" \\\\\\" end'
    assert md(None) == ""


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


@given(TEXTS)
def test_html_shows_the_text_and_no_tag(text):
    parsed = _Parsed()
    parsed.feed(f"<div>{html_text(text)}</div>")
    parsed.close()
    assert parsed.tags == ["div"]
    assert parsed.text == strip_bidi(text)


def test_html_keeps_backslashes_and_quotes_as_they_are():
    assert html_text('C:\\ops "a" & <b>') == "C:\\ops &quot;a&quot; &amp; &lt;b&gt;"
    assert html_text(None) == ""


def test_bidi_controls_leave_text_and_frames():
    assert strip_bidi(BIDI) == "Invoice gnp.exe and isolated"
    frame = pl.DataFrame({"name": [BIDI, None], "n": [1, 2]})
    assert strip_bidi_frame(frame).to_dicts() == [
        {"name": "Invoice gnp.exe and isolated", "n": 1},
        {"name": None, "n": 2},
    ]
