"""Server time of every page and the landing page's load time in Chromium.

    python -m bench.pages [--db PATH] [--runs 5] [--no-browser | --browser-only] [--out F]

Without --db it measures the demo portfolio in bench/work/demo.duckdb, loading the demo
there first when that file is missing.

Server time is one run of the page's script under Streamlit's AppTest (app.py, the
shared filters and the page), cold (caches cleared) and warm (the same view again), plus
the Overview after a filter change (a filter value not seen before, the evaluated
snapshot already cached). The browser part serves the app and a one-chart Streamlit page
(bench/one_chart.py) and times both in turn, in headless Chromium, from navigation until
the script's last message arrived and until every chart is drawn, no element is a grey
placeholder and the app is idle; the landing page's ratio to the one-chart page is the
figure to watch. With --db bench/work/enterprise.duckdb (`make bench` builds it) it
measures the enterprise portfolio. Figures go to stdout and bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
ONE_CHART = ROOT / "bench" / "one_chart.py"
RESULTS = ROOT / "bench" / "results.json"
DEMO_DB = ROOT / "bench" / "work" / "demo.duckdb"
PAGES = {
    "overview": (None, {}),
    "outcomes": ("views/outcomes.py", {}),
    "delivery": ("views/delivery.py", {}),
    "project": ("views/project.py", {"project": "CX-142"}),
}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _app(page: str | None, params: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    if page:
        at.switch_page(page)
    return at


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def server_times(runs: int) -> dict[str, dict[str, float]]:
    """Per page: cold and warm script-run time in ms (median over `runs` runs)."""
    _app(None, {}).run()  # imports and the first connection, paid once per server
    out: dict[str, dict[str, float]] = {}
    for name, (page, params) in PAGES.items():
        cold, warm = [], []
        for _ in range(runs):
            _clear_caches()
            at = _app(page, params)
            cold.append(_timed(at.run))
            assert not at.exception, at.exception
            warm.append(_timed(at.run))
        out[name] = {
            "cold_ms": _ms(statistics.median(cold)),
            "warm_ms": _ms(statistics.median(warm)),
        }
    return out


def filter_change_times() -> dict[str, float]:
    """The Overview re-rendered after picking a filter value it has not shown yet."""
    at = _app(None, {})
    at.run()
    values = [v for v in at.multiselect(key="portfolio").options]
    times = []
    for value in values:
        at.multiselect(key="portfolio").set_value([value])
        times.append(_timed(at.run))
        assert not at.exception, at.exception
    at.multiselect(key="portfolio").set_value([])
    again = _timed(at.run)
    return {
        "filter_change_median_ms": _ms(statistics.median(times)),
        "filter_change_max_ms": _ms(max(times)),
        "filter_changes": len(times),
        "back_to_a_seen_view_ms": _ms(again),
    }


ALL_DRAWN = """(n) => {
    const charts = document.querySelectorAll("[data-testid='stVegaLiteChart']");
    const drawn = document.querySelectorAll(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg");
    const busy = document.querySelector("[data-testid='stStatusWidget']");
    const placeholders = document.querySelector("[data-testid='stSkeleton']");
    return charts.length >= n && drawn.length >= charts.length && !busy && !placeholders;
}"""


def _load(context, url: str, charts: int) -> tuple[float, float]:
    """Seconds from navigation until the script's last message arrived (it finished) and
    until every chart is drawn, no element is a grey placeholder and the app is idle."""
    tab = context.new_page()
    arrivals: list[float] = []
    try:
        start = time.perf_counter()
        tab.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda _: arrivals.append(time.perf_counter())),
        )
        tab.goto(url)
        tab.wait_for_function(ALL_DRAWN, arg=charts, timeout=120000, polling=20)
        drawn = time.perf_counter()
        return max(arrivals, default=drawn) - start, drawn - start
    finally:
        tab.close()


def browser_times(db: str, runs: int) -> dict[str, float]:
    """Median load times of the landing page and of the one-chart page (warm servers, the
    two measured in turn in the same run): a first visit (a fresh browser profile:
    Streamlit's scripts are downloaded and compiled) and a repeat visit (the browser has
    them cached); for each, when the script finished and when every chart was drawn."""
    from playwright.sync_api import sync_playwright

    from store import close_all
    from tests.support.streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    _clear_caches()
    close_all()  # DuckDB lets one process hold the file: hand it to the servers
    app = StreamlitServer(APP, db, cwd=Path("/"))
    yardstick = StreamlitServer(ONE_CHART, db, cwd=Path("/"))
    pages = (("landing_page", app, 3), ("one_chart_page", yardstick, 1))
    viewport = {"width": 1280, "height": 720}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                times: dict[str, list[tuple[float, float]]] = {}
                contexts = {name: browser.new_context(viewport=viewport) for name, *_ in pages}
                for name, server, charts in pages:  # warm the servers, fill the caches
                    _load(contexts[name], server.url, charts)
                for _ in range(runs):  # interleaved: both pages see the same machine load
                    for name, server, charts in pages:
                        fresh = browser.new_context(viewport=viewport)
                        times.setdefault(f"{name}_first_visit", []).append(
                            _load(fresh, server.url, charts)
                        )
                        fresh.close()
                        times.setdefault(f"{name}_repeat_visit", []).append(
                            _load(contexts[name], server.url, charts)
                        )
                results: dict[str, float] = {}
                for name, loads in times.items():
                    results[f"{name}_script_ms"] = _ms(statistics.median(t[0] for t in loads))
                    results[f"{name}_ms"] = _ms(statistics.median(t[1] for t in loads))
                for visit in ("first_visit", "repeat_visit"):
                    results[f"ratio_{visit}"] = round(
                        results[f"landing_page_{visit}_ms"] / results[f"one_chart_page_{visit}_ms"],
                        2,
                    )
                return results
            finally:
                browser.close()
    finally:
        app.stop()
        yardstick.stop()


def demo_store(path: Path) -> Path:
    """The demo portfolio's store at `path`; loaded there first when the file is missing."""
    if not path.exists():
        from connectors.cli import load_demo
        from store import close_all, open_store

        print(f"Loading the demo portfolio into {path} …", file=sys.stderr, flush=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        load_demo(open_store(str(path)))
        close_all()
    return path


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest outside a server logs noise
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument(
        "--db",
        help="a store (path or URL) with the demo portfolio "
        "(default: bench/work/demo.duckdb, made if missing)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (their median)")
    parser.add_argument("--no-browser", action="store_true", help="server times only")
    parser.add_argument("--browser-only", action="store_true", help="browser load times only")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    from store.location import resolve_url

    db = args.db if args.db is not None else str(demo_store(DEMO_DB))
    os.environ["COCKPIT_DB"] = resolve_url(db)

    results: dict[str, object] = {"db": db}
    if not args.browser_only:
        pages = server_times(args.runs)
        print(f"Server time per page script run (AppTest, median of {args.runs}), ms")
        print(f"{'page':<12}{'cold':>10}{'warm':>10}")
        for name, row in pages.items():
            print(f"{name:<12}{row['cold_ms']:>10.1f}{row['warm_ms']:>10.1f}")
        change = filter_change_times()
        print(
            f"\nOverview after a filter change: median {change['filter_change_median_ms']:.1f} "
            f"ms, slowest {change['filter_change_max_ms']:.1f} ms over "
            f"{change['filter_changes']} portfolios; back to a view seen before "
            f"{change['back_to_a_seen_view_ms']:.1f} ms"
        )
        results.update({"pages": pages, "overview_filter_change": change})
    if not args.no_browser:
        loads = browser_times(os.environ["COCKPIT_DB"], args.runs)
        print(f"\nBrowser load in headless Chromium (warm server, median of {args.runs}), ms")
        print("script: its last message arrived; drawn: every chart drawn, none a placeholder")
        print(f"{'':<28}{'first visit':>24}{'repeat visit':>24}")
        print(f"{'':<28}{'script':>12}{'drawn':>12}{'script':>12}{'drawn':>12}")
        for name, label in (
            ("landing_page", "landing page (Overview)"),
            ("one_chart_page", "one-chart Streamlit page"),
        ):
            row = [
                loads[f"{name}_{visit}{part}_ms"]
                for visit in ("first_visit", "repeat_visit")
                for part in ("_script", "")
            ]
            print(f"{label:<28}" + "".join(f"{v:>12.1f}" for v in row))
        print(
            f"{'landing / one chart (drawn)':<28}{loads['ratio_first_visit']:>24.2f}"
            f"{loads['ratio_repeat_visit']:>24.2f}"
        )
        results["browser"] = loads
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
