"""The measurement sources, for the Data page's Sources tab: which are in force, how they
last ran and when they are next due (the runner's own account, connectors.measure.run)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from connectors.measure.run import sources_overview
from store import Store


def source_status(store: Store, today: dt.date) -> pl.DataFrame:
    """Every measurement source in force, with its owner, last value or error, since when
    it fails and when it is next due (failing ones first)."""
    return sources_overview(store, today)
