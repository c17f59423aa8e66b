"""Command-line options of the app: `streamlit run app.py -- --db PATH`."""

from __future__ import annotations

import argparse
import sys


def db_argument(argv: list[str] | None = None) -> str | None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return known.db
