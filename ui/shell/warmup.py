"""Keeps the landing page warm. When the store changes (an upload in the app, a scheduled
sync or load from the command line) a background thread computes what the Overview of the
newest snapshot, unfiltered, reads, so that the next executive who opens the shared link
does not wait for it (seconds at enterprise scale; the cached page takes a tenth of one).

Streamlit's caches compute a value once even when asked from two threads at the same time
(one waits for the other), so a visitor arriving during a warm-up waits for it, not for a
second computation.
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from domain.currency import use_currency
from ui import cache
from ui.shell.filters import FILTER_COLUMNS

POLL_SECONDS = 15.0
NO_FILTERS: cache.Filters = tuple((column, ()) for column in FILTER_COLUMNS)
_log = logging.getLogger(__name__)


def warm_landing_view(url: str, generation: int) -> bool:
    """Compute the Overview's figures for the newest snapshot with no filter (the view a
    shared link without parameters opens). False when the store has no snapshot yet."""
    dates = cache.snapshot_dates(url, generation)
    if not dates:
        return False
    key = (url, generation, dates[-1], NO_FILTERS)
    # in the currency the page will show, should any of it be text
    with use_currency(cache.shown_currency(url, generation, dates[-1])):
        cache.evaluated(url, generation, dates[-1])
        cache.filtered_frames(*key)
        cache.portfolio_figures(*key)
        cache.headline_trends(*key)
        cache.quadrant_counts(*key)
        cache.attention(*key)
        cache.funnel(*key)
        cache.status_mix(*key, "objective")
    return True


def _keep_warm(url: str, stop: threading.Event, poll_seconds: float) -> None:
    warmed: int | None = None
    while not stop.is_set():
        try:
            generation = cache.store_generation(url)
            if generation != warmed:
                warm_landing_view(url, generation)
                warmed = generation
        except Exception:  # the page itself reports a store problem
            _log.debug("warm-up skipped", exc_info=True)
        stop.wait(poll_seconds)


class Warmer:
    """A daemon thread per store, for the life of the server."""

    def __init__(self, url: str, poll_seconds: float = POLL_SECONDS) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=_keep_warm,
            args=(url, self.stop, poll_seconds),
            name="cockpit-warmup",
            daemon=True,
        )
        self.thread.start()


def keep_landing_warm(url: str) -> None:
    """Start the warm-up thread of this store once per server. Not under AppTest (tests,
    benchmarks), which runs the script on a stand-in runtime: its runs are short-lived,
    measured cold on purpose, and must let go of the store file when they end."""
    from streamlit.runtime import Runtime

    if Runtime.exists() and type(Runtime.instance()) is Runtime:
        _warmer(url)


@st.cache_resource(show_spinner=False)
def _warmer(url: str) -> Warmer:
    return Warmer(url)
