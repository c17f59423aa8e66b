"""Draw an Altair chart from a cached Vega-Lite spec, in the app's own theme.

`st.altair_chart` converts and re-validates every chart against the Vega-Lite
JSON schema on every run: on the Overview that alone is over 100 ms per rerun. Here the
spec is built once per chart and data (charts/ builders are pure: same data, same chart),
without the run-time validation; tests/test_charts.py validates every builder's spec
instead. `theme=None` keeps Streamlit's theme out: the spec carries charts/theme.py's. The
frames a chart draws lose their bidi controls first (domain.bidi), like every text shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import polars as pl
import streamlit as st

from charts.template import Fill, fill
from charts.theme import presented
from domain.bidi import strip_bidi_frame
from domain.currency import currency_symbol

Builder = Callable[..., alt.TopLevelMixin]


@st.cache_data(show_spinner=False, max_entries=512)
def _spec(name: str, currency: str, _builder: Builder, *args: Any, **kwargs: Any) -> dict[str, Any]:
    return _builder(*args, **kwargs).to_dict(validate=False)


def _shown(value: Any) -> Any:
    return strip_bidi_frame(value) if isinstance(value, pl.DataFrame) else value


def _shown_fill(data: Fill) -> Fill:
    return Fill({name: strip_bidi_frame(f) for name, f in data.datasets.items()}, data.params)


def chart_spec(builder: Builder, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The Vega-Lite spec of `builder(*args, **kwargs)`, data inlined, theme applied;
    cached by the builder's name, its arguments and the currency its labels show."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    args = tuple(_shown(a) for a in args)
    kwargs = {k: _shown(v) for k, v in kwargs.items()}
    return _spec(name, currency_symbol(), builder, *args, **kwargs)


@st.cache_resource(show_spinner=False, max_entries=64)
def _filled(
    name: str, data_key: tuple[Any, ...], _spec: dict[str, Any], _data: Fill
) -> dict[str, Any]:
    """A filled spec, kept per template and view: a rerun of the same view (a click, a
    widget elsewhere on the page) reuses it instead of re-serialising every mark."""
    return fill(_spec, _shown_fill(_data))


def show_template(
    template: Builder,
    *args: Any,
    data: Fill,
    key: str | None = None,
    select: str | None = None,
    width: str = "stretch",
    data_key: tuple[Any, ...] | None = None,
    wall: bool = False,
    **kwargs: Any,
) -> Any:
    """Draw a chart template (charts.template) with this view's data filled in: the spec is
    built once per template arguments, whatever the filters. With `data_key` (what the
    data depends on: store, generation, date, filters) the filled spec is cached too.
    `wall`: chart text in presentation mode's size (charts.theme.presented)."""
    spec = chart_spec(template, *args, **kwargs)
    if data_key is None:
        filled = fill(spec, _shown_fill(data))
    else:
        name = f"{template.__module__}.{template.__qualname__}"
        key = (data_key, currency_symbol(), args, tuple(sorted(kwargs.items())))
        filled = _filled(name, key, spec, data)
    return st.vega_lite_chart(
        spec=presented(filled) if wall else filled,
        theme=None,
        width=width,
        key=key,
        on_select="rerun" if select else "ignore",
        selection_mode=select,
    )


def show_chart(
    builder: Builder,
    *args: Any,
    key: str | None = None,
    select: str | None = None,
    width: str = "stretch",
    wall: bool = False,
    **kwargs: Any,
) -> Any:
    """Draw the chart; with `select` (a selection parameter's name) clicks rerun the page
    and the returned event says what was clicked. `wall`: presentation mode's text size."""
    spec = chart_spec(builder, *args, **kwargs)
    return st.vega_lite_chart(
        spec=presented(spec) if wall else spec,
        theme=None,
        width=width,
        key=key,
        on_select="rerun" if select else "ignore",
        selection_mode=select,
    )
