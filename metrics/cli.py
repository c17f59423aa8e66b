"""`python -m metrics report`: every figure of METRICS.md, as JSON or CSV.

This module is the composition root of the metrics package: it reads the store and
hands frames to the pure metric functions; nothing else in metrics/ touches the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from metrics.evaluate import evaluate
from metrics.report import benefits_table, build_report, projects_table


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-09-30") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="every metric as of a date")
    report.add_argument("--as-of", type=_date, help="date A (default: the latest snapshot)")
    report.add_argument(
        "--db", help="store path or URL (default: COCKPIT_DB or data/cockpit.duckdb)"
    )
    report.add_argument("--format", choices=("json", "csv"), default="json")
    report.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="with --format csv: write projects.csv and benefits.csv here",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from store import StoreError, close_all, open_store

    try:
        store = open_store(args.db)
        portfolio = store.portfolio_input(args.as_of)
        if portfolio is None:
            when = f" on or before {args.as_of.isoformat()}" if args.as_of else ""
            print(
                f"error: the store {store.name} has no snapshot{when}. "
                "Load one with `python -m connectors load` or `python -m connectors demo`.",
                file=sys.stderr,
            )
            return 1
        evaluation = evaluate(portfolio, store.settings())
        if args.format == "json":
            report = build_report(evaluation, portfolio.snapshot_as_of)
            json.dump(report, sys.stdout, indent=2, allow_nan=False)
            sys.stdout.write("\n")
            return 0
        projects, benefits = projects_table(evaluation), benefits_table(evaluation)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            projects.write_csv(args.out / "projects.csv")
            benefits.write_csv(args.out / "benefits.csv")
            print(f"Wrote {args.out / 'projects.csv'} and {args.out / 'benefits.csv'}")
        else:
            sys.stdout.write(projects.write_csv())
            sys.stdout.write("\n")
            sys.stdout.write(benefits.write_csv())
        return 0
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        close_all()
