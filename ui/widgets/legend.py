"""One legend in prose for charts coloured by verdict, in the exact chart colours."""

from __future__ import annotations

from charts.theme import QUADRANT_COLORS, QUADRANT_LABELS
from ui.widgets.swatch import swatch


def quadrant_legend(quadrants: tuple[str, ...] = tuple(QUADRANT_COLORS)) -> str:
    """HTML: a dot and the label of each verdict, on one wrapping line."""
    items = (
        f'<span style="white-space:nowrap;margin-right:1.1em">{swatch(QUADRANT_COLORS[q])} '
        f"{QUADRANT_LABELS[q]}</span>"
        for q in quadrants
    )
    return f'<div style="font-size:0.875rem;line-height:1.8">{"".join(items)}</div>'
