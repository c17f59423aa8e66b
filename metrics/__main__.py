"""`python -m metrics report|briefing`: the commands of cockpit/report_cli.py (an entry
point, like `cockpit`), kept under the name docs/design.md gives them."""

from cockpit.report_cli import main

raise SystemExit(main())
