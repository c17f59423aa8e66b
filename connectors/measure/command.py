"""`cockpit measure` (also `python -m connectors measure`): run the due measurement sources
and commit their values, one transaction per run.

Exit 0 when every source run gave a value (or none was due), 1 when a source failed (the
others' values are committed; each failure is printed and recorded) or the store failed,
2 when the command line or the settings are wrong (it says which). Scheduling is the
platform's: cron, a systemd timer or a Kubernetes CronJob runs this (README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from connectors.jira import JiraConfigError, load_config
from connectors.measure.connections import SourceConfigError, load_connections
from connectors.measure.run import run_due
from domain.cli_args import Subcommands, iso_date
from store import open_store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_command(sub: Subcommands, run: Any, db_help: str) -> None:
    measure = sub.add_parser(
        "measure",
        help="run the due measurement sources and commit their values",
        description="Runs each benefit's measurement source that is due (never measured, "
        "its query changed, or its schedule's period passed since its last value) and "
        "commits the values in one transaction. Connections: [sources.NAME] in "
        ".streamlit/secrets.toml, or COCKPIT_SOURCE_NAME_URL (_PASSWORD, _TOKEN); jira "
        "sources use [jira].",
    )
    measure.add_argument(
        "--as-of", type=iso_date, help="the measurement date, YYYY-MM-DD (default: today)"
    )
    measure.add_argument(
        "--benefit",
        action="append",
        metavar="ID",
        help="run this benefit's source, due or not (repeatable)",
    )
    measure.add_argument("--db", help=db_help)
    measure.add_argument(
        "--secrets",
        type=Path,
        metavar="FILE",
        help="a secrets.toml with [sources.NAME] (and [jira]) tables (default: Streamlit's "
        "usual places)",
    )
    measure.set_defaults(run=run, handler=measure_command)


def _say(result: dict[str, Any]) -> None:
    where = result["connection"] or result["kind"]
    if result["error"] is None:
        print(f"  {result['benefit_id']} ({result['kind']}, {where}): {result['raw_result']}")
    else:
        print(
            f"  {result['benefit_id']} ({result['kind']}, {where}): FAILED: {result['error']}",
            file=sys.stderr,
        )


def measure_command(args: argparse.Namespace) -> int:
    try:
        connections = load_connections(args.secrets)
        jira = load_config(args.secrets)
    except (SourceConfigError, JiraConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args.db)
    if args.benefit:
        known = set(store.measurement_sources()["benefit_id"].to_list())
        unknown = [b for b in args.benefit if b not in known]
        if unknown:
            print(
                f"error: no measurement source for {', '.join(unknown)} (the benefits with "
                "one are in the measurement_sources table of an upload).",
                file=sys.stderr,
            )
            return EXIT_USAGE
    run, commit = run_due(
        store,
        connections,
        jira if jira.base_url else None,
        as_of=args.as_of,
        benefit_ids=args.benefit,
        actor="cli",
        progress=_say,
    )
    if commit is None:
        print(f"No measurement source is due as of {run.as_of.isoformat()}; nothing to run.")
        return EXIT_OK
    print(commit.message)
    return EXIT_PROBLEMS if commit.n_failed else EXIT_OK
