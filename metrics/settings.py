"""The tolerances of docs/metrics.md (defined in domain so the store can persist them)."""

from domain.settings import SETTING_HELP, Settings

__all__ = ["SETTING_HELP", "Settings"]
