"""What a reader sees of Markdown that ui.widgets.text.md wrote: its backslash escapes and word
joiners removed. Tests compare what is shown, not how it is escaped."""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: object) -> str:
    return _ESCAPED.sub(r"\1", str(markdown)).replace("\u2060", "")
