"""`cockpit load|demo|jira-sync|measure|maintain-store|check-store|migrate-store` (also
`python -m connectors ...`): load spreadsheets, sync Jira, run the measurement sources,
load the demo, look after the store."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from connectors import store_cli
from connectors.ingest import ingest, saved_mapping, source_name
from connectors.sheets.limits import Limits, limits_from
from connectors.sheets.mapping import Mapping, MappingError, parse_mapping
from connectors.sheets.read import SourceFile, UnreadableFile, check_size
from domain.cli_args import Subcommands, iso_date
from domain.console import pipe_safe
from store import Store, StoreError, close_all, open_store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DB_HELP = "store path or URL (default: COCKPIT_DB or data/cockpit.sqlite)"


class UsageError(Exception):
    """The command line itself is wrong (exit 2)."""


def add_commands(sub: Subcommands) -> None:
    """The connector commands, for `cockpit` and `python -m connectors` alike."""
    load = sub.add_parser("load", help="validate and commit a snapshot from CSV/XLSX files")
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument("--as-of", required=True, type=iso_date, help="snapshot date, YYYY-MM-DD")
    load.add_argument("--db", help=DB_HELP)
    load.add_argument(
        "--source",
        help="a name for where the data came from; a mapping saved under it is applied",
    )
    load.add_argument(
        "--mapping",
        type=Path,
        metavar="MAPPING.toml",
        help="read the files through this column mapping (wins over a saved one)",
    )
    load.add_argument(
        "--save-mapping",
        action="store_true",
        help="after a successful load, save --mapping under the source name",
    )
    load.add_argument(
        "--currency",
        type=_currency_code,
        metavar="CODE",
        help="the currency of the amounts, recorded with the snapshot (default: as the "
        "files say, else not recorded and shown in the display currency)",
    )
    load.set_defaults(run=run, handler=_load)

    demo = sub.add_parser("demo", help="load the demo portfolio")
    demo.add_argument("--db", help=DB_HELP)
    demo.add_argument(
        "--if-empty", action="store_true", help="only when the store has no snapshot yet"
    )
    demo.add_argument(
        "--export",
        type=Path,
        metavar="DIR",
        help="also write each snapshot's files: DIR/2026-09-30/projects.csv, ...",
    )
    demo.set_defaults(run=run, handler=_demo)

    jira = sub.add_parser(
        "jira-sync",
        help="pull Jira issues into the store (incremental after the first good sync)",
        description="Settings: [jira] in .streamlit/secrets.toml, or JIRA_URL, JIRA_EMAIL, "
        "JIRA_API_TOKEN (Cloud) or JIRA_PAT (Data Center), JIRA_JQL.",
    )
    jira.add_argument("--db", help=DB_HELP)
    jira.add_argument("--full", action="store_true", help="fetch every issue, not only changes")
    jira.add_argument(
        "--secrets",
        type=Path,
        metavar="FILE",
        help="a secrets.toml with a [jira] table (default: Streamlit's usual places)",
    )
    jira.set_defaults(run=run, handler=_jira_sync)

    from connectors.measure.command import add_command

    add_command(sub, run, DB_HELP)
    store_cli.add_commands(sub, DB_HELP, run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m connectors", description=__doc__)
    add_commands(parser.add_subparsers(dest="command", required=True))
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a parsed connector command: a store error exits 1; stores are closed after."""
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


def _currency_code(text: str) -> str:
    """An argparse type for three-letter currency codes (GBP, usd)."""
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"{text!r} is not a currency code such as GBP or USD")
    return code


def _read_files(paths: list[Path], limits: Limits) -> tuple[list[SourceFile], list[str]]:
    """The files' bytes, or the reasons they cannot be used (usage errors first)."""
    files, problems = [], []
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path} does not exist or is not a file")
        try:
            check_size(path.name, path.stat().st_size, limits.max_file_bytes)
            files.append(SourceFile(path.name, path.read_bytes()))
        except UnreadableFile as exc:
            problems.append(str(exc))
        except OSError as exc:
            raise UsageError(f"{path} cannot be read ({exc.strerror or exc})") from None
    return files, problems


def _load(args: argparse.Namespace) -> int:
    limits = limits_from(os.environ.get("COCKPIT_MAX_UPLOAD_MB"))
    try:
        files, refused = _read_files(args.files, limits)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if refused:
        print("Refused: nothing was written.", file=sys.stderr)
        for reason in refused:
            print(f"  ERROR {reason}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        explicit = _mapping_file(args.mapping, args.save_mapping)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args.db)
    name = source_name(files, args.source)
    try:
        mapping = explicit or saved_mapping(store, name)
    except MappingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if mapping is not None:
        origin = args.mapping.name if explicit else f"the one saved for {name!r}"
        print(f"Mapping: {origin} ({mapping.table}).", file=sys.stderr)
    outcome = ingest(
        store,
        files,
        args.as_of,
        source=args.source,
        actor="cli",
        limits=limits,
        mapping=mapping,
        save_mapping=args.save_mapping,
        currency=args.currency,
    )
    result = outcome.result
    if outcome.commit is None:
        listed = len(result.errors)
        more = "" if result.n_errors <= listed else f" (the first {listed} listed)"
        print(
            f"Refused: {result.n_errors:,} error(s) found{more}; nothing was written.",
            file=sys.stderr,
        )
        print("By cause:", file=sys.stderr)
        for cause in result.causes:
            where = f" ({cause.file})" if cause.file else ""
            print(f"  {cause.severity.upper()} {cause.headline()}{where}", file=sys.stderr)
        print("Row by row:", file=sys.stderr)
        for problem in result.problems:
            print("  " + problem.line(), file=sys.stderr)
        if result.unlisted:
            print("  " + result.unlisted, file=sys.stderr)
        return EXIT_PROBLEMS
    print(outcome.commit.message)
    for table, count in outcome.commit.counts.items():
        print(f"  {table}: {count:,}")
    print(
        f"Amounts in {result.currency}."
        if result.currency
        else "No currency recorded: nothing in the files says which (--currency CODE does)."
    )
    if outcome.mapping_saved:
        print(f"The mapping is saved for {name!r}: the next load of that source uses it.")
    if result.n_warnings:
        print(f"{result.n_warnings:,} warning(s) (not blocking):")
    for problem in result.warnings:
        print("  " + problem.line())
    if result.unlisted:
        print("  " + result.unlisted)
    return EXIT_OK


def _mapping_file(path: Path | None, save: bool) -> Mapping | None:
    """The --mapping file, read and checked; a bad one is a usage error (exit 2)."""
    if path is None:
        if save:
            raise UsageError("--save-mapping needs --mapping MAPPING.toml")
        return None
    if not path.is_file():
        raise UsageError(f"{path} does not exist or is not a file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} cannot be read ({exc})") from None
    try:
        return parse_mapping(text, str(path))
    except MappingError as exc:
        raise UsageError(str(exc)) from None


def load_demo(store: Store, export: Path | None = None, actor: str = "demo") -> list[str]:
    """Load the eight demo snapshots through the ordinary loader, the demo's Jira issues
    through the sync's parser and store path (once: a store that has them keeps them as
    they are), and the latest quarter's monthly measurement runs over the demo's
    warehouse (written beside the store); returns summary lines. `export` gets each
    snapshot's files in a folder named after its date, named as a PMO lead would send them
    (projects.csv, ...)."""
    from connectors.demo import demo_portfolio
    from connectors.demo_warehouse import run_demo_measurements

    portfolio = demo_portfolio()
    lines = []
    for snapshot in portfolio.snapshots:
        if export:
            folder = export / snapshot.as_of.isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            for f in snapshot.files:
                (folder / f.name).write_bytes(f.data)
        outcome = ingest(store, snapshot.files, snapshot.as_of, source="demo", actor=actor)
        if outcome.commit is None:
            raise RuntimeError(
                "the demo failed validation: "
                + "; ".join(p.line() for p in outcome.result.errors[:5])
            )
        lines.append(outcome.commit.message)
    if export:
        lines.append(f"The demo's files are in {export}/<as-of date>/.")
    from connectors.jira.demo import load_demo_jira

    lines.append(load_demo_jira(store))
    lines.extend(run_demo_measurements(store, portfolio.warehouse, actor))
    return lines


def _demo(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    if args.if_empty and not store.is_empty():
        print(f"The store {store.name} already has data; the demo was not loaded.")
        return EXIT_OK
    for line in load_demo(store, args.export):
        print(line)
    return EXIT_OK


def _progress_printer() -> Callable[[str, int, int | None], None]:
    """Progress lines on stderr: each phase, and every tenth of the way through it."""
    last: dict[str, int] = {}

    def report(phase: str, done: int, total: int | None) -> None:
        step = (10 * done // total) if total else (0 if done == 0 else -1)
        if last.get(phase) == step or step < 0:
            return
        last[phase] = step
        amount = f" {done}/{total}" if total else ""
        print(f"jira: {phase}{amount}", file=sys.stderr, flush=True)

    return report


def _say_waiting(message: str) -> None:
    """Every retry, on stderr as it happens: what the sync waits for and why."""
    print(f"jira: {message}", file=sys.stderr, flush=True)


def _jira_sync(args: argparse.Namespace) -> int:
    from connectors.jira import JiraConfigError, JiraError, load_config, sync
    from connectors.jira.redact import redact

    try:
        config = load_config(args.secrets).check()
    except JiraConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args.db)
    try:
        result = sync(
            store,
            config,
            full=args.full,
            actor="cli",
            progress=_progress_printer(),
            waiting=_say_waiting,
        )
    except JiraConfigError as exc:
        print(f"error: {redact(str(exc), config)}", file=sys.stderr)
        return EXIT_USAGE
    except JiraError as exc:
        print(f"error: {redact(str(exc), config)}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(result.message)
    print(f"  JQL: {result.jql}")
    found = ", ".join(
        f"{name} = {value}"
        for name, value in (
            ("story points", " or ".join(result.fields.story_points)),
            ("epic link", result.fields.epic_link),
        )
        if value
    )
    print(f"  fields: {found or 'no story points or epic link field found'}")
    return EXIT_OK
