"""The Data page's Jira section: is Jira configured, what did the last syncs do, sync now.

Layout only: the configuration comes from connectors.jira.config (here through
st.secrets), the work from connectors.jira.sync. The token is never shown.
"""

from __future__ import annotations

import os
from typing import Any

import polars as pl
import streamlit as st

from connectors.jira import JiraConfig, JiraError, config_from, sync
from connectors.jira.redact import redact, redacted_column
from store import StoreError
from ui.cache import store
from ui.shell.access import current_access
from ui.shell.app_secrets import app_secrets
from ui.shell.identity import actor_name
from ui.widgets.tables import show_table
from ui.widgets.text import md

# Where each phase of a sync sits on the progress bar.
PHASES: dict[str, tuple[float, float, str]] = {
    "connecting": (0.0, 0.05, "Connecting to Jira"),
    "issues": (0.05, 0.65, "Fetching issues"),
    "changelog": (0.65, 0.95, "Fetching status history"),
    "saving": (0.95, 0.99, "Saving"),
    "done": (1.0, 1.0, "Done"),
}
MODES = ("Incremental", "Full")
OUTCOME_KEY = "jira_sync_outcome"


def _secrets_section() -> dict[str, Any]:
    """`[jira]` from the app's secrets; {} when there is no secrets file or no such table."""
    section = app_secrets().get("jira")
    return dict(section) if isinstance(section, dict) else {}


def app_config() -> JiraConfig:
    """The app's Jira settings: [jira] in st.secrets, JIRA_* variables winning."""
    return config_from(_secrets_section(), os.environ)


class SyncProgress:
    """A running sync's progress bar: each phase moves it; before each retry, its text
    says what the sync waits for and why (Jira's words are escaped)."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.value = 0.0

    def report(self, phase: str, done: int, total: int | None) -> None:
        start, end, label = PHASES.get(phase, (0.0, 0.0, phase))
        share = min(done / total, 1.0) if total else 0.0
        amount = f" ({done:,} of {total:,})" if total and phase in ("issues", "changelog") else ""
        self.value = start + (end - start) * share
        self.bar.progress(self.value, text=f"{label}{amount}…")

    def waiting(self, message: str) -> None:
        self.bar.progress(self.value, text=md(message))


def _show_config(config: JiraConfig) -> bool:
    """Show what is configured; True when a sync can run."""
    problems = config.problems()
    if problems:
        st.info(
            "**Jira is not configured yet.** Add a `[jira]` table to `.streamlit/secrets.toml` "
            "(see `secrets.toml.example`) or set `JIRA_URL`, `JIRA_EMAIL` + `JIRA_API_TOKEN` "
            "(Cloud) or `JIRA_PAT` (Data Center), and `JIRA_JQL`.",
            icon=":material/link_off:",
        )
        st.markdown("\n".join(f"- {md(p)}" for p in problems))
        return False
    shown = {k: md(v) for k, v in config.describe().items()}
    st.markdown(
        f"**Site:** {shown['url']}  \n**Signed in as:** {shown['user']}  \n"
        f"**Deployment:** {shown['deployment']}  \n**Issues:** {shown['jql']}"
    )
    return True


def _show_runs(runs: pl.DataFrame, config: JiraConfig) -> None:
    if runs.height == 0:
        st.caption("No sync yet.")
        return
    table = runs.select(
        pl.col("started_at").alias("Started (UTC)"),
        pl.col("mode").alias("Mode"),
        pl.when(pl.col("ok")).then(pl.lit("ok")).otherwise(pl.lit("failed")).alias("Result"),
        pl.col("n_issues").alias("Issues"),
        pl.col("n_changes").alias("Status changes"),
        pl.col("actor").alias("By"),
        redacted_column("message", config).alias("Message"),
    )
    show_table(table, hide_index=True, width="stretch")


def render_jira_panel() -> None:
    """Configuration status, the last syncs, and a Sync now button with progress."""
    st.subheader("Jira")
    _show_outcome()
    config = app_config()
    current = store()
    ready = _show_config(config)
    _show_runs(current.jira_sync_runs(limit=5), config)
    if not current_access().can_edit:
        st.caption("Only editors can run a sync.")
        return
    mode = st.radio(
        "What to fetch",
        MODES,
        horizontal=True,
        key="jira_sync_mode",
        help="Incremental asks only for issues updated since the last good sync; "
        "Full fetches every issue the JQL selects again.",
        disabled=not ready,
    )
    if not st.button("Sync now", key="jira_sync_now", disabled=not ready, type="primary"):
        return
    shown = SyncProgress(st.progress(0.0, text="Connecting to Jira…"))
    try:
        result = sync(
            current,
            config,
            full=mode == "Full",
            actor=actor_name(),
            progress=shown.report,
            waiting=shown.waiting,
        )
    except (JiraError, StoreError) as exc:
        st.session_state[OUTCOME_KEY] = ("error", redact(str(exc), config))
    else:
        st.session_state[OUTCOME_KEY] = ("success", result.message)
    st.rerun()  # show the new run in the table above


def _show_outcome() -> None:
    """The result of the sync that just ran (kept across the rerun that follows it)."""
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if outcome is None:
        return
    kind, message = outcome  # Jira's own words can be in it: text, not Markdown
    if kind == "success":
        st.success(md(message), icon=":material/check_circle:")
    else:
        st.error(md(message), icon=":material/error:")
