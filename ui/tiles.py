"""Headline tiles: a figure, its change since the previous quarter and its quarterly sparkline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

Format = Callable[[float | None], str]


@dataclass(frozen=True)
class Tile:
    """How one portfolio figure is shown: its label, formats, and which way is good."""

    figure: str
    label: str
    value: Format
    delta: Format
    help: str
    higher_is_better: bool = True


def _missing(value: float | None) -> bool:
    return value is None or value != value  # NaN is not equal to itself


def render_tiles(
    trends: pl.DataFrame, tiles: Sequence[Tile], columns: Sequence[Any] | None = None
) -> None:
    """One bordered metric per tile, in a row (or in the given columns), with its change
    since the previous quarter and a quarterly sparkline where known."""
    rows = {row["figure"]: row for row in trends.iter_rows(named=True)} if trends.height else {}
    for column, tile in zip(columns or st.columns(len(tiles)), tiles, strict=True):
        row = rows.get(tile.figure, {})
        delta = row.get("delta")
        text = None if _missing(delta) else tile.delta(delta)
        flat = text in (tile.delta(0.0), tile.delta(-0.0))  # no change at the shown precision
        history = [v for v in (row.get("history") or []) if not _missing(v)]
        column.metric(
            tile.label,
            tile.value(row.get("current")),
            delta=text,
            delta_color="off" if flat else "normal" if tile.higher_is_better else "inverse",
            delta_arrow="off" if flat else "auto",
            chart_data=history if len(history) > 1 else None,
            chart_type="area",
            help=tile.help,
            border=True,
        )
