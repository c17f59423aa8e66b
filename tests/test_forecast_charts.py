"""The forecast charts draw the forecast's own numbers: the fan's blocks are the curve's
weeks, its marks the finish dates and commitments; a benefit's trend is its own layer."""

from __future__ import annotations

import datetime as dt
import re

import altair as alt
import polars as pl
import pytest
import vl_convert

import charts.theme  # noqa: F401  (registers and enables the theme)
from charts.forecast import BAND_COLORS, delivery_fan_chart
from charts.trajectory import TREND_COLOR, trajectory_chart
from metrics.forecast_words import finish_curve, finish_marks
from metrics.trajectory import trajectory
from tests.test_forecast_delivery import A
from tests.test_forecast_words import projects  # noqa: F401  (the hand-worked fixture)


def _rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def _layers(spec: dict, mark: str) -> list[dict]:
    return [
        layer
        for layer in spec["layer"]
        if (layer["mark"] if isinstance(layer["mark"], str) else layer["mark"]["type"]) == mark
    ]


@pytest.fixture
def fan(projects):  # noqa: F811
    one = projects.lazy().filter(pl.col("project_id") == "DF1")
    curve, marks = pl.collect_all([finish_curve(one, A), finish_marks(one)])
    spec = delivery_fan_chart(curve, marks, A).to_dict()
    alt.LayerChart.from_dict(spec, validate=True)
    return curve, marks, spec


def test_the_fan_has_a_block_per_week_coloured_by_its_finish_date(fan):
    curve, _, spec = fan
    (blocks,) = _layers(spec, "rect")
    rows = _rows(spec, blocks)
    assert [r["chance"] for r in rows] == curve.get_column("chance").to_list()
    assert [r["band"] for r in rows] == curve.get_column("band").to_list()
    # each week's block runs from its date to the next week's
    assert rows[1]["date"] == rows[0]["until"] == (A + dt.timedelta(7)).isoformat()
    scale = blocks["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == BAND_COLORS


def test_the_fan_marks_the_finish_dates_and_the_commitments(fan):
    *_, spec = fan
    labelled = {
        r["label"]: (r["date"], r["chance_text"])
        for layer in _layers(spec, "rule")
        if "data" in layer
        for r in _rows(spec, layer)
    }
    assert labelled == {
        "P50 (even chance)": ("2026-07-28", "50%"),
        "P85 (likely)": ("2026-08-18", "85%"),
        "P95 (near certain)": ("2026-09-01", "95%"),
        "Committed end": ("2026-08-20", "90%"),
        "Reported end": ("2026-07-22", "41%"),
    }
    vl_convert.vegalite_to_svg(spec)  # Vega draws it


def test_a_benefit_trajectory_draws_its_trend(projects):  # noqa: F811
    benefit = pl.DataFrame(
        {
            "benefit_id": ["B"],
            "kpi": ["Cost"],
            "unit": ["USD"],
            "status": ["on_track"],
            "baseline": [0.0],
            "target": [100.0],
            "start": [dt.date(2026, 1, 1)],
            "target_date": [dt.date(2026, 12, 31)],
            "c": [0.1],
            "forecast_attainment": [0.8],
        }
    )
    empty = pl.LazyFrame(
        schema={"benefit_id": pl.String, "measured_at": pl.Date, "value": pl.Float64}
    )
    points = trajectory(benefit.lazy(), empty).collect()
    for compact in (False, True):
        spec = trajectory_chart(points, benefit, A, compact=compact).to_dict()
        alt.LayerChart.from_dict(spec, validate=True)
        trend = [
            layer
            for layer in spec["layer"]
            if {"filter": "(datum.series === 'trend')"} in layer.get("transform", [])
            and layer["mark"]["type"] == "line"
        ]
        assert len(trend) == 1 and trend[0]["mark"]["color"] == TREND_COLOR
    rows = spec["datasets"][spec["data"]["name"]]
    drawn = [(r["date"], r["value"]) for r in rows if r["series"] == "trend"]
    assert drawn == [("2026-01-01", pytest.approx(10.0)), ("2026-12-31", pytest.approx(80.0))]


def _benefit(baseline: float, target: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "benefit_id": ["B"],
            "kpi": ["Monthly active app users"],
            "unit": ["count"],
            "status": ["on_track"],
            "baseline": [baseline],
            "target": [target],
            "start": [dt.date(2026, 1, 1)],
            "target_date": [dt.date(2026, 12, 31)],
            "c": [0.1],
            "forecast_attainment": [0.8],
        }
    )


def _drawn(spec: dict) -> tuple[str, dict[str, float], dict[str, float]]:
    """What Vega draws: the SVG, each text's vertical position by its words, and each
    horizontal rule's by the value it marks (its label's digits)."""
    svg = vl_convert.vegalite_to_svg(spec)
    texts = {
        words: float(y)
        for y, words in re.findall(
            r"<text[^>]*translate\([^,]+,([-\d.]+)\)[^>]*>([^<]*)</text>", svg
        )
    }
    rules = {
        float(value.replace(",", "")): float(y)
        for value, y in re.findall(
            r'<line aria-label="value: ([^"]+)"[^>]*translate\([^,]+,([-\d.]+)\)', svg
        )
    }
    return svg, texts, rules


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize(
    ("baseline", "target", "rising"),
    [(180_000.0, 320_000.0, True), (36.0, 8.0, False)],
)
def test_a_benefit_trajectory_names_its_baseline_and_target_lines(
    baseline, target, rising, compact
):
    benefit = _benefit(baseline, target)
    empty = pl.LazyFrame(
        schema={"benefit_id": pl.String, "measured_at": pl.Date, "value": pl.Float64}
    )
    points = trajectory(benefit.lazy(), empty).collect()
    spec = trajectory_chart(points, benefit, A, 200, compact=compact).to_dict()
    alt.LayerChart.from_dict(spec, validate=True)
    _, texts, rules = _drawn(spec)
    base_words, target_words = f"Baseline {baseline:,.0f}", f"Target {target:,.0f}"
    assert {base_words, target_words} <= texts.keys()  # "320,000", never "3.2e+5"
    base_line, target_line = rules[baseline], rules[target]
    # each named on the far side of its line from the other (SVG's y grows downwards)
    if rising:
        assert texts[target_words] < target_line and texts[base_words] > base_line
    else:
        assert texts[target_words] > target_line and texts[base_words] < base_line


def test_a_small_trajectory_keeps_its_title_in_the_frame_at_the_containers_width():
    benefit = _benefit(180_000.0, 320_000.0)
    empty = pl.LazyFrame(
        schema={"benefit_id": pl.String, "measured_at": pl.Date, "value": pl.Float64}
    )
    points = trajectory(benefit.lazy(), empty).collect()
    spec = trajectory_chart(points, benefit, A, 200, compact=True).to_dict()
    assert spec["width"] == "container"
    # the plot keeps its height and the title comes on top (fitting the height moved it)
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert "containerSize()[0]" in spec["title"]["limit"]["expr"]
    svg, texts, _ = _drawn(spec)
    assert texts["Monthly active app users (count)"] > 0  # inside the frame, not cut
    assert float(re.search(r'<svg[^>]*height="([\d.]+)"', svg).group(1)) > 200
