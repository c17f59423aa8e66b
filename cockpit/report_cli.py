"""`cockpit report|briefing` (also `python -m metrics ...`): every figure of docs/metrics.md
as JSON or CSV; the quarterly briefing as a PDF.

An entry point: the figures come from the service layer (service.report), the same
functions the app and the bench call; this module parses options and writes files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from domain.cli_args import Subcommands, iso_date
from domain.console import pipe_safe
from domain.currency import use_currency
from domain.formulas import neutralise
from service.report import Report, briefing_review, report_as_of

if TYPE_CHECKING:
    from store import Store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
TABLES = ("projects", "benefits", "portfolio")
DB_HELP = "store path or URL (default: COCKPIT_DB or data/cockpit.sqlite)"


def add_commands(sub: Subcommands) -> None:
    """The metrics commands, for `cockpit` and `python -m metrics` alike."""
    report = sub.add_parser(
        "report",
        help="every metric as of a date, as JSON or CSV",
        description="JSON (the default) holds every figure; CSV is one table a file: "
        "--out DIR writes report.json, or projects.csv, benefits.csv and portfolio.csv; "
        "without --out, CSV needs --table (one table on stdout).",
    )
    report.add_argument("--as-of", type=iso_date, help="date A (default: the latest snapshot)")
    report.add_argument("--db", help=DB_HELP)
    report.add_argument("--format", choices=("json", "csv"), default="json")
    report.add_argument(
        "--table",
        choices=TABLES,
        help="with --format csv: this table only (required when writing to stdout)",
    )
    report.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write report.json (or the CSV tables) in this folder instead of stdout",
    )
    report.set_defaults(run=run, handler=_report)
    briefing = sub.add_parser("briefing", help="the quarterly review as a PDF")
    briefing.add_argument("--quarter", type=_quarter, help="e.g. 2026-Q3 (default: the latest)")
    briefing.add_argument("--db", help=DB_HELP)
    briefing.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    briefing.set_defaults(run=run, handler=_briefing_command)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description=__doc__)
    add_commands(parser.add_subparsers(dest="command", required=True))
    return parser


def _quarter(text: str) -> str:
    if not re.fullmatch(r"\d{4}-Q[1-4]", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a quarter like 2026-Q3")
    return text.strip()


def _briefing(store: Store, quarter: str | None, out: Path) -> int:
    """EXIT_OK with the PDF written; EXIT_PROBLEMS when the data cannot be briefed,
    EXIT_USAGE when --out cannot be written (nothing is written either way)."""
    from briefing.narrative import narrative
    from briefing.pdf import BriefingError, briefing_pdf

    if out.is_dir():
        print(f"error: --out {out} is a folder; name the PDF file to write.", file=sys.stderr)
        return EXIT_USAGE
    briefed = briefing_review(store, quarter)
    if not briefed.quarters:
        print("error: the store has no snapshot to review; load data first.", file=sys.stderr)
        return EXIT_PROBLEMS
    chosen, review = briefed.quarter, briefed.review
    if review is None or briefed.currency is None:
        print(
            f"error: no snapshot falls in {chosen}. "
            f"Quarters with data: {', '.join(briefed.quarters)}.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    try:
        with use_currency(briefed.currency):
            pdf = briefing_pdf(review, narrative(review))
    except BriefingError as exc:
        print(f"error: {exc} Nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote the {chosen} briefing to {out}")
    return EXIT_OK


def _report_usage(args: argparse.Namespace) -> str | None:
    """What is wrong with the report's options, if anything (checked before the store)."""
    if args.format == "csv" and args.out is None and args.table is None:
        return (
            "--format csv writes one table to stdout: add --table "
            f"{'|'.join(TABLES)}, or --out DIR for all of them."
        )
    if args.format == "json" and args.table is not None:
        return "--table goes with --format csv (the JSON report holds every table)."
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        return f"--out {args.out} is a file; give a folder."
    return None


def _report(args: argparse.Namespace) -> int:
    from store import open_store

    problem = _report_usage(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args.db)
    report = report_as_of(store, args.as_of)
    if report is None:
        when = f" on or before {args.as_of.isoformat()}" if args.as_of else ""
        print(
            f"error: the store {store.name} has no snapshot{when}. "
            "Load one with `cockpit load` or `cockpit demo`.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if args.format == "json":
        _write_json(report.as_json(), args.out)
    else:
        _write_csv(report, args.table, args.out)
    return EXIT_OK


def _write_json(report: dict[str, object], out: Path | None) -> None:
    text = json.dumps(report, indent=2, allow_nan=False) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(text, encoding="utf-8")
    print(f"Wrote {out / 'report.json'}")


def _write_csv(report: Report, table: str | None, out: Path | None) -> None:
    """One table to stdout, or every table (or the one asked for) as files in `out`. Ids
    and names are any text: formula-like cells are made inert for spreadsheets."""
    builders = report.tables()
    names = [table] if table else list(TABLES)
    if out is None:  # _report_usage saw to it that one table was asked for
        sys.stdout.write(neutralise(builders[names[0]]()).write_csv())
        return
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        neutralise(builders[name]()).write_csv(out / f"{name}.csv")
    print(f"Wrote {', '.join(str(out / f'{name}.csv') for name in names)}")


def _briefing_command(args: argparse.Namespace) -> int:
    from store import open_store

    return _briefing(open_store(args.db), args.quarter, args.out)


def run(args: argparse.Namespace) -> int:
    """Run a parsed metrics command: a store error exits 1; stores are closed after."""
    from store import StoreError, close_all

    try:
        return args.handler(args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        close_all()


@pipe_safe
def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))
