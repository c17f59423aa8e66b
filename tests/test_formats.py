"""One way to write a number: half away from zero, in Python and in Polars alike; figures a
reader can subtract add up; amounts in one compact form with their currency sign."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.figures import FIGURES, shown_values
from domain.formats import (
    date_expr,
    date_text,
    gap_points,
    money,
    money_change,
    money_expr,
    pct,
    percent_text,
    pts,
    share_change,
    signed_pct,
    signed_percent_text,
    whole,
    whole_expr,
)


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0.525, "53%"),  # half-to-even would say 52%
        (0.625, "63%"),  # ... and 62%
        (0.375, "38%"),
        (0.145, "15%"),  # 0.145 * 100 is 14.499999999999998 in floating point
        (29 / 200, "15%"),
        (0.7758620689655172, "78%"),
        (-0.005, "-1%"),
        (-0.004, "0%"),  # never "-0%"
        (None, "—"),
        (float("nan"), "—"),
    ],
)
def test_shares_round_half_away_from_zero(share, shown):
    assert pct(share) == shown


def test_whole_numbers_round_half_away_from_zero_both_ways():
    assert [whole(v) for v in (0.5, 1.5, 2.5, -0.5, -2.5, 2.4999)] == [1, 2, 3, -1, -3, 2]
    assert pts(24.5) == "+25 pts" and pts(-0.4) == "0 pts" and pts(-2.5) == "-3 pts"


def test_signed_shares_never_show_minus_zero():
    assert [signed_pct(v) for v in (0.125, -0.125, -0.004, 0.0)] == ["+13%", "-13%", "0%", "0%"]


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
@settings(deadline=None)  # no timing assertion: a busy machine can pass 200 ms
def test_polars_and_python_write_every_number_alike(value):
    frame = pl.DataFrame({"v": [value]})
    row = frame.select(
        percent_text(pl.col("v") / 1e6).alias("pct"),
        signed_percent_text(pl.col("v") / 1e6).alias("signed"),
        money_expr(pl.col("v")).alias("money"),
        whole_expr(pl.col("v")).alias("whole"),
    ).row(0, named=True)
    assert row == {
        "pct": pct(value / 1e6),
        "signed": signed_pct(value / 1e6),
        "money": money(value),
        "whole": whole(value),
    }


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (4_000_000, "$4.0M"),  # one compact form: never "4M" beside "$74.8M"
        (74_767_524.11, "$74.8M"),
        (950_000, "$950K"),
        (999_960, "$1.0M"),  # rounds up into the next unit, never "$1000K"
        (999_400, "$999K"),
        (3_400_000_000, "$3.4B"),
        (12_050_000, "$12.1M"),  # 12.05 is a tie: away from zero
        (40, "$40"),
        (-5_000, "-$5K"),
        (-0.3, "$0"),
        (None, "—"),
    ],
)
def test_amounts_in_one_compact_form(amount, shown, monkeypatch):
    monkeypatch.delenv("COCKPIT_CURRENCY", raising=False)
    assert money(amount) == shown


@settings(deadline=None)
@given(
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_the_gap_shown_is_the_difference_of_the_rates_shown(output, outcome):
    shown_output, shown_outcome = int(pct(output)[:-1]), int(pct(outcome)[:-1])
    assert gap_points(output, outcome) == shown_output - shown_outcome


def test_a_gap_that_rounds_one_way_is_shown_as_the_rates_say():
    """77.4% and 52.6% show as 77% and 53%: the gap reads 24 points, not round(24.8) = 25."""
    assert (pct(0.774), pct(0.526), gap_points(0.774, 0.526)) == ("77%", "53%", 24)
    rows = shown_values(
        {
            "output_rate": {"current": 0.774, "previous": 0.70},
            "outcome_rate": {"current": 0.526, "previous": 0.525},
            "gap_pts": {"current": 24.8, "previous": 17.5},
        }
    )
    gap = FIGURES["gap_pts"]
    assert gap.shown(rows["gap_pts"]["current"]) == "+24 pts"
    assert gap.change(rows["gap_pts"]["current"], rows["gap_pts"]["previous"]) == "+7 pts"


def test_changes_are_the_difference_of_the_values_shown(monkeypatch):
    monkeypatch.delenv("COCKPIT_CURRENCY", raising=False)
    # 77.6% (78) against 74.4% (74): +4 pts, although the unrounded change is 3.2.
    assert share_change(0.776, 0.744) == "+4 pts"
    # $74.8M against $69.8M: +$5.0M, although the unrounded change is $4.96M.
    assert money_change(74_770_000, 69_810_000) == "+$5.0M"


def test_one_date_format_in_text_and_in_tables():
    day = dt.date(2026, 9, 1)
    assert date_text(day) == "1 Sep 2026"
    column = pl.select(date_expr(pl.lit(pl.Series([day, None])))).to_series().to_list()
    assert column == ["1 Sep 2026", "—"]
