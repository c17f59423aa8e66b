"""Text from the data (project names, owners, reasons) shown safely in Markdown and HTML."""

from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-!|~:$<>])")


def md(text: object) -> str:
    """Escape Markdown, for labels Streamlit renders as Markdown (titles, captions)."""
    return "" if text is None else _MARKDOWN.sub(r"\\\1", str(text))


def safe(text: object) -> str:
    """Escape HTML and Markdown, for text inside `unsafe_allow_html` Markdown."""
    return "" if text is None else md(html.escape(str(text), quote=True))
