"""A small coloured dot for text: the exact chart colour, so a legend in prose matches."""

from __future__ import annotations


def swatch(color: str) -> str:
    """HTML for a dot of `color` (a hex code from charts.theme; never user input)."""
    return (
        '<span style="display:inline-block;width:0.7em;height:0.7em;border-radius:50%;'
        f'background:{color};margin-right:0.15em;vertical-align:baseline"></span>'
    )


def tag(label: str, color: str) -> str:
    """HTML for a soft pill with a dot of `color` and an (already escaped) label."""
    return (
        f'<span style="display:inline-block;padding:0.1em 0.6em;border-radius:1em;'
        f'background:{color}1f;color:#1f2a37;font-weight:600;white-space:nowrap">'
        f"{swatch(color)} {label}</span>"
    )
