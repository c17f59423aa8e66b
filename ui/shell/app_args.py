"""Command-line options of the app: `streamlit run app.py -- --db PATH`."""

from __future__ import annotations

import argparse
import functools
import sys


@functools.cache
def _db_of(argv: tuple[str, ...]) -> str | None:
    """Parsed once per argument list: an ArgumentParser looks up its translations on disk
    when it is made, which cost a page run up to a tenth of a second."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(argv)
    return known.db


def db_argument(argv: list[str] | None = None) -> str | None:
    return _db_of(tuple(sys.argv[1:] if argv is None else argv))
