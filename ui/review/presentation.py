"""Presentation mode for a room: no sidebar, large type, one message per screen.

Type is scaled through the root font size (Streamlit sizes text in rem), so every element
grows together and a 1920x1080 projector is readable from the back of the room. The
controls (previous, next, the slide slider, the quarter, the PDF, the mode) sit in a slim
bar at the bottom, out of the slide; a presenter's clicker or keyboard moves the slides
(ArrowRight, PageDown and Space forward; ArrowLeft and PageUp back) through
streamlit-shortcuts, which presses the Next and Previous buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit_shortcuts import add_shortcuts

from ui.widgets.text import html_text

NEXT_KEY, PREVIOUS_KEY, BAR_KEY = "slide_next", "slide_previous", "slide_bar"
# A slide's chart: what is left of a 1280x720 projector under the band and the message,
# above the bar (a 1920x1080 wall keeps room below it).
SLIDE_CHART_HEIGHT = 430
# A clicker sends PageDown/PageUp; " " is how a browser names the space bar's key.
NEXT_KEYS = ["arrowright", "pagedown", " "]
PREVIOUS_KEYS = ["arrowleft", "pageup"]

PRESENT_CSS = """
<style>
html { font-size: clamp(15px, 1.15vw, 22px); }  /* 22 px at 1920, 15 px at 1280 */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="stHeader"], [data-testid="stToolbar"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] {
  max-width: 100%; padding: 1.2rem 3.5rem 4.5rem 3.5rem;
}
[data-testid="stElementToolbar"] { display: none !important; }
.st-key-slide_bar {
  position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990;
  background: rgba(255, 255, 255, 0.97); border-top: 1px solid #e5e7eb;
  padding: 6px 24px; font-size: 14px; gap: 12px;
}
.st-key-slide_bar * { font-size: 14px; }
.st-key-slide_bar [data-testid="stSelectbox"] [data-testid="stWidgetLabel"] { display: none; }
.st-key-slide_bar button { min-height: 32px; padding: 2px 12px; }
.st-key-slide_bar [data-testid="stSlider"] { padding: 0 12px; }
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


def slide_bar() -> st.delta_generator.DeltaGenerator:
    """The slim bar at the bottom of the screen that holds every control of the slides."""
    return st.container(
        key=BAR_KEY, horizontal=True, vertical_alignment="center", gap="small", width="stretch"
    )


def run_slides(
    slides: Sequence[Slide], quarter: str, where: str, bar: st.delta_generator.DeltaGenerator
) -> None:
    """Show the slide named in the URL (`?slide=`); previous, the slide slider and next go
    into `bar`, the keys move the slides.

    The slide picker is created before the slide is drawn, so the slide shown is always the
    one the picker and the URL say.
    """
    titles = [s.title for s in slides]
    with bar:
        back = st.container(width=130)
        picker = st.container(width="stretch")
        forward = st.container(width=130)
    with picker:
        chosen = st.select_slider(
            "Slide", titles, key="slide", bind="query-params", label_visibility="collapsed"
        )
    index = titles.index(chosen) if chosen in titles else 0
    back.button(
        "Previous",
        key=PREVIOUS_KEY,
        icon=":material/arrow_back:",
        on_click=_step,
        args=(titles, -1),
        disabled=index == 0,
        width="stretch",
    )
    forward.button(
        "Next",
        key=NEXT_KEY,
        icon=":material/arrow_forward:",
        on_click=_step,
        args=(titles, +1),
        disabled=index == len(slides) - 1,
        type="primary",
        width="stretch",
    )
    add_shortcuts(**{NEXT_KEY: NEXT_KEYS, PREVIOUS_KEY: PREVIOUS_KEYS})
    slide_band(quarter, where, index, len(slides))
    slides[index].render()
