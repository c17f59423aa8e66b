"""Where the cockpit's own files live: the folder it runs from and its data folder. Every
layer may need them (the store's default location, Jira's settings file, the demo's
warehouse), so they are declared here, below all of them."""

from __future__ import annotations

from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = APP_ROOT / "data"
