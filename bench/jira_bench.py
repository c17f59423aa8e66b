"""Time a whole Jira sync of 50,000 issues against the `jira` library's search alone.

    python -m bench.jira_bench [--issues 50000] [--page-cap 100] [--peer-fields same|all]
                               [--repeat 2] [--json] [--out FILE]

A local fake Jira Cloud (tests/support/fake_jira.py) serves the issues with their
changelogs from a separate process (so it does not compete with the timed client for
the GIL), threaded, with every page pre-rendered. Like Jira Cloud, it returns at most
`--page-cap` issues a page when fields are asked for (100 by default, as Cloud does).

- ours: `connectors.jira.sync` end to end: serverInfo, fields, statuses, approximate
  count, every search page, changelog bulkfetch in batches of 1,000, parse, and one
  DuckDB transaction (a fresh store each time).
- peer: `jira.JIRA.enhanced_search_issues(jql, maxResults=False, fields=...)`, the
  library's way to fetch every issue (100 a page), search only, no changelog, no store.
  `--peer-fields same` gives it our explicit field list (its best effort); `all` its
  default of every field.

Figures: best of `--repeat` runs; requests as counted by the server.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

JQL = "project = GEN ORDER BY created ASC"


def _serve(issues: int, page_cap: int, peer_all: bool, conn: Any) -> None:
    """The fake Jira's process: build, pre-render, serve until told to stop."""
    from connectors.jira.fields import BASE_FIELDS
    from tests.support.fake_jira import FakeJira, serve
    from tests.support.jira_data import DEFAULT_IDS, generated

    specs = generated(issues)
    app = FakeJira(specs, search_cap=page_cap, record_bodies=False)
    ours = (*BASE_FIELDS, DEFAULT_IDS.story_points, DEFAULT_IDS.epic_link)
    app.prepare(ours, *([("*all",)] if peer_all else []))
    served = serve(app)
    conn.send(
        {
            "url": served.url,
            "email": app.email,
            "token": app.api_token,
            "changes": sum(len(s.moves) for s in specs),
        }
    )
    conn.recv()  # any message: stop
    served.stop()


def _stats(url: str) -> dict[str, int]:
    counts = requests.get(f"{url}/_fake/stats", timeout=30).json()
    return {k: v for k, v in counts.items() if not k.startswith("/_fake")}


def _reset(url: str) -> None:
    requests.get(f"{url}/_fake/reset", timeout=30)


def _ours(site: dict[str, Any]) -> tuple[float, dict[str, int], int, int]:
    from connectors.jira import JiraConfig, sync
    from store import close_all, open_store

    config = JiraConfig(
        url=site["url"],
        email=site["email"],
        api_token=site["token"],
        jql=JQL,
        deployment="auto",
    )
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "bench.duckdb"))
        _reset(site["url"])
        started = time.perf_counter()
        result = sync(store, config, full=True, actor="bench")
        seconds = time.perf_counter() - started
        close_all()
    return seconds, _stats(site["url"]), result.n_issues, result.n_changes


def _peer(site: dict[str, Any], fields: list[str] | None) -> tuple[float, dict[str, int], int]:
    from jira import JIRA

    client = JIRA(server=site["url"], basic_auth=(site["email"], site["token"]))
    _reset(site["url"])
    started = time.perf_counter()
    if fields is None:
        issues = client.enhanced_search_issues(JQL, maxResults=False)
    else:
        issues = client.enhanced_search_issues(JQL, maxResults=False, fields=list(fields))
    seconds = time.perf_counter() - started
    client.close()
    return seconds, _stats(site["url"]), len(issues)


def _best(runs: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return min(runs, key=lambda r: r[0])


def run(issues: int, page_cap: int, peer_fields: str, repeat: int) -> dict[str, Any]:
    """Start the server, time both clients, return the figures."""
    from connectors.jira.fields import BASE_FIELDS
    from tests.support.jira_data import DEFAULT_IDS

    context = mp.get_context("spawn")
    parent, child = context.Pipe()
    server = context.Process(
        target=_serve, args=(issues, page_cap, peer_fields == "all", child), daemon=True
    )
    server.start()
    try:
        deadline = time.monotonic() + 120
        while not parent.poll(0.2):
            if not server.is_alive() or time.monotonic() > deadline:  # its error is above
                raise RuntimeError("the fake Jira server did not start")
        site = parent.recv()
        ours = _best([_ours(site) for _ in range(repeat)])
        fields = None
        if peer_fields == "same":
            fields = [*BASE_FIELDS, DEFAULT_IDS.story_points, DEFAULT_IDS.epic_link]
        peer = _best([_peer(site, fields) for _ in range(repeat)])
    finally:
        parent.send("stop")
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()
    from importlib.metadata import version

    return {
        "issues": issues,
        "status_changes": site["changes"],
        "page_cap": page_cap,
        "repeat": repeat,
        "ours": {
            "what": "whole sync: search + changelog bulkfetch + parse + DuckDB commit",
            "seconds": round(ours[0], 3),
            "requests": sum(ours[1].values()),
            "requests_by_path": ours[1],
            "issues": ours[2],
            "status_changes": ours[3],
        },
        "peer": {
            "what": f"jira {version('jira')} enhanced_search_issues(maxResults=False), "
            f"fields: {'ours' if peer_fields == 'same' else 'library default (all)'}; "
            "search only",
            "seconds": round(peer[0], 3),
            "requests": sum(peer[1].values()),
            "requests_by_path": peer[1],
            "issues": peer[2],
        },
        "speedup": round(peer[0] / ours[0], 2) if ours[0] else None,
    }


def _print(figures: dict[str, Any]) -> None:
    ours, peer = figures["ours"], figures["peer"]
    print(
        f"Jira sync benchmark: {figures['issues']:,} issues, {figures['status_changes']:,} "
        f"status changes, local fake Jira Cloud (page cap {figures['page_cap']}), "
        f"best of {figures['repeat']}"
    )
    print(
        f"  ours  {ours['seconds']:8.2f} s  {ours['requests']:5d} requests  "
        f"({ours['what']}; {ours['issues']:,} issues, {ours['status_changes']:,} changes)"
    )
    print(
        f"  peer  {peer['seconds']:8.2f} s  {peer['requests']:5d} requests  "
        f"({peer['what']}; {peer['issues']:,} issues)"
    )
    print(f"  ours is {figures['speedup']}x the peer's speed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.jira_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--issues", type=int, default=50_000)
    parser.add_argument("--page-cap", type=int, default=100)
    parser.add_argument("--peer-fields", choices=("same", "all"), default="same")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--out", type=Path, help="also write the JSON figures to this file")
    args = parser.parse_args(argv)
    figures = run(args.issues, args.page_cap, args.peer_fields, max(1, args.repeat))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        _print(figures)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
