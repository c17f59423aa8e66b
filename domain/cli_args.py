"""Argument types the command lines share, with messages that say what is expected."""

from __future__ import annotations

import argparse
import datetime as dt


def iso_date(text: str) -> dt.date:
    """An argparse type for dates written as 2026-09-30."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-09-30") from None


# What `add_subparsers()` returns: each command module adds its commands to it.
Subcommands = argparse._SubParsersAction
