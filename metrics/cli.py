"""`python -m metrics report|briefing`: every figure of METRICS.md as JSON or CSV; the
quarterly briefing as a PDF.

This module is the composition root of the metrics package: it reads the store and
hands frames to the pure metric functions; nothing else in metrics/ touches the store.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from domain.cli_args import iso_date
from metrics.evaluate import Evaluation, evaluate
from metrics.report import benefits_table, build_report, projects_table

if TYPE_CHECKING:
    from store import Store


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="every metric as of a date")
    report.add_argument("--as-of", type=iso_date, help="date A (default: the latest snapshot)")
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
    briefing = sub.add_parser("briefing", help="the quarterly review as a PDF")
    briefing.add_argument("--quarter", type=_quarter, help="e.g. 2026-Q3 (default: the latest)")
    briefing.add_argument("--db", help="store path or URL")
    briefing.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    return parser


def _quarter(text: str) -> str:
    if not re.fullmatch(r"\d{4}-Q[1-4]", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a quarter like 2026-Q3")
    return text.strip()


def quarter_evaluations(store: Store) -> dict[str, Evaluation]:
    """Each quarter's evaluation, as of its latest snapshot (METRICS.md, Over time)."""
    from metrics.trends import quarter_snapshots

    chosen = quarter_snapshots(store.portfolio_snapshots().lazy()).collect()
    settings = store.settings()
    series = store.measurements(with_source=False)  # read once, shared by every quarter
    evaluations = {}
    for quarter, as_of in chosen.select("quarter", "as_of").iter_rows():
        portfolio = store.portfolio_input(as_of, series)
        if portfolio is not None:
            evaluations[quarter] = evaluate(portfolio, settings)
    return evaluations


def _briefing(store: Store, quarter: str | None, out: Path) -> int:
    from briefing.narrative import narrative
    from briefing.pdf import briefing_pdf
    from metrics.review import quarter_review

    evaluations = quarter_evaluations(store)
    if not evaluations:
        print("error: the store has no snapshot to review; load data first.", file=sys.stderr)
        return 1
    chosen = quarter or list(evaluations)[-1]
    if chosen not in evaluations:
        print(
            f"error: no snapshot falls in {chosen}. Quarters with data: {', '.join(evaluations)}.",
            file=sys.stderr,
        )
        return 1
    review = quarter_review(evaluations, chosen)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(briefing_pdf(review, narrative(review)))
    print(f"Wrote the {chosen} briefing to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from store import StoreError, close_all, open_store

    try:
        store = open_store(args.db)
        if args.command == "briefing":
            return _briefing(store, args.quarter, args.out)
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
