"""Presentation mode for a room: no sidebar, large type, one message per screen.

Type is scaled through the root font size (Streamlit sizes text in rem), so every element
grows together and a 1920x1080 projector is readable from the back of the room.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from ui.widgets.text import html_text

PRESENT_CSS = """
<style>
html { font-size: 22px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="stHeader"], [data-testid="stToolbar"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] {
  max-width: 100%; padding: 1.2rem 3.5rem 1rem 3.5rem;
}
.slide-band {
  display: flex; justify-content: space-between; align-items: baseline;
  border-bottom: 3px solid #0072B2; padding-bottom: 0.35rem; margin-bottom: 0.6rem;
  color: #1f2a37; font-weight: 600; letter-spacing: 0.02em;
}
.slide-band .quarter { font-size: 1.6rem; color: #0072B2; white-space: nowrap; }
.slide-band .where { font-size: 0.9rem; color: #6b7280; margin-left: 1.5rem; min-width: 0;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.slide-message { font-size: 2.1rem; line-height: 1.25; font-weight: 700; color: #1f2a37;
  margin: 0.4rem 0 1rem 0; }
.slide-list li { font-size: 1.15rem; line-height: 1.45; margin-bottom: 0.6rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
</style>
"""


@dataclass(frozen=True)
class Slide:
    """One screen: a short title (its name in the URL) and what it draws."""

    title: str
    render: Callable[[], None]


def apply_presentation_style() -> None:
    st.html(PRESENT_CSS)


def slide_band(quarter: str, where: str, index: int, count: int) -> None:
    """The band on top of every slide: the quarter is always visible. `where` (the slice:
    filter values from the URL) and the quarter are text, shown as such."""
    st.html(
        f'<div class="slide-band"><span class="quarter">{html_text(quarter)} · Quarterly '
        f'strategy review</span><span class="where">{html_text(where)} · {index + 1} of '
        f"{count}</span></div>"
    )


def message(text: str) -> None:
    """The slide's one message, in large type (text: it can name projects)."""
    st.html(f'<div class="slide-message">{html_text(text)}</div>')


def _step(titles: Sequence[str], by: int) -> None:
    current = st.session_state.get("slide", titles[0])
    index = titles.index(current) if current in titles else 0
    st.session_state["slide"] = titles[max(0, min(len(titles) - 1, index + by))]


def run_slides(slides: Sequence[Slide], quarter: str, where: str) -> None:
    """Show the slide named in the URL (`?slide=`), with previous/next below it.

    The slide picker is created before the slide is drawn (in a container placed below
    it), so the slide shown is always the one the picker and the URL say.
    """
    titles = [s.title for s in slides]
    band, body = st.container(), st.container()
    st.space("small")
    back, picker, forward = st.columns([1, 6, 1], vertical_alignment="center")
    with picker:
        chosen = st.select_slider(
            "Slide", titles, key="slide", bind="query-params", label_visibility="collapsed"
        )
    index = titles.index(chosen) if chosen in titles else 0
    back.button(
        "Previous",
        icon=":material/arrow_back:",
        on_click=_step,
        args=(titles, -1),
        disabled=index == 0,
        width="stretch",
    )
    forward.button(
        "Next",
        icon=":material/arrow_forward:",
        on_click=_step,
        args=(titles, +1),
        disabled=index == len(slides) - 1,
        type="primary",
        width="stretch",
    )
    with band:
        slide_band(quarter, where, index, len(slides))
    with body:
        slides[index].render()
