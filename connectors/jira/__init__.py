"""Jira Cloud and Data Center -> validated frames -> the store, incremental and rate-limit aware.

Small modules with one job each: `config` (settings), `http` (auth, retries, errors),
`fields` (custom field discovery), `jql` (incremental queries), `cloud` and
`datacenter` (paging), `parse` (JSON -> frames), `sync` (the whole run), `demo`.
"""

from connectors.jira.config import JiraConfig, config_from, load_config
from connectors.jira.errors import (
    JiraAuthError,
    JiraConfigError,
    JiraError,
    JiraProtocolError,
    JiraQueryError,
    JiraUnavailableError,
)
from connectors.jira.sync import SyncResult, sync

__all__ = [
    "JiraAuthError",
    "JiraConfig",
    "JiraConfigError",
    "JiraError",
    "JiraProtocolError",
    "JiraQueryError",
    "JiraUnavailableError",
    "SyncResult",
    "config_from",
    "load_config",
    "sync",
]
