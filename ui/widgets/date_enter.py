"""Enter closes a date box's calendar and takes the typed date, as Escape does.

Streamlit 1.67's `st.date_input` (React Aria segments, streamlit/streamlit#16232 and
#16460) opens its calendar as a passive aid when the box gets focus, buffers the typed
segments, and takes the date only when the calendar closes (Escape, a click outside, a day
clicked). Enter is not one of them: after typing 2026-08-31 and pressing Enter the calendar
stays open over the page and the app still has the old date. Streamlit has no option for
it, so this tiny component (st.components.v2, no iframe) listens on the page for Enter in a
date box whose calendar is open and sends the box the Escape Streamlit already handles
(its calendar's own instructions: "Escape to close"). Enter in the calendar itself (on a
day) is left to the calendar. tests/browser/test_data_page.py types a date and presses
Enter: if a Streamlit release handles Enter itself or renames the test ids, it says so.
"""

from __future__ import annotations

import streamlit as st

FIELD = "[data-testid='stDateInputField']"
CALENDAR = "[data-testid='stDateInputCalendar']"

_JS = f"""
export default function () {{
  if (window.cockpitDateEnter) return;  // one listener per page, whatever the reruns
  window.cockpitDateEnter = true;
  document.addEventListener("keydown", (event) => {{
    if (event.key !== "Enter" || event.isComposing) return;
    const box = event.target instanceof Element ? event.target.closest("{FIELD}") : null;
    if (!box || !document.querySelector("{CALENDAR}")) return;
    event.preventDefault();
    event.stopPropagation();
    event.target.dispatchEvent(new KeyboardEvent("keydown", {{
      key: "Escape", code: "Escape", bubbles: true, cancelable: true,
    }}));
  }}, true);
}}
"""

_component = st.components.v2.component("cockpit_date_enter", js=_JS)


def close_dates_on_enter() -> None:
    """Make Enter in any date box of the page close its calendar and take the date."""
    _component(key="cockpit_date_enter", width="content", height="content")
