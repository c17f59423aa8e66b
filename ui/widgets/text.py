"""Text from the data (names, sponsors, KPIs, owners, messages) shown as the text it is.

Streamlit renders titles, captions, alerts, labels and `st.markdown` as Markdown with
extras: images (fetched from any host), links, bare URLs and e-mail addresses made links,
LaTeX, `:red[...]` colours, `:material/...:` icons. `st.html` renders HTML. Data goes
through `md` for the first and `html_text` for the second, and nothing else: whatever a
store holds then reads as its own characters, never as markup.
"""

from __future__ import annotations

import html
import re

from domain.bidi import strip_bidi

# Every ASCII punctuation character: CommonMark lets a backslash escape each of them.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Line breaks would end a paragraph, a list item or a table row the text sits in.
_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
# Bare URLs, e-mail addresses, www. hosts and :shortcodes: (icons, emoji) are recognised in
# the text after escapes are read, so escaping cannot stop them; an invisible WORD JOINER
# inside each pattern can. Only there: other text copies and searches as it reads.
_JOINER = "\u2060"
_AUTO = re.compile(r"(?<=:)(?=//|[\w+/-]+[:\[])|(?<=[\w.+-])(?=@)|(?i:(?<=www)(?=\.))")


def md(text: object) -> str:
    """Text for anything Streamlit renders as Markdown: shown exactly, on one line."""
    if text is None:
        return ""
    flat = _BREAKS.sub(" ", strip_bidi(str(text)))
    return _PUNCTUATION.sub(r"\\\1", _AUTO.sub(_JOINER, flat))


def html_text(text: object) -> str:
    """Text for `st.html`: tags, entities and quotes shown as characters."""
    return "" if text is None else html.escape(strip_bidi(str(text)), quote=True)
