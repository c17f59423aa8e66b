"""Headline tiles: a figure, its change since the previous quarter and its quarterly sparkline,
labelled and formatted as domain.figures says."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
import streamlit as st

from domain.figures import FIGURES, shown_values


def _missing(value: float | None) -> bool:
    return value is None or value != value  # NaN is not equal to itself


def render_tiles(
    trends: pl.DataFrame, figures: Sequence[str], columns: Sequence[Any] | None = None
) -> None:
    """One bordered metric per figure, in a row (or in the given columns), with its change
    since the previous quarter and a quarterly sparkline where known.

    Values and changes are those shown: the gap is the difference of the rates on screen,
    and a change is the difference of the values shown now and then.
    """
    rows = {row["figure"]: row for row in trends.iter_rows(named=True)} if trends.height else {}
    shown = shown_values(rows)
    for column, name in zip(columns or st.columns(len(figures)), figures, strict=True):
        figure = FIGURES[name]
        row = shown.get(name, {})
        current, previous = row.get("current"), row.get("previous")
        text = None if _missing(current) or _missing(previous) else figure.change(current, previous)
        flat = text is not None and text == figure.change(current, current)  # no change shown
        history = [v for v in (row.get("history") or []) if not _missing(v)]
        column.metric(
            figure.label,
            figure.shown(current),
            delta=text,
            delta_color="off" if flat else "normal" if figure.higher_is_better else "inverse",
            delta_arrow="off" if flat else "auto",
            chart_data=history if len(history) > 1 else None,
            chart_type="area",
            help=figure.help,
            border=True,
        )
