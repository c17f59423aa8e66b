"""The landing page is kept warm: after a store change, the Overview an executive opens from
a plain shared link finds every figure already computed."""

from __future__ import annotations

import importlib
import time

import pytest

from service import evaluated as service_evaluated
from ui import cache
from ui.shell.warmup import Warmer, warm_landing_view

# What the Overview's cached accessors compute on a miss (the metrics as service.portfolio
# calls them).
OVERVIEW_METRICS = (
    ("service.portfolio", "quarter_series"),
    ("service.portfolio", "trends_of_headlines"),
    ("service.portfolio", "needs_attention"),
    ("service.portfolio", "count_quadrants"),
    ("service.portfolio", "commitments_funnel"),
    ("service.portfolio", "mix_of_statuses"),
)


@pytest.fixture
def evaluations(monkeypatch):
    """The dates the app's caches evaluate metrics for (each is a cache miss)."""
    calls: list[object] = []
    real = service_evaluated.evaluate

    def counting(portfolio, settings):
        calls.append(portfolio.as_of)
        return real(portfolio, settings)

    monkeypatch.setattr(service_evaluated, "evaluate", counting)
    return calls


@pytest.fixture
def overview_misses(monkeypatch):
    """The Overview figures the caches compute (each is a cache miss)."""
    calls: list[str] = []
    for module_name, name in OVERVIEW_METRICS:
        module = importlib.import_module(module_name)
        real = getattr(module, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    return calls


def _store_key(monkeypatch, db) -> tuple[str, int]:
    monkeypatch.setenv("COCKPIT_DB", str(db))
    return cache.store_key()


def test_a_cold_overview_evaluates_every_quarter(
    app_on,
    demo_db,
    evaluations,
    overview_misses,
):
    app_on(demo_db)
    assert len(evaluations) == 8  # the newest snapshot and the 7 earlier quarter ends
    assert sorted(set(overview_misses)) == sorted(name for _, name in OVERVIEW_METRICS)


def test_after_a_warm_up_the_overview_evaluates_nothing(
    app_on,
    demo_db,
    evaluations,
    overview_misses,
    monkeypatch,
):
    url, generation = _store_key(monkeypatch, demo_db)
    assert warm_landing_view(url, generation)
    assert len(evaluations) == 8 and overview_misses
    evaluations.clear()
    overview_misses.clear()
    at = app_on(demo_db)
    assert at.metric and evaluations == [] and overview_misses == []


def test_an_empty_store_has_nothing_to_warm(monkeypatch, tmp_path, evaluations):
    url, generation = _store_key(monkeypatch, tmp_path / "empty.duckdb")
    assert warm_landing_view(url, generation) is False
    assert evaluations == []


def test_the_warmer_follows_a_change_made_elsewhere(monkeypatch, demo_db, evaluations):
    from store import open_store

    url, _ = _store_key(monkeypatch, demo_db)
    warmer = Warmer(url, poll_seconds=0.05)
    try:
        _wait_for(lambda: len(evaluations) == 8)
        newest = int(open_store(str(demo_db)).resolve_snapshot()[0])
        cache.store().delete_snapshot(newest)  # as a scheduled load or sync would write
        _wait_for(lambda: len(evaluations) == 8 + 7)
        remaining = cache.snapshot_dates(url, cache.store_generation(url))
        assert sorted(evaluations[8:]) == remaining  # each remaining quarter, once
    finally:
        warmer.stop.set()
        warmer.thread.join(timeout=30)
    assert not warmer.thread.is_alive()


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the warm-up did not happen")
        time.sleep(0.05)


def test_apptest_runs_start_no_warm_up_thread(app_on, demo_db):
    """AppTest (the tests, the benchmarks) must not leave a thread holding the store."""
    import threading

    app_on(demo_db)
    assert not [t for t in threading.enumerate() if t.name == "cockpit-warmup"]
