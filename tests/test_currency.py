"""Amounts are shown in the deployment's currency (COCKPIT_CURRENCY), everywhere alike."""

from __future__ import annotations

import json

import altair as alt
import polars as pl
import pytest
import vl_convert

from domain.currency import currency_symbol
from domain.formats import money, money_expr, money_label_expr, signed_money


@pytest.mark.parametrize(
    ("setting", "symbol"),
    [("", "$"), ("usd", "$"), ("GBP", "£"), (" eur ", "€"), ("CHF", "CHF "), ("kr", "kr")],
)
def test_a_code_or_a_symbol_gives_the_prefix(setting, symbol):
    assert currency_symbol(setting) == symbol


def test_without_a_setting_amounts_are_in_dollars(monkeypatch):
    monkeypatch.delenv("COCKPIT_CURRENCY", raising=False)
    assert money(1_234_000) == "$1.2M"


def test_text_and_table_amounts_use_the_setting(monkeypatch):
    monkeypatch.setenv("COCKPIT_CURRENCY", "GBP")
    assert money(1_234_000) == "£1.2M"
    assert money(-5_000) == "-£5K"
    assert signed_money(950_000) == "+£950K"
    texts = pl.select(money_expr(pl.lit(pl.Series([2.5e9, -1200.0, 40.0, None])))).to_series()
    assert texts.to_list() == ["£2.5B", "-£1K", "£40", "—"]


def test_chart_axes_label_amounts_in_the_setting(monkeypatch):
    """The label expression is Vega's: render a chart offline and read its axis."""
    monkeypatch.setenv("COCKPIT_CURRENCY", "EUR")
    chart = (
        alt.Chart(pl.DataFrame({"k": ["a", "b"], "v": [-500_000.0, 2_000_000.0]}))
        .mark_bar()
        .encode(
            x=alt.X("v:Q", axis=alt.Axis(labelExpr=money_label_expr(), values=[-5e5, 0, 2e6])),
            y="k:N",
        )
    )
    svg = vl_convert.vegalite_to_svg(json.loads(chart.to_json()))
    for label in ("-€500K", "€0", "€2M"):
        assert f">{label}<" in svg


def test_the_overview_shows_the_setting(app_on, demo_db, monkeypatch):
    monkeypatch.setenv("COCKPIT_CURRENCY", "GBP")
    at = app_on(demo_db)
    at_risk = next(m for m in at.metric if m.label == "Value at risk")
    assert at_risk.value.startswith("£") and "$" not in at_risk.value
    specs = [
        json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
        for chart in at.get("vega_lite_chart")
    ]
    assert any("'£' + replace" in spec for spec in specs)  # value at risk by objective
    assert not any("'$' + replace" in spec for spec in specs)
