"""Bidirectional control characters: invisible, yet they reorder the text around them.

A name such as "Invoice <RLO>gnp.exe" shows as "Invoice exe.png": the Trojan Source trick
(CVE-2021-42574). These are the characters with Unicode's Bidi_Control property. Uploads
remove them with a warning (connectors.sheets); pages strip them from whatever they show,
so text reads in the order it is stored whatever an older store holds.
"""

from __future__ import annotations

import re

import polars as pl

BIDI_CONTROLS = (
    "\u061c"  # arabic letter mark
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates and pop
)
BIDI_PATTERN = f"[{BIDI_CONTROLS}]"
_BIDI = re.compile(BIDI_PATTERN)


def strip_bidi(text: str) -> str:
    return _BIDI.sub("", text)


def strip_bidi_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with bidi controls removed from every text column (others as they were)."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    return frame.with_columns(pl.col(text).str.replace_all(BIDI_PATTERN, ""))
