"""One Jira sync: connect, find the fields, fetch (all or what changed), store in one go.

Nothing is written until everything has been fetched and parsed; then issues, status
history, the run record and the audit entry commit in one transaction. A sync that
stops leaves the issues as they were and records only that it failed, and why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from connectors.jira import cloud, datacenter
from connectors.jira.config import JiraConfig
from connectors.jira.errors import JiraConfigError, JiraError, JiraProtocolError
from connectors.jira.fields import FieldMap, discover
from connectors.jira.http import JiraHttp
from connectors.jira.jql import sync_jql
from connectors.jira.parse import StatusCatalog, frames
from connectors.jira.redact import redact
from domain.jira import SyncRun
from store import Store, StoreError

Progress = Callable[[str, int, int | None], None]
Waiting = Callable[[str], None]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _quiet(phase: str, done: int, total: int | None) -> None:
    """The default progress report: none."""


@dataclass(frozen=True)
class SyncResult:
    """What a sync did, for a summary line."""

    sync_id: int
    mode: str
    deployment: str
    n_issues: int
    n_changes: int
    n_requests: int
    seconds: float
    jql: str
    fields: FieldMap

    @property
    def message(self) -> str:
        return (
            f"Jira sync #{self.sync_id} ({self.mode}, {self.deployment}): "
            f"{self.n_issues} issue(s) and {self.n_changes} status change(s) saved "
            f"in {self.seconds:.1f} s with {self.n_requests} request(s)."
        )


def detect_deployment(http: JiraHttp) -> str:
    """cloud or datacenter, from serverInfo's deploymentType (Server/DataCenter/Cloud)."""
    info = http.get("/rest/api/2/serverInfo")
    kind = str((info or {}).get("deploymentType") or "") if isinstance(info, dict) else ""
    return "cloud" if kind.lower() == "cloud" else "datacenter"


def _statuses(http: JiraHttp, api: str) -> StatusCatalog:
    """Every status's category; a site that hides the list still has the issues' own."""
    catalog = StatusCatalog()
    try:
        listed = http.get(f"/rest/api/{api}/status")
    except JiraProtocolError:
        return catalog
    if isinstance(listed, list):
        catalog.add_statuses(listed)
    return catalog


def sync(
    store: Store,
    config: JiraConfig,
    *,
    full: bool = False,
    actor: str | None = None,
    progress: Progress | None = None,
    waiting: Waiting | None = None,
    http: JiraHttp | None = None,
) -> SyncResult:
    """Pull the configured JQL's issues into the store; incremental after a good sync.

    `progress` hears of each phase; `waiting`, before every retry, what the sync waits
    for and why (so an unreachable or busy Jira is never silence). Raises
    JiraConfigError for settings to fix, JiraError for anything Jira said or did; their
    messages never hold a token.
    """
    config.check()
    owned = http is None
    client = http or JiraHttp(config)
    if waiting is not None:
        client.on_wait = waiting
    try:
        return _sync(store, config, client, full, actor, progress or _quiet)
    finally:
        if owned:
            client.close()


def _sync(
    store: Store,
    config: JiraConfig,
    http: JiraHttp,
    full: bool,
    actor: str | None,
    report: Progress,
) -> SyncResult:
    started = _utcnow()
    clock = time.monotonic()
    deployment = config.deployment
    mode = "full"
    jql = config.jql or ""
    try:
        report("connecting", 0, None)
        if deployment == "auto":
            deployment = detect_deployment(http)
        http.use_deployment(deployment)
        if deployment == "cloud" and not (config.email and config.api_token):
            raise JiraConfigError(
                f"Jira at {config.display_url} is Cloud, which signs in with an e-mail and an "
                "API token: set JIRA_EMAIL and JIRA_API_TOKEN (email, api_token in [jira])."
            )
        api = "3" if deployment == "cloud" else "2"
        me = http.get(f"/rest/api/{api}/myself")
        time_zone = me.get("timeZone") if isinstance(me, dict) else None
        listed = http.get(f"/rest/api/{api}/field")
        fields = discover(
            listed if isinstance(listed, list) else [],
            config.story_points_field,
            config.epic_link_field,
        )
        statuses = _statuses(http, api)
        last = None if full else store.jira_last_success(config.display_url, config.jql or "")
        mode = "incremental" if last else "full"
        jql = sync_jql(config.jql or "", last[1] if last else None, time_zone)
        fetch = cloud.fetch if deployment == "cloud" else datacenter.fetch
        issue_columns, change_columns = fetch(http, jql, fields, report)
        report("saving", 0, None)
        result = frames(issue_columns, change_columns, statuses)
    except JiraError as exc:
        _record_failure(store, config, exc, started, mode, deployment, http, actor)
        raise type(exc)(redact(str(exc), config)) from None
    except (KeyError, TypeError, ValueError, AttributeError, pl.exceptions.PolarsError) as exc:
        error = JiraProtocolError(
            f"Jira's answer could not be read ({type(exc).__name__}: {exc}). Nothing was saved."
        )
        _record_failure(store, config, error, started, mode, deployment, http, actor)
        raise JiraProtocolError(redact(str(error), config)) from None
    run = SyncRun(
        started_at=started,
        finished_at=_utcnow(),
        mode=mode,
        deployment=deployment,
        url=config.display_url,
        user_name=http.user,
        jql=config.jql,
        watermark=started,
        n_issues=result.issues.height,
        n_changes=result.changes.height,
        n_requests=http.requests,
        ok=True,
        message=f"{result.issues.height} issue(s) with JQL: {jql}",
        actor=actor,
    )
    sync_id = store.commit_jira_sync(result, run, replace_all=mode == "full")
    report("done", 1, 1)
    return SyncResult(
        sync_id=sync_id,
        mode=mode,
        deployment=deployment,
        n_issues=run.n_issues,
        n_changes=run.n_changes,
        n_requests=http.requests,
        seconds=time.monotonic() - clock,
        jql=jql,
        fields=fields,
    )


def _record_failure(
    store: Store,
    config: JiraConfig,
    exc: Exception,
    started: dt.datetime,
    mode: str,
    deployment: str,
    http: JiraHttp,
    actor: str | None,
) -> None:
    """Note the failed run (never its data); a store that cannot even do that stays quiet."""
    run = SyncRun(
        started_at=started,
        finished_at=_utcnow(),
        mode=mode,
        deployment=deployment,
        url=config.display_url,
        user_name=http.user,
        jql=config.jql,
        watermark=None,
        n_issues=0,
        n_changes=0,
        n_requests=http.requests,
        ok=False,
        message=redact(str(exc), config),
        actor=actor,
    )
    with contextlib.suppress(StoreError):
        store.record_jira_failure(run)
