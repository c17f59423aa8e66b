"""Every chart builder on the demo yields a valid Vega-Lite spec in the one theme.

The app skips Altair's run-time validation (ui/widgets/chart.py) for speed; this is where the
specs are validated instead.
"""

from __future__ import annotations

import datetime as dt
import re

import altair as alt
import polars as pl
import pytest
import vl_convert

import charts.theme  # noqa: F401  (registers and enables the theme)
from charts.bars import status_mix_chart, value_at_risk_chart
from charts.delivery import cpi_spi_chart, slip_cost_chart
from charts.flow import cycle_time_chart, throughput_chart, throughput_range
from charts.funnel import funnel_chart
from charts.history import cost_chart, drift_chart, scope_chart, value_chart, verdict_strip
from charts.quadrant import (
    CROWD,
    POINTS,
    crowd_note,
    quadrant_chart,
    quadrant_fill,
    quadrant_template,
)
from charts.template import fill
from charts.theme import QUADRANT_COLORS, QUADRANT_LABELS, STATUS_COLORS, STATUS_LABELS
from charts.time_to_value import time_to_value_chart
from charts.trajectory import trajectory_chart
from domain.quarters import quarter_of
from metrics.benefit_mix import status_mix
from metrics.evaluate import evaluate
from metrics.funnel import commitments_funnel
from metrics.gap import JUDGED
from metrics.history import project_history, stack_projects
from metrics.outcomes import AT_RISK_STATUSES
from metrics.time_to_value import time_to_value, time_to_value_summary
from metrics.trajectory import trajectory
from store import open_store
from tests.support.hostile_text import PAYLOADS


def _charted(store) -> dict:
    """What the chart builders draw from: the latest evaluation and every snapshot's."""
    evaluations = {
        day: evaluate(store.portfolio_input(day), store.settings())
        for day in store.portfolio_snapshots()["as_of"].to_list()
    }
    latest = evaluations[max(evaluations)]
    projects, benefits = pl.collect_all([latest.projects, latest.benefits])
    return {
        "evaluation": latest,
        "projects": projects,
        "benefits": benefits,
        "measurements": store.measurements(upto=latest.as_of),
        "stacked": stack_projects(evaluations),
        "jira": store.jira_input(),
    }


@pytest.fixture(scope="module")
def demo(demo_db_template):
    return _charted(open_store(str(demo_db_template)))


@pytest.fixture(scope="module")
def hostile(hostile_db_template):
    """Every text of the store an attack (tests/support/hostile_text.py)."""
    return _charted(open_store(str(hostile_db_template)))


def _valid(spec: dict) -> dict:
    kind = alt.LayerChart if "layer" in spec else alt.Chart
    kind.from_dict(spec, validate=True)  # raises on anything Vega-Lite would reject
    assert spec["config"]["font"].startswith("Source Sans")  # the app's theme, not the default
    return spec


def _spec(chart) -> dict:
    return _valid(chart if isinstance(chart, dict) else chart.to_dict())


def _rows(spec: dict, name: str | None = None) -> list[dict]:
    """The rows a chart draws: its dataset `name`, else its one dataset."""
    datasets = spec["datasets"]
    if name is None:
        (name,) = datasets
    return datasets[name]


def test_the_quadrant_has_one_mark_per_judged_project_in_the_quadrant_colours(demo):
    projects = demo["projects"]
    spec = _spec(quadrant_chart(projects, 0.1))
    judged = projects.filter(pl.col("quadrant").is_in(JUDGED) & ~pl.col("cancelled"))
    assert len(spec["datasets"][POINTS]) == judged.height
    scales = [
        layer["encoding"]["color"]["scale"]
        for layer in spec["layer"]
        if "color" in layer.get("encoding", {})
    ]
    expected = {QUADRANT_LABELS[q]: QUADRANT_COLORS[q] for q in QUADRANT_COLORS}
    for scale in scales:
        assert dict(zip(scale["domain"], scale["range"], strict=True)) == expected


def test_a_crowded_quadrant_draws_the_largest_budgets_and_shades_the_rest(demo):
    projects = demo["projects"]
    judged = projects.filter(pl.col("quadrant").is_in(JUDGED) & ~pl.col("cancelled"))
    data = quadrant_fill(projects, max_bubbles=5)
    spec = _spec(fill(quadrant_template(0.1).to_dict(), data))
    drawn = spec["datasets"][POINTS]
    largest = judged.sort("budget", descending=True, nulls_last=True).head(5)
    assert sorted(p["size_budget"] for p in drawn) == sorted(
        largest.get_column("budget").fill_null(0).round(0).to_list()
    )
    assert sum(cell["n"] for cell in spec["datasets"][CROWD]) == judged.height - 5
    assert f"{judged.height - 5:,} more projects" in crowd_note(data)
    assert crowd_note(quadrant_fill(projects)) == ""  # the demo's 64 are all bubbles
    assert spec["datasets"][CROWD] and not quadrant_chart(projects, 0.1)["datasets"][CROWD]


def test_portfolio_charts(demo):
    evaluation, projects, benefits = demo["evaluation"], demo["projects"], demo["benefits"]
    mix = status_mix(projects.lazy(), benefits.lazy()).collect()
    stages = commitments_funnel(evaluation.portfolio()).collect()
    funnel = _rows(_spec(funnel_chart(stages)), "stages")
    assert [(r["stage"], r["n"]) for r in funnel] == list(stages.select("stage", "n").iter_rows())
    _spec(value_at_risk_chart(mix))
    drawn = _rows(_spec(status_mix_chart(mix)))
    live = benefits.join(projects.filter(~pl.col("cancelled")), on="project_id", how="semi")
    assert sum(r["n"] for r in drawn) == live.height  # every benefit of a live project, once
    _spec(slip_cost_chart(projects, 0, 0.05))
    _spec(cpi_spi_chart(projects))
    detail = time_to_value(projects.lazy(), benefits.lazy(), evaluation.as_of)
    _spec(
        time_to_value_chart(detail.collect(), time_to_value_summary(detail, "objective").collect())
    )


def test_value_at_risk_bars_are_the_metrics_totals(demo):
    projects, benefits = demo["projects"], demo["benefits"]
    mix = status_mix(projects.lazy(), benefits.lazy()).collect()
    spec = _spec(value_at_risk_chart(mix))
    live = benefits.join(
        projects.filter(~pl.col("cancelled")).select("project_id", "objective"), on="project_id"
    )
    by_objective = live.group_by("objective").agg(pl.col("value_at_risk").sum())
    expected = {o: v for o, v in by_objective.iter_rows() if v > 0}
    totals = {r["objective"]: r["total"] for r in _rows(spec, "totals")}
    assert totals.keys() == expected.keys() and len(expected) > 1
    assert all(abs(totals[o] - expected[o]) < 1e-6 * expected[o] for o in expected)
    # the bar's total is the metrics' group total, not a sum the chart makes of its segments
    groups = dict(mix.select("objective", "group_value_at_risk").unique().iter_rows())
    assert all(totals[o] == groups[o] for o in totals)
    segments = _rows(spec, "segments")
    assert {r["status"] for r in segments} <= {"at_risk", "off_track", "unmeasured"}


def test_the_value_at_risk_legend_gives_each_status_its_own_colour(demo):
    """At risk, off track and unmeasured in the status colours: amber, red, grey (no longer
    two near-identical oranges; the palette's distances: test_no_two_verdicts_share_a_colour)."""
    mix = status_mix(demo["projects"].lazy(), demo["benefits"].lazy()).collect()
    spec = _spec(value_at_risk_chart(mix))
    color = next(
        layer["encoding"]["color"] for layer in spec["layer"] if "color" in layer["encoding"]
    )
    scale = dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True))
    shown = color["legend"]["values"]
    assert shown == ["At risk", "Off track", "Unmeasured"]
    assert [scale[s] for s in shown] == [STATUS_COLORS[s] for s in AT_RISK_STATUSES]
    assert len({scale[s] for s in shown}) == len(shown)
    assert scale == {STATUS_LABELS[s]: STATUS_COLORS[s] for s in STATUS_COLORS}


def test_project_charts(demo):
    history = project_history(demo["stacked"], "CX-142").collect()
    for build in (drift_chart, cost_chart, scope_chart, value_chart):
        _spec(build(history))
    strip = _rows(_spec(verdict_strip(history)))
    assert [r["quarter"] for r in strip] == [
        quarter_of(day) for day in history.get_column("as_of").to_list()
    ]
    assert [r["quadrant_label"] for r in strip] == [
        QUADRANT_LABELS.get(q, "Not in this snapshot") if q else "Not in this snapshot"
        for q in history.get_column("quadrant").to_list()
    ]
    benefit = demo["benefits"].filter(pl.col("benefit_id") == "CX-142-B1")
    points = trajectory(benefit.lazy(), demo["measurements"].lazy()).collect()
    as_of = demo["evaluation"].as_of
    _spec(trajectory_chart(points, benefit, as_of))
    _spec(trajectory_chart(points, benefit, as_of, 200, compact=True))


def test_charts_of_an_empty_slice_are_still_valid(demo):
    none = demo["projects"].head(0)
    _spec(quadrant_chart(none, 0.1))
    _spec(slip_cost_chart(none, 0, 0.05))
    _spec(status_mix_chart(status_mix(none.lazy(), demo["benefits"].lazy()).collect()))


def test_jira_flow_charts(demo_db_template):
    from metrics.jira import project_flow, weekly_throughput

    jira = open_store(str(demo_db_template)).jira_input()
    weekly = weekly_throughput(jira.projects, jira.children, jira.changes, jira.as_of).collect()
    named = weekly.with_columns(pl.col("project_id").alias("name"))
    spec = _spec(throughput_chart(named))
    assert len(spec["datasets"][spec["data"]["name"]]) == weekly.height  # a cell per week
    flow = project_flow(jira.projects, jira.children, jira.changes, jira.as_of).collect()
    _spec(cycle_time_chart(flow.with_columns(pl.col("project_id").alias("name"))))
    _spec(throughput_chart(named.head(0)))


def _cell_colours(spec: dict) -> dict[tuple[str, int], str]:
    """The fill Vega draws for each cell of the throughput heatmap, by project and count."""
    svg = vl_convert.vegalite_to_svg(spec)
    cells = re.findall(
        r'<path aria-label="[^"]*name: ([^;]+);[^"]*Issues done: (\d+)"[^>]*fill="([^"]+)"', svg
    )
    return {(name, int(done)): fill for name, done, fill in cells}


@pytest.mark.parametrize("busiest", [2, 40])
def test_the_throughput_heatmap_spans_the_range_its_weeks_have(busiest):
    from charts.flow import EMPTY_WEEK

    weeks = [dt.date(2026, 9, 1) + dt.timedelta(weeks=i) for i in range(3)]
    weekly = pl.DataFrame(
        {
            "name": ["Quiet"] * 3 + ["Busy"] * 3,
            "week_end": weeks * 2,
            "done": [0, 1, 1, 1, busiest // 2, busiest],
        }
    )
    spec = _spec(throughput_chart(weekly))
    scale = spec["encoding"]["color"]["condition"]["scale"]
    assert scale["domain"] == [1, busiest]  # from the data: neither a fixed 0-10 nor clipped
    colours = _cell_colours(spec)
    assert colours[("Quiet", 0)] == EMPTY_WEEK  # a week with nothing done is a grey gap
    # one issue, half the busiest week and the busiest week: a shade each, none grey
    counts = {1, busiest // 2, busiest}
    shades = {colours[("Busy", n)] for n in counts}
    assert len(shades) == len(counts) and EMPTY_WEEK not in shades
    assert throughput_range(weekly.head(1)) == [1, 1]  # nothing done at all: still a range


def _every_chart(charted: dict):
    """Each chart builder's spec, on the charted frames, as the pages draw them."""
    evaluation, projects, benefits = (charted[k] for k in ("evaluation", "projects", "benefits"))
    mix = status_mix(projects.lazy(), benefits.lazy()).collect()
    detail = time_to_value(projects.lazy(), benefits.lazy(), evaluation.as_of)
    project_id = projects.get_column("project_id").sort().first()
    history = project_history(charted["stacked"], project_id).collect()
    benefit = benefits.filter(pl.col("project_id") == project_id).head(1)
    points = trajectory(benefit.lazy(), charted["measurements"].lazy()).collect()
    yield "quadrant", quadrant_chart(projects, 0.1)
    yield "funnel", funnel_chart(commitments_funnel(evaluation.portfolio()).collect())
    yield "value at risk", value_at_risk_chart(mix)
    yield "status mix", status_mix_chart(mix)
    yield "slip and cost", slip_cost_chart(projects, 0, 0.05)
    yield "cpi and spi", cpi_spi_chart(projects)
    summary = time_to_value_summary(detail, "objective").collect()
    yield "time to value", time_to_value_chart(detail.collect(), summary)
    for build in (drift_chart, cost_chart, scope_chart, value_chart, verdict_strip):
        yield build.__name__, build(history)
    yield "trajectory", trajectory_chart(points, benefit, evaluation.as_of)
    yield "small trajectory", trajectory_chart(points, benefit, evaluation.as_of, 200, compact=True)
    from metrics.jira import project_flow, weekly_throughput

    jira, names = charted["jira"], projects.select("project_id", "name")
    weekly = weekly_throughput(jira.projects, jira.children, jira.changes, jira.as_of).collect()
    yield "throughput", throughput_chart(weekly.join(names, on="project_id"))
    flow = project_flow(jira.projects, jira.children, jira.changes, jira.as_of).collect()
    yield "cycle time", cycle_time_chart(flow.join(names, on="project_id"))


def _expressions(vega: object) -> list[str]:
    """Every Vega expression of a compiled spec (signals, updates, filters, formulas)."""
    found: list[str] = []
    if isinstance(vega, dict):
        for key, value in vega.items():
            if key in ("signal", "expr", "update", "test") and isinstance(value, str):
                found.append(value)
            else:
                found += _expressions(value)
    elif isinstance(vega, list):
        for item in vega:
            found += _expressions(item)
    return found


def test_every_chart_draws_hostile_text_as_data(hostile):
    """Names, KPIs, sponsors and objectives with quotes, backslashes and line breaks: each
    chart still draws (Vega parses its expressions), with Streamlit's default tooltips on,
    and no text of the data is written into an expression."""
    drawn = []
    for name, chart in _every_chart(hostile):
        spec = chart if isinstance(chart, dict) else chart.to_dict()
        spec = {**spec, "config": {**spec["config"], "mark": {"tooltip": True}}}
        vl_convert.vegalite_to_svg(spec)  # raises "Expression parse error" on bad text
        expressions = " ".join(_expressions(vl_convert.vegalite_to_vega(spec)))
        assert not [p for p in PAYLOADS if p in expressions or p[:12] in expressions], name
        drawn.append(name)
    assert len(drawn) == 16


def test_on_the_wall_chart_text_is_large_and_the_bubbles_that_matter_are_named(demo):
    from charts.quadrant import NAMED, NAMED_QUADRANTS
    from charts.theme import PRESENT_FONT, presented

    projects = demo["projects"]
    spec = _spec(
        presented(fill(quadrant_template(0.1, named=True).to_dict(), quadrant_fill(projects)))
    )
    for part in ("axis", "legend"):
        assert spec["config"][part]["labelFontSize"] >= 18
        assert spec["config"][part]["titleFontSize"] >= 18
    sizes = [layer["mark"]["fontSize"] for layer in spec["layer"] if "fontSize" in layer["mark"]]
    assert sizes and min(sizes) >= PRESENT_FONT
    named = [p["label"] for p in spec["datasets"][POINTS] if p["label"]]
    matter = projects.filter(pl.col("quadrant").is_in(NAMED_QUADRANTS) & ~pl.col("cancelled"))
    largest = matter.sort("budget", descending=True).head(NAMED).get_column("name").to_list()
    assert sorted(named) == sorted(largest)
    plain = quadrant_template(0.1).to_dict()  # off the wall: no names over the bubbles
    assert len(plain["layer"]) == len(spec["layer"]) - 2


def test_the_gap_trend_shades_only_quarters_with_both_rates():
    from charts.gap_trend import gap_trend_chart

    series = pl.DataFrame(
        {
            "quarter": ["2025-Q1", "2025-Q2", "2025-Q3"],
            "output_rate": [0.7, 0.72, 0.75],
            "outcome_rate": [None, 0.8, 0.6],
        }
    )
    spec = _spec(gap_trend_chart(series))
    band = spec["layer"][0]
    assert [r["quarter"] for r in spec["datasets"][band["data"]["name"]]] == ["2025-Q2", "2025-Q3"]
    assert "substring" in spec["layer"][0]["encoding"]["x"]["axis"]["labelExpr"]


def _lch(color: str) -> tuple[float, float, float]:
    """CIE L*C*h of an sRGB colour (D65), to compare colours as the eye does."""
    import math

    def linear(c: float) -> float:
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (linear(int(color[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    lightness, a, bb = 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))
    return lightness, math.hypot(a, bb), math.degrees(math.atan2(bb, a)) % 360


@pytest.mark.parametrize(
    "palette", [QUADRANT_COLORS, STATUS_COLORS], ids=["verdicts", "benefit statuses"]
)
def test_no_two_verdicts_share_a_colour(palette):
    """Two verdicts (or two benefit statuses, as in the value-at-risk legend) a reader must
    tell apart are never near-identical: far apart in CIE Lab, and two saturated colours
    differ in hue or in lightness (not two oranges, two greys)."""
    import itertools
    import math

    for one, other in itertools.combinations(palette, 2):
        (l1, c1, h1), (l2, c2, h2) = _lch(palette[one]), _lch(palette[other])
        hue = min(abs(h1 - h2), 360 - abs(h1 - h2))
        a1, b1 = c1 * math.cos(math.radians(h1)), c1 * math.sin(math.radians(h1))
        a2, b2 = c2 * math.cos(math.radians(h2)), c2 * math.sin(math.radians(h2))
        assert math.dist((l1, a1, b1), (l2, a2, b2)) >= 25, (one, other)
        if c1 > 20 and c2 > 20:
            assert hue >= 35 or abs(l1 - l2) >= 25, (one, other)


def test_a_history_chart_knows_when_it_has_nothing_to_draw():
    from charts.history import COST_SERIES, SCOPE_SERIES, has_values

    history = pl.DataFrame(
        {
            "budget": [None, None],
            "actual_cost": [None, 0.0],
            "eac": [None, None],
            "scope_planned": [None, None],
            "scope_delivered": [None, None],
        },
        schema_overrides={c: pl.Float64 for c in COST_SERIES | SCOPE_SERIES},
    )
    assert has_values(history, COST_SERIES)  # a cost of 0 is a value to draw
    assert not has_values(history, SCOPE_SERIES)
