"""`cockpit maintain-store|check-store|migrate-store` (also `python -m connectors ...`):
looking after the store itself. Each is a writer like a load: it takes its turn with the app and
every other command (docs/store.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from domain.cli_args import Subcommands
from store import Store, StoreError, open_store
from store.core import Database
from store.location import resolve_url
from store.maintenance import DEFAULT_KEEP, maintain
from store.repair import check_store, repair_store
from store.transfer import TargetNotEmptyError, migrate_store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
ACTOR = "cli"


def add_commands(sub: Subcommands, db_help: str, run: object) -> None:
    """The store commands; `run` is the connectors' runner (store errors exit 1)."""
    maintain_cmd = sub.add_parser(
        "maintain-store",
        help="compact the store's files and drop old history (DuckLake stores)",
        description="DuckLake's maintenance as one writer: expire "
        "DuckLake snapshots older than the window, merge small files, delete files out of "
        "use for longer than the window. Safe while the app and other commands run. Run it "
        "daily or weekly (README: Run at scale).",
    )
    maintain_cmd.add_argument("--db", help=db_help)
    maintain_cmd.add_argument(
        "--keep-days",
        type=_days,
        default=DEFAULT_KEEP.total_seconds() / 86_400,
        metavar="DAYS",
        help="keep this much DuckLake history (time travel), and files out of use for less "
        "than this; no read may last longer (default: %(default)g)",
    )
    maintain_cmd.set_defaults(run=run, handler=_maintain)

    check = sub.add_parser(
        "check-store",
        help="find (and with --repair fix) snapshots sharing an id and dates with two "
        "active snapshots",
        description="Stores written by concurrent writers before version 2 may hold two "
        "snapshots under one id, or two active snapshots for one date. Exit 0 when none "
        "is found (or all were repaired), 1 otherwise.",
    )
    check.add_argument("--db", help=db_help)
    check.add_argument(
        "--repair",
        action="store_true",
        help="fix them in one transaction: fresh ids for the later snapshots of an id, the "
        "newest snapshot of a date active (others superseded, restorable); audited",
    )
    check.set_defaults(run=run, handler=_check_store)

    migrate = sub.add_parser(
        "migrate-store",
        help="copy the whole store into a new, empty one (e.g. DuckLake on PostgreSQL)",
        description="Every snapshot, measurement, setting, mapping, Jira issue and audit "
        "entry, ids and order kept, in one transaction. The target must be empty; the "
        "source is not changed. Then point COCKPIT_DB at the target.",
    )
    migrate.add_argument(
        "--db", help="the store to copy (default: COCKPIT_DB or data/cockpit.sqlite)"
    )
    migrate.add_argument("--to", required=True, metavar="URL", help="the new store's path or URL")
    migrate.add_argument(
        "--data",
        metavar="PATH",
        help="where the new lake keeps its data files: a folder or s3://bucket/prefix "
        "(default: COCKPIT_LAKE_DATA; the S3 settings are COCKPIT_S3_* or [store])",
    )
    migrate.set_defaults(run=run, handler=_migrate_store)


def _days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        days = -1.0
    if not days >= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days (0 or more)")
    return days


def _maintain(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    if not store.db.location.is_lake:
        print(
            f"{store.name} is a DuckDB file: nothing to maintain (DuckDB reuses its free space "
            "itself)."
        )
        return EXIT_OK
    result = maintain(store.db, dt.timedelta(days=args.keep_days), actor=ACTOR)
    for line in result.lines(store.name):
        print(line)
    return EXIT_OK


def _check_store(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    if args.repair:
        found, done = repair_store(store.db, actor=ACTOR)
    else:
        found, done = check_store(store.db), None
    if found.ok:
        print(f"{store.name}: no snapshot id held twice, no date with two active snapshots.")
        return EXIT_OK
    print(f"{store.name}: found")
    for line in found.lines():
        print(f"  {line}")
    if done is None:
        print("Nothing was changed. `check-store --repair` fixes them (one transaction, audited).")
        return EXIT_PROBLEMS
    print("Repaired (one transaction, in the audit log as `repair`):")
    for line in done.lines():
        print(f"  {line}")
    left = [d for d in found.duplicate_ids if not d.splittable]
    if left:
        print(
            f"{len(left)} id(s) left as they were: delete the snapshots under them and load "
            "their files again.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def _migrate_store(args: argparse.Namespace) -> int:
    source, target = resolve_url(args.db), resolve_url(args.to)
    if source == target:
        print("error: --to names the store being copied; give a new store.", file=sys.stderr)
        return EXIT_USAGE
    from_store = open_store(source)
    to_store = Store(Database(target, data_path=args.data))
    try:
        counts = migrate_store(from_store.db, to_store.db, actor=ACTOR)
    except TargetNotEmptyError:
        raise StoreError(
            f"The store {to_store.name} already holds data; nothing was copied. "
            "migrate-store copies into a new, empty store."
        ) from None
    finally:
        to_store.db.close()
    print(f"Copied {from_store.name} into {to_store.name} (one transaction):")
    for table, count in counts.items():
        print(f"  {table}: {count:,}")
    print("The source is unchanged. Point COCKPIT_DB (or --db) at the new store to use it.")
    return EXIT_OK
