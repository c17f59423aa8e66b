"""Talking to Jira: authentication, JSON in and out, retries, and errors a user can act on.

Everything that goes over the wire passes here, so this is also where secrets are kept
out of messages: every error text is redacted (connectors.jira.redact) before it is cut
short or raised.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase, HTTPBasicAuth

from connectors.jira.config import JiraConfig
from connectors.jira.errors import (
    JiraAuthError,
    JiraError,
    JiraProtocolError,
    JiraQueryError,
    JiraUnavailableError,
)
from connectors.jira.redact import REDACTED, redact
from connectors.jira.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after

USER_AGENT = "outcomes-cockpit-jira-sync"
SNIPPET = 300  # characters of a non-JSON error body quoted in a message
OS_ERROR = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


def _quiet(message: str) -> None:
    """The default for waits: nobody to tell."""


class BearerAuth(AuthBase):
    """A Data Center personal access token, sent as `Authorization: Bearer`."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(<token>)"


class _QuietBasicAuth(HTTPBasicAuth):
    def __repr__(self) -> str:
        return "BasicAuth(<e-mail>, <token>)"


def _error_text(response: requests.Response, config: JiraConfig) -> str:
    """Jira's own words from an error body: errorMessages and errors, else a short snippet;
    redacted first, so that a cut cannot leave part of an echoed credential."""
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        body = None
    if isinstance(body, dict):
        parts = [str(m) for m in body.get("errorMessages") or [] if m]
        errors = body.get("errors") or {}
        if isinstance(errors, dict):
            parts += [f"{k}: {v}" for k, v in errors.items()]
        if body.get("message"):
            parts.append(str(body["message"]))
        if parts:
            return redact(" ".join(parts), config)
    return _shorten(redact(response.text.strip().replace("\n", " "), config))


def _shorten(text: str, limit: int = SNIPPET) -> str:
    """At most `limit` characters and "...", never cutting a [redacted] in two."""
    if len(text) <= limit:
        return text
    marker = text.find(REDACTED, limit - len(REDACTED) + 1)
    end = marker + len(REDACTED) if 0 <= marker < limit else limit
    return text[:end] + "..."


class JiraHttp:
    """One Jira site: JSON requests with retries; counts what it asked for.

    `sleep`, `clock` and `now` are injectable so that tests can see every wait without
    waiting; each thread gets its own `requests.Session` (connections are reused).
    Before each wait, `on_wait` gets a sentence saying what it waits for and why.
    """

    def __init__(
        self,
        config: JiraConfig,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        rng: random.Random | None = None,
        on_wait: Callable[[str], None] = _quiet,
    ) -> None:
        self.config = config
        self.on_wait = on_wait
        self.base = config.display_url  # never a user:password@ pasted into the URL
        self.policy = policy or RetryPolicy(cap=config.retry_cap_seconds)
        self._sleep, self._clock, self._now = sleep, clock, now
        self._rng = rng or random.Random()
        self._local = threading.local()
        self._lock = threading.Lock()
        self.requests = 0
        self._sessions: list[requests.Session] = []
        self.deployment = config.deployment
        self._auth: AuthBase | None = None
        self.use_deployment(config.deployment)

    # Authentication -----------------------------------------------------------------
    def use_deployment(self, deployment: str) -> None:
        """Sign in as this deployment expects (Cloud: basic; Data Center: bearer PAT)."""
        self.deployment = deployment
        cfg = self.config
        if cfg.uses_pat(deployment):
            self._auth = BearerAuth(cfg.pat or "")
        elif cfg.email and cfg.api_token:
            self._auth = _QuietBasicAuth(cfg.email, cfg.api_token)
        else:
            self._auth = None

    @property
    def user(self) -> str:
        return self.config.user_label(self.deployment)

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
            session.mount("http://", HTTPAdapter(pool_connections=2, pool_maxsize=8))
            session.mount("https://", HTTPAdapter(pool_connections=2, pool_maxsize=8))
            session.trust_env = True
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        session.auth = self._auth
        return session

    def close(self) -> None:
        """Close the connections of every thread's session."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    # Requests -----------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        return self.request("POST", path, body=body)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """The parsed JSON answer; retries 429/5xx and lost connections within the cap."""
        try:
            return self._request(method, path, params, body)
        except JiraError as exc:
            raise type(exc)(redact(str(exc), self.config)) from None

    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
    ) -> Any:
        url = self.base + path
        data = orjson.dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else None
        started = self._clock()
        attempt = 0
        while True:
            retry_after: float | None = None
            with self._lock:
                self.requests += 1
            try:
                response = self._session().request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    timeout=(self.config.connect_timeout_seconds, self.config.timeout_seconds),
                    allow_redirects=False,  # a POST must not silently become a GET
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = self._no_answer(exc)
            except requests.RequestException as exc:
                raise JiraError(
                    f"The request to Jira at {self.config.display_url} failed: "
                    f"{type(exc).__name__}. Check the URL."
                ) from None
            else:
                if response.status_code not in RETRY_STATUSES:
                    return self._answer(response, path)
                retry_after = parse_retry_after(response.headers.get("Retry-After"), self._now())
                reason = f"HTTP {response.status_code}"
                if response.status_code == 429:
                    reason += " (rate limited)"
                if retry_after is not None:
                    reason += f", asked to wait {retry_after:g} s (Retry-After)"
            delay = self.policy.delay(attempt, retry_after, self._rng)
            elapsed = self._clock() - started
            where = f"Jira at {self.config.display_url}, {method} {path}"
            if elapsed + delay > self.policy.cap:
                raise JiraUnavailableError(
                    f"{where}: {reason}. Gave up after {attempt + 1} attempt(s) over "
                    f"{elapsed:.0f} s (retry_cap_seconds = {self.policy.cap:g}). Nothing was "
                    "saved; try again later."
                )
            self.on_wait(
                redact(
                    f"{where}: {reason}; waiting {delay:.1f} s before attempt {attempt + 2} "
                    f"(giving up {self.policy.cap:g} s after the first)",
                    self.config,
                )
            )
            self._sleep(delay)
            attempt += 1

    def _no_answer(self, exc: requests.RequestException) -> str:
        """Why no answer came, in words: no connection in time, none at all, or no answer."""
        if isinstance(exc, requests.ConnectTimeout):
            return f"no connection within {self.config.connect_timeout_seconds:g} s"
        if isinstance(exc, requests.Timeout):
            return f"no answer within {self.config.timeout_seconds:g} s"
        cause = OS_ERROR.search(str(exc))
        return f"no connection ({cause.group(1).strip() if cause else type(exc).__name__})"

    def _answer(self, response: requests.Response, path: str) -> Any:
        code = response.status_code
        where = self.config.display_url
        if 200 <= code < 300:
            if code == 204 or not response.content:
                return None
            try:
                return orjson.loads(response.content)
            except orjson.JSONDecodeError:
                kind = response.headers.get("Content-Type", "no content type")
                raise JiraProtocolError(
                    f"Jira at {where} answered {path} with something that is not JSON ({kind}). "
                    "Is the URL the Jira site itself (not a sign-in page or a proxy)?"
                ) from None
        if 300 <= code < 400:
            target = urlsplit(response.headers.get("Location", ""))
            moved = urlunsplit(
                (target.scheme, target.netloc.rpartition("@")[2], target.path, "", "")
            )
            raise JiraProtocolError(
                f"Jira at {where} redirects {path} (HTTP {code}) to {moved or 'elsewhere'}. "
                "Set JIRA_URL (url in [jira]) to the address Jira answers on itself."
            )
        if code in (401, 403):
            hint = (
                "Check JIRA_PAT (pat): it may be wrong, expired or revoked."
                if self.config.uses_pat(self.deployment)
                else "Check JIRA_EMAIL and JIRA_API_TOKEN (email, api_token): the token may "
                "be wrong, expired or revoked."
            )
            if code == 403:
                hint += " If they are right, the account may lack permission for this."
                if "AUTHENTICATION_DENIED" in response.headers.get("X-Seraph-LoginReason", ""):
                    hint += (
                        " Jira asks for a CAPTCHA after failed logins: sign in once in a browser."
                    )
            raise JiraAuthError(
                f"Jira refused the credentials for {self.user} at {where} (HTTP {code}). {hint}"
            )
        if code == 400:
            raise JiraQueryError(
                f"Jira rejected the request to {path}: {_error_text(response, self.config)}"
            )
        if code == 410:
            raise JiraProtocolError(
                f"Jira at {where} answered 410 Gone for {path}. Atlassian removed the old "
                "/rest/api/3/search endpoint; a 410 here means an old proxy or gateway in "
                "front of Jira (or an old endpoint URL) still sends requests there. Point "
                "JIRA_URL at the Jira site itself."
            )
        if code == 404:
            raise JiraProtocolError(
                f"Jira at {where} has no {path} (HTTP 404). Check the URL, and the deployment "
                f"setting (now {self.deployment}): Cloud and Data Center speak different APIs."
            )
        raise JiraError(
            f"Jira at {where} answered HTTP {code} to {path}: {_error_text(response, self.config)}"
        )
