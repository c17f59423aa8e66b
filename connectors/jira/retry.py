"""When to try a request again: exponential backoff with jitter, never sooner than Retry-After."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from dataclasses import dataclass

# Jira Cloud answers 429 when rate limited and 503 when busy; gateways add 502/504.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff for one request: `base * 2**attempt` seconds (at most `max_delay`), the upper
    half jittered so that many clients do not retry in step, and never sooner than the
    server's Retry-After. A request is given up once retrying would take it past `cap`
    seconds from its first attempt."""

    base: float = 1.0
    max_delay: float = 60.0
    cap: float = 300.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        ceiling = min(self.max_delay, self.base * (2**attempt))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        wait = self.backoff(attempt, rng)
        return max(wait, retry_after) if retry_after is not None else wait


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())
