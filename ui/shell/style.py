"""Layout touches the theme cannot set: narrower side margins in the wide layout (so five
headline tiles fit at 1280 pixels without truncated labels) and the attention list's lines."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
@media (min-width: 1024px) {
  [data-testid="stMainBlockContainer"] { padding-left: 3rem; padding-right: 3rem; }
}
/* A tile's label wraps to a second line rather than being cut ("Planned value r...") when
   five tiles share a 1280-pixel screen with the sidebar. */
[data-testid="stMetricLabel"],
[data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricLabel"] p { line-height: 1.25; }
.attention-why {
  font-size: 0.875rem; line-height: 1.35; color: #4b5563;
  margin: 0 0 1.1rem 0.75rem;
}
.st-key-attention [data-testid="stPageLink"] p {
  font-weight: 600; color: #0072B2; text-decoration: underline;
  text-decoration-color: rgba(0, 114, 178, 0.35); text-underline-offset: 3px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.st-key-attention [data-testid="stPageLink"],
.st-key-attention [data-testid="stPageLink"] a,
.st-key-attention [data-testid="stPageLink"] div { max-width: 100%; min-width: 0; }
.st-key-attention > div { flex-shrink: 0; }
.st-key-attention [data-testid="stPageLink"] { margin-top: 0.1rem; }
</style>
"""


def apply_style() -> None:
    st.html(CSS)
