"""Helpers for Jira tests: a configuration for a fake site, and a clock that never waits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from connectors.jira.config import JiraConfig
from connectors.jira.http import JiraHttp
from connectors.jira.retry import RetryPolicy
from tests.support.fake_jira import Served

JQL = "project in (PAY, WEB) ORDER BY key ASC"


def config_for(served: Served, **overrides: Any) -> JiraConfig:
    """Credentials that the fake site accepts (PAT for Data Center, e-mail + token else)."""
    app = served.app
    values: dict[str, Any] = {"url": served.url, "jql": JQL, "retry_cap_seconds": 5.0}
    if app.deployment == "cloud":
        values.update(email=app.email, api_token=app.api_token)
    else:
        values.update(pat=app.pat)
    values.update(overrides)
    return JiraConfig(**values)


class FakeClock:
    """Injected time: `sleep` records the wait and moves the clock instead of waiting."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.t = 0.0
        self.start = start or dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def clock(self) -> float:
        return self.t

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.t)


def quick_http(
    config: JiraConfig, clock: FakeClock | None = None, cap: float = 30.0, base: float = 0.5
) -> JiraHttp:
    """A client whose retry waits are recorded by a FakeClock instead of slept."""
    clock = clock or FakeClock()
    return JiraHttp(
        config,
        policy=RetryPolicy(base=base, max_delay=8.0, cap=cap),
        sleep=clock.sleep,
        clock=clock.clock,
        now=clock.now,
    )
