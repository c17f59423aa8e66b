"""A local Jira that speaks the REST protocol the sync uses, for tests and the benchmark.

Cloud: POST (and GET) /rest/api/3/search/jql with nextPageToken, approximate-count,
changelog/bulkfetch, and 410 Gone for the removed /rest/api/{2,3}/search. Data Center:
GET /rest/api/2/search with startAt, a page-size cap, expand=changelog. Both: serverInfo,
myself, field, status, and the faults a real site produces (scripted per path: 429 with
Retry-After, 503, 401, 400, ...). It checks credentials like Jira does and records every
request (time, path, parameters, body) so that tests assert behaviour, not timings. With
`echo_headers`, every error body quotes the request's Authorization header, as careless
servers and proxies do (a fault body marks where with {authorization}, or URL-encoded with
{authorization_url}).

Rendering is cached per issue and field selection, so pages of a 50,000-issue site are
joined from ready-made JSON fragments; the server is threaded.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, quote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

import orjson

from tests.support.jira_data import (
    DEFAULT_IDS,
    FieldIds,
    IssueSpec,
    field_list,
    histories,
    issue_json,
    status_list,
)

CLOUD_401 = b"Client must be authenticated to access this resource."
REMOVED = {
    "errorMessages": [
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql "
        "API. A full migration guideline is available at "
        "https://developer.atlassian.com/changelog/#CHANGE-2046"
    ],
    "errors": {},
}
BAD_JQL = (
    "Error in the JQL Query: The character '!' is a reserved JQL character. You must "
    "enclose it in a string or use the escape '\\u0021' instead. (line 1, character 14)"
)
UPDATED_SINCE = re.compile(r'updated\s*>=\s*"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})"')
ISSUE_TYPE = re.compile(r'issuetype\s*=\s*"?(\w+)"?', re.IGNORECASE)  # e.g. issuetype = Bug
STATUS_TEXT = {
    200: "OK",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Fault:
    """One scripted answer that replaces the normal one."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = b""


@dataclass(frozen=True)
class Recorded:
    at: float
    method: str
    path: str
    params: dict[str, list[str]]
    body: Any
    auth: str


class _BadJql(Exception):
    pass


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(token: str) -> int:
    padded = token + "=" * (-len(token) % 4)
    return int(base64.urlsafe_b64decode(padded).decode().split(":")[1])


def _echo(payload: Any, auth: str) -> Any:
    """An error body that quotes the request's Authorization header: where the body marks
    it ({authorization}, {authorization_url}), else added as Jira adds error messages."""
    said = f"Request headers: Authorization: {auth}; logged as ?authorization={quote(auth)}"
    if isinstance(payload, dict):
        return {**payload, "errorMessages": [*(payload.get("errorMessages") or []), said]}
    text = payload.decode() if isinstance(payload, bytes) else str(payload)
    if "{authorization" in text:
        text = text.replace("{authorization_url}", quote(auth, safe=""))
        text = text.replace("{authorization}", auth)
    else:
        text = f"{text} {said}"
    return text.encode() if isinstance(payload, bytes) else text


class FakeJira:
    """The WSGI app. Issues come from IssueSpecs; everything else is configurable."""

    def __init__(
        self,
        specs: Iterable[IssueSpec] = (),
        *,
        deployment: str = "cloud",
        email: str = "pmo.lead@example.com",
        api_token: str = "ATATT3xFfGF0-cloud-token-Sup3rSecret",
        pat: str = "NjQ0MzA3-dc-pat-Sup3rSecret",
        ids: FieldIds = DEFAULT_IDS,
        time_zone: str = "Europe/Berlin",
        search_cap: int = 100,
        id_cap: int = 5000,
        dc_page_cap: int = 50,
        changelog_cap: int = 1000,
        epoch_changelog: bool = False,
        dc_changelog_limit: int | None = None,
        record_bodies: bool = True,
        echo_headers: bool = False,
    ) -> None:
        self.specs = list(specs)
        self.deployment = deployment
        self.email, self.api_token, self.pat = email, api_token, pat
        self.ids = ids
        self.time_zone = time_zone
        self.search_cap, self.id_cap = search_cap, id_cap
        self.dc_page_cap, self.changelog_cap = dc_page_cap, changelog_cap
        self.epoch_changelog = epoch_changelog
        self.dc_changelog_limit = dc_changelog_limit
        self.record_bodies = record_bodies
        self.echo_headers = echo_headers
        self.base_url = "http://127.0.0.1"
        self.faults: dict[str, deque[Fault]] = {}
        self.repeat_token = False
        self.log: list[Recorded] = []
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._issues: list[dict[str, Any]] | None = None
        self._rendered: dict[tuple[str, ...], list[bytes]] = {}
        self._histories: dict[str, list[tuple[dict[str, Any], bytes]]] = {}
        self._selected: dict[str, list[int]] = {}
        self._flat_cache: dict[tuple[tuple[str, ...], frozenset[str]], list[tuple[str, bytes]]] = {}

    # Set-up ---------------------------------------------------------------------------
    def set_specs(self, specs: Iterable[IssueSpec]) -> None:
        """Replace the site's issues (e.g. some were edited between two syncs)."""
        with self._lock:
            self.specs = list(specs)
            self._issues = None
            self._rendered.clear()
            self._histories.clear()
            self._selected.clear()
            self._flat_cache.clear()

    def fail(self, path: str, *faults: Fault) -> None:
        """The next requests to `path` get these answers, in order."""
        with self._lock:
            self.faults.setdefault(path, deque()).extend(faults)

    def requests_to(self, path: str) -> list[Recorded]:
        return [r for r in self.log if r.path == path]

    def prepare(self, *selections: tuple[str, ...]) -> None:
        """Build and pre-render the issues (for these field selections) and histories, so
        that a benchmark times the client, not the first rendering."""
        self._all_issues()
        for fields in selections:
            self._render(tuple(fields))
        self._history_index()

    def _all_issues(self) -> list[dict[str, Any]]:
        if self._issues is None:
            self._issues = [issue_json(s, self.base_url, self.ids) for s in self.specs]
        return self._issues

    def _render(self, fields: tuple[str, ...], changelog: bool = False) -> list[bytes]:
        """Each issue's JSON with only `fields` (all for *all), cached per selection."""
        key = (*fields, "+changelog" if changelog else "")
        cached = self._rendered.get(key)
        if cached is not None:
            return cached
        everything = "*all" in fields or "*navigable" in fields
        out = []
        for issue, spec in zip(self._all_issues(), self.specs, strict=True):
            chosen = (
                issue["fields"]
                if everything
                else {k: v for k, v in issue["fields"].items() if k in fields}
            )
            doc = {**issue, "fields": chosen}
            if changelog:
                hist = histories(spec)
                if self.dc_changelog_limit is not None:
                    shown = hist[: self.dc_changelog_limit]
                else:
                    shown = hist
                doc["changelog"] = {
                    "startAt": 0,
                    "maxResults": len(shown),
                    "total": len(hist),
                    "histories": shown,
                }
            out.append(orjson.dumps(doc))
        self._rendered[key] = out
        return out

    def _history_index(self) -> dict[str, list[tuple[dict[str, Any], bytes]]]:
        if not self._histories:
            for spec in self.specs:
                self._histories[spec.issue_id] = [
                    (h, orjson.dumps(h)) for h in histories(spec, epoch=self.epoch_changelog)
                ]
        return self._histories

    def _select(self, jql: str) -> list[int]:
        """Indices of the issues a JQL selects: a tiny subset of JQL (`updated >= "..."`,
        `issuetype = X`), enough for syncs and measurement counts."""
        cached = self._selected.get(jql)
        if cached is not None:
            return cached
        if "!!" in jql:
            raise _BadJql(BAD_JQL)
        chosen = list(range(len(self.specs)))
        match = UPDATED_SINCE.search(jql)
        if match:
            local = dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M")
            since = local.replace(tzinfo=ZoneInfo(self.time_zone))
            chosen = [i for i in chosen if self.specs[i].updated >= since]
        kind = ISSUE_TYPE.search(jql)
        if kind:
            chosen = [
                i for i in chosen if self.specs[i].issue_type.lower() == kind.group(1).lower()
            ]
        self._selected[jql] = chosen
        return chosen

    # WSGI -----------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            body = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            body = None
        auth = environ.get("HTTP_AUTHORIZATION", "")
        with self._lock:
            self.counts[path] += 1
            self.log.append(
                Recorded(
                    time.monotonic(),
                    method,
                    path,
                    params,
                    body if self.record_bodies else None,
                    auth.split(" ")[0].lower(),
                )
            )
            queued = self.faults.get(path)
            fault = queued.popleft() if queued else None
        if fault is not None:
            status, payload, headers = fault.status, fault.body, fault.headers
        else:
            try:
                status, payload, headers = self._route(method, path, params, body, auth)
            except _BadJql as exc:
                status, payload, headers = 400, {"errorMessages": [str(exc)], "errors": {}}, {}
        if self.echo_headers and status >= 400:
            payload = _echo(payload, auth)
        return self._send(start_response, status, payload, headers)

    def _send(
        self, start_response: Any, status: int, payload: Any, headers: dict[str, str]
    ) -> list[bytes]:
        if isinstance(payload, bytes):
            data = payload
            kind = "application/json" if data[:1] in (b"{", b"[") else "text/plain"
        elif isinstance(payload, str):
            data, kind = payload.encode(), "text/html"
        else:
            data, kind = orjson.dumps(payload), "application/json"
        out = [("Content-Type", f"{kind};charset=UTF-8"), ("Content-Length", str(len(data)))]
        out += list(headers.items())
        start_response(f"{status} {STATUS_TEXT.get(status, 'Status')}", out)
        return [data]

    def _authorised(self, auth: str) -> bool:
        if self.deployment == "cloud":
            expected = base64.b64encode(f"{self.email}:{self.api_token}".encode()).decode()
            return auth == f"Basic {expected}"
        return auth == f"Bearer {self.pat}"

    def _route(
        self, method: str, path: str, params: dict[str, list[str]], body: Any, auth: str
    ) -> tuple[int, Any, dict[str, str]]:
        cloud = self.deployment == "cloud"
        if path == "/_fake/stats":
            return 200, dict(self.counts), {}
        if path == "/_fake/reset":
            with self._lock:
                self.counts.clear()
                self.log.clear()
            return 200, {}, {}
        if path in ("/rest/api/2/serverInfo", "/rest/api/3/serverInfo"):
            return 200, self._server_info(), {}
        if not self._authorised(auth):
            return 401, CLOUD_401, {"WWW-Authenticate": 'Basic realm="protected-area"'}
        version = path[len("/rest/api/") : len("/rest/api/") + 1]
        if version not in ("2", "3") or (version == "3" and not cloud):
            return 404, {"errorMessages": ["Not found"]}, {}
        rest = path[len("/rest/api/2") :]
        if rest == "/myself":
            return 200, self._myself(), {}
        if rest == "/field":
            return 200, field_list(self.ids), {}
        if rest == "/status":
            return 200, status_list(), {}
        if cloud and rest == "/search/jql":
            return self._search_jql(method, params, body)
        if cloud and rest == "/search/approximate-count" and method == "POST":
            return 200, {"count": len(self._select(str((body or {}).get("jql", ""))))}, {}
        if cloud and rest == "/changelog/bulkfetch" and method == "POST":
            return self._bulkfetch(body or {})
        if rest == "/search":
            if cloud:
                return 410, REMOVED, {}
            return self._dc_search(params)
        if not cloud and rest.startswith("/issue/"):
            return self._dc_issue(rest.split("/")[2])
        return 404, {"errorMessages": [f"No such resource: {path}"]}, {}

    def _server_info(self) -> dict[str, Any]:
        if self.deployment == "cloud":
            return {
                "baseUrl": self.base_url,
                "version": "1001.0.0-SNAPSHOT",
                "versionNumbers": [1001, 0, 0],
                "deploymentType": "Cloud",
                "buildNumber": 100289,
                "serverTitle": "Jira",
            }
        return {
            "baseUrl": self.base_url,
            "version": "9.12.2",
            "versionNumbers": [9, 12, 2],
            "deploymentType": "Server",
            "buildNumber": 9120002,
            "serverTitle": "Jira DC",
        }

    def _myself(self) -> dict[str, Any]:
        return {
            "self": f"{self.base_url}/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5",
            "accountId": "5b10ac8d82e05b22cc7d4ef5",
            "emailAddress": self.email,
            "displayName": "PMO Lead",
            "active": True,
            "timeZone": self.time_zone,
            "locale": "en_GB",
            "accountType": "atlassian",
        }

    def _search_jql(
        self, method: str, params: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        if method == "POST":
            query = body or {}
            fields = query.get("fields") or ["*navigable"]
            jql = str(query.get("jql", ""))
            asked = int(query.get("maxResults") or 50)
            token = query.get("nextPageToken")
        else:
            fields = [f for value in params.get("fields", []) for f in value.split(",") if f]
            fields = fields or ["*navigable"]
            jql = params.get("jql", [""])[0]
            asked = int(params.get("maxResults", ["50"])[0])
            token = params.get("nextPageToken", [None])[0]
        chosen = self._select(jql)
        only_ids = set(fields) <= {"id", "key"}
        size = max(1, min(asked, self.id_cap if only_ids else self.search_cap))
        start = _offset(token) if token else 0
        page = chosen[start : start + size]
        rendered = self._render(tuple(fields))
        end = start + len(page)
        last = end >= len(chosen)
        issues = b",".join(rendered[i] for i in page)
        tail = (
            b'"isLast":true'
            if last
            else b'"isLast":false,"nextPageToken":'
            + orjson.dumps(_token(size if self.repeat_token else end))
        )
        return 200, b'{"issues":[' + issues + b"]," + tail + b"}", {}

    def _bulkfetch(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        wanted = [str(i) for i in body.get("issueIdsOrKeys") or []]
        if not wanted or len(wanted) > 1000:
            return (
                400,
                {"errorMessages": ["issueIdsOrKeys must hold 1 to 1000 issues."], "errors": {}},
                {},
            )
        field_ids = frozenset(body.get("fieldIds") or [])
        flat = self._flat_histories(tuple(wanted), field_ids)
        size = min(int(body.get("maxResults") or 1000), self.changelog_cap)
        token = body.get("nextPageToken")
        start = _offset(token) if token else 0
        page = flat[start : start + size]
        groups: list[bytes] = []
        current: str | None = None
        bucket: list[bytes] = []
        for issue_id, rendered in page:
            if issue_id != current and bucket:
                groups.append(self._group(current, bucket))
                bucket = []
            current = issue_id
            bucket.append(rendered)
        if bucket:
            groups.append(self._group(current, bucket))
        end = start + len(page)
        out = b'{"issueChangeLogs":[' + b",".join(groups) + b"]"
        if end < len(flat):
            out += b',"nextPageToken":' + orjson.dumps(_token(size if self.repeat_token else end))
        return 200, out + b"}", {}

    def _flat_histories(
        self, wanted: tuple[str, ...], field_ids: frozenset[str]
    ) -> list[tuple[str, bytes]]:
        """(issue id, rendered history) of the asked issues, cached while it is paged."""
        key = (wanted, field_ids)
        cached = self._flat_cache.get(key)
        if cached is not None:
            return cached
        index = self._history_index()
        flat: list[tuple[str, bytes]] = []
        for issue_id in wanted:
            for history, rendered in index.get(issue_id, ()):
                if field_ids and not any(i.get("fieldId") in field_ids for i in history["items"]):
                    continue
                flat.append((issue_id, rendered))
        with self._lock:
            if len(self._flat_cache) > 16:
                self._flat_cache.clear()
            self._flat_cache[key] = flat
        return flat

    @staticmethod
    def _group(issue_id: str | None, rendered: list[bytes]) -> bytes:
        return (
            b'{"issueId":'
            + orjson.dumps(issue_id)
            + b',"changeHistories":['
            + b",".join(rendered)
            + b"]}"
        )

    def _dc_search(self, params: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        jql = params.get("jql", [""])[0]
        chosen = self._select(jql)
        start = int(params.get("startAt", ["0"])[0])
        asked = int(params.get("maxResults", ["50"])[0])
        size = max(1, min(asked, self.dc_page_cap))
        fields = tuple(f for v in params.get("fields", []) for f in v.split(",") if f) or (
            "*navigable",
        )
        with_changelog = "changelog" in params.get("expand", [""])[0]
        rendered = self._render(fields, with_changelog)
        page = chosen[start : start + size]
        head = orjson.dumps(
            {"expand": "schema,names", "startAt": start, "maxResults": size, "total": len(chosen)}
        )[:-1]
        return 200, head + b',"issues":[' + b",".join(rendered[i] for i in page) + b"]}", {}

    def _dc_issue(self, issue_id: str) -> tuple[int, Any, dict[str, str]]:
        for spec in self.specs:
            if spec.issue_id == issue_id or spec.key == issue_id:
                hist = histories(spec)
                issue = issue_json(spec, self.base_url, self.ids)
                issue["changelog"] = {
                    "startAt": 0,
                    "maxResults": len(hist),
                    "total": len(hist),
                    "histories": hist,
                }
                return 200, issue, {}
        return 404, {"errorMessages": ["Issue does not exist or you do not have permission."]}, {}


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""


@dataclass
class Served:
    """A running fake Jira: its base URL, the app, and how to stop it."""

    url: str
    app: FakeJira
    server: WSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(app: FakeJira, host: str = "127.0.0.1", port: int = 0) -> Served:
    """Start the app on a free local port in a background thread."""
    server = make_server(
        host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    url = f"http://{host}:{server.server_port}"
    app.base_url = url
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-jira", daemon=True
    )
    thread.start()
    return Served(url, app, server, thread)
