"""`cockpit load|demo|jira-sync|measure|report|briefing|maintain-store|check-store|
migrate-store`: the product's one command.

Installed into the virtualenv by `make` (`[project.scripts]` in pyproject.toml), so
it runs from any folder; `python -m cockpit` is the same. Each package keeps its own
commands (connectors: loading data; cockpit.report_cli: reading figures) and adds them here.
"""

from __future__ import annotations

import argparse

from cockpit import report_cli as metrics_cli
from connectors import cli as connectors_cli
from domain.console import pipe_safe

# In the order `cockpit --help` lists them.
COMMAND_MODULES = (connectors_cli, metrics_cli)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cockpit",
        description="Outcomes cockpit: load portfolio snapshots, sync Jira, run the "
        "measurement sources, report the figures, write the quarterly briefing. "
        "`cockpit COMMAND --help` says more.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_commands(sub)
    return parser


@pipe_safe
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
