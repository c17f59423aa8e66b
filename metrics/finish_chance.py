"""The delivery forecast's arithmetic (docs/metrics.md, Forecasts): exact convolution of one
project's weekly throughput distribution, no random sampling.

A small NumPy kernel over one project's arrays, called once per forecast project by
metrics.delivery_forecast; everything around it (which projects, which weeks, which
dates) is Polars there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from metrics.common import EPS

HORIZON_WEEKS = 520  # F(w) is computed for w up to ten years
QUANTILES = (0.5, 0.85, 0.95)


def finish_chances(
    weekly_done: Sequence[int], remaining: int, needed_week: int = 0, top: float = QUANTILES[-1]
) -> np.ndarray:
    """F(0), F(1), ...: the chance that w future weeks finish at least `remaining` items,
    each week an independent draw from the empirical distribution of `weekly_done`.

    The sum of w draws is tracked below `remaining` only (what reaches it is done), so a
    week costs one short convolution. The curve stops at the first week where it reaches
    `top` (the largest quantile asked for) and `needed_week` is covered, at 1 (nothing
    left undone in floating point), or at HORIZON_WEEKS. F(0) = 0.
    """
    if remaining <= 0:
        raise ValueError("a finish forecast needs remaining work")
    counts = np.asarray(weekly_done, dtype=np.int64)
    p = (np.bincount(counts) / counts.size)[:remaining]  # a week of `remaining` or more: done
    step = _convolution(p, remaining)
    undone = np.zeros(remaining)
    undone[0] = 1.0
    curve = [0.0]
    needed = min(needed_week, HORIZON_WEEKS)
    for week in range(1, HORIZON_WEEKS + 1):
        undone = step(undone)
        chance = min(1.0 - float(undone.sum()), 1.0)
        curve.append(chance)
        if chance >= 1.0 or (chance >= top - EPS and week >= needed):
            break
    # Rounding in the sums must never make a later week less likely than an earlier one.
    return np.maximum.accumulate(np.asarray(curve))


def _convolution(p: np.ndarray, remaining: int) -> Callable[[np.ndarray], np.ndarray]:
    """One week: the not-yet-done distribution convolved with p, cut at `remaining`.

    A dense convolution costs remaining x len(p); p has at most as many non-zero entries as
    the window has weeks, so when the counts are large and few (a team that closes 300
    issues some weeks and none others) adding a shifted copy per count is far cheaper."""
    support = np.flatnonzero(p)
    if p.size <= 8 * support.size:
        return lambda undone: np.convolve(undone, p)[:remaining]

    def sparse(undone: np.ndarray) -> np.ndarray:
        out = np.zeros(remaining)
        for k in support:
            out[k:] += p[k] * undone[: remaining - k]
        return out

    return sparse


def first_week_reaching(curve: np.ndarray, q: float) -> int | None:
    """The smallest w with F(w) >= q, or None when the curve never gets there."""
    week = int(np.searchsorted(curve, q - EPS, side="left"))
    return week if week < curve.size else None


def chance_at(curve: np.ndarray, week: int) -> float:
    """F(week): 0 before one whole week; beyond the computed curve, its last value (the
    curve stops only at 1, at the horizon, or past every week it was asked to cover)."""
    if week < 1:
        return 0.0
    return float(curve[min(week, curve.size - 1)])
