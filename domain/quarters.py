"""Calendar quarters, the one place that knows them: a date's quarter ('2026-Q3'), a
quarter's first and last day, the quarter before. The trends, the review, the sidebar's
date labels and the charts all count quarters this way (docs/metrics.md, Over time)."""

from __future__ import annotations

import datetime as dt

import polars as pl


def quarter_of(day: dt.date) -> str:
    """2026-09-30 -> '2026-Q3'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(label: str) -> tuple[dt.date, dt.date]:
    """'2026-Q3' -> (2026-07-01, 2026-09-30)."""
    year, q = label.split("-Q")
    first_month = 3 * (int(q) - 1) + 1
    start = dt.date(int(year), first_month, 1)
    end_month = first_month + 2
    end = (
        dt.date(int(year) + 1, 1, 1) if end_month == 12 else dt.date(int(year), end_month + 1, 1)
    ) - dt.timedelta(days=1)
    return start, end


def previous_quarter(label: str) -> str:
    """'2026-Q1' -> '2025-Q4'."""
    year, q = (int(p) for p in label.split("-Q"))
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"


def quarter_expr(day: pl.Expr) -> pl.Expr:
    """quarter_of as a Polars expression, for a column of dates."""
    return pl.format("{}-Q{}", day.dt.year(), day.dt.quarter())
