"""A portfolio whose every text is an attack: the demo with its names, sponsors,
objectives, portfolios, owners, KPIs, units and sources replaced by payloads that would
fetch from another host, render as markup, spoof the reading order, run as a formula or
break a chart, as a careless or hostile spreadsheet could hold them.

Loaded through the ordinary loader; what the loader refuses (it may refuse bidi controls
or formula-like text) is written through the Store API instead, as an older store may
hold it. The same texts go into the upload source, a saved mapping's name, the audit
log's actor and a failed Jira sync's message; the demo's Jira epics come along.
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl

from connectors.demo import demo_snapshots
from connectors.ingest import ingest
from connectors.jira.demo import load_demo_jira
from connectors.sheets.read import SourceFile
from domain.contract import BENEFITS, MEASUREMENTS, PROJECTS
from domain.jira import SyncRun
from domain.snapshot import SnapshotFrames
from store import Store

EVIL_HOST = "evil.example"  # does not resolve: a request to it is the bug, not a delay
IMAGE = f"![pixel](http://{EVIL_HOST}/pixel.png) Tracker"
LINK = f"[Open me](http://{EVIL_HOST}/phish) Phish"
IMG_TAG = f'<img src="http://{EVIL_HOST}/img.png"> Img tag'
ANCHOR = f'<a href="http://{EVIL_HOST}/a">Anchor</a> tag'
STYLE = "<style>body{display:none}</style> Blank"
LATEX = "$\\frac{a}{b}$ LaTeX $$x^2$$"
COLOUR = ":red[Alarm] :blue-background[Calm] :material/warning: icon"
BARE_URL = f"See http://{EVIL_HOST}/bare or www.{EVIL_HOST} or boss@{EVIL_HOST}"
BACKSLASH = "C:\\Users\\ops \\*stars\\* \\\\ share"
BIDI = "Invoice \u202egnp.exe\u202c and \u2066isolated\u2069"
HYPERLINK = f'=HYPERLINK("http://{EVIL_HOST}/f","Click")'
DDE = "=cmd|' /C calc'!A0"
ENTITY = "&lt;b&gt; &#x202E; entity"
BREAK = '# Heading\n- list "quoted" \\" end'

PAYLOADS = (
    IMAGE,
    LINK,
    IMG_TAG,
    ANCHOR,
    STYLE,
    LATEX,
    COLOUR,
    BARE_URL,
    BACKSLASH,
    BIDI,
    HYPERLINK,
    DDE,
    ENTITY,
    BREAK,
)
# Text columns of each table that a page shows, replaced value by value.
TEXT_COLUMNS = {
    "projects": ("name", "portfolio", "objective", "sponsor", "owner"),
    "benefits": ("kpi", "unit", "owner", "category"),
    "measurements": ("source",),
}
SOURCE = LINK
ACTOR = IMG_TAG
JIRA_ERROR = f"{IMAGE} 401: {ANCHOR} {STYLE}"


def hostile(column: str, index: int) -> str:
    """The index-th distinct value of a column: every payload, so whichever rows a page
    shows carry all of them, starting at a different one per value (formula-like text
    counts only at the start of a cell) and numbered so values stay distinct."""
    start = (index + sum(map(ord, column))) % len(PAYLOADS)
    return " ".join((*PAYLOADS[start:], *PAYLOADS[:start], str(index)))


def _replacements(snapshots: list[dict[str, pl.DataFrame]]) -> dict[str, dict[str, str]]:
    """Original value -> payload, per column, the same in every snapshot (a sponsor stays
    the same sponsor from quarter to quarter)."""
    mapping: dict[str, dict[str, str]] = {}
    for table, columns in TEXT_COLUMNS.items():
        for column in columns:
            values = pl.concat([s[table].get_column(column) for s in snapshots]).drop_nulls()
            distinct = sorted(set(values.to_list()) - {""})
            mapping[column] = {v: hostile(column, i) for i, v in enumerate(distinct)}
    return mapping


def _csv(frame: pl.DataFrame) -> bytes:
    return frame.write_csv().encode("utf-8")


def hostile_snapshots() -> list[tuple[dt.date, dict[str, pl.DataFrame]]]:
    """The demo's quarterly uploads with every shown text replaced (as text frames)."""
    raw = []
    for snapshot in demo_snapshots():
        frames = {}
        for file in snapshot.files:
            if file.name == "measurement_sources.csv":
                continue  # the hostile store holds the tables of the Store API below
            table = file.name.split("_", 1)[0].removesuffix(".csv")
            frames[table] = pl.read_csv(io.BytesIO(file.data), infer_schema=False)
        raw.append((snapshot.as_of, frames))
    mapping = _replacements([frames for _, frames in raw])
    out = []
    for as_of, frames in raw:
        changed = {
            table: frame.with_columns(
                pl.col(c).replace(mapping[c]) for c in TEXT_COLUMNS[table] if c in frame.columns
            )
            for table, frame in frames.items()
        }
        out.append((as_of, changed))
    return out


def _typed(frames: dict[str, pl.DataFrame]) -> SnapshotFrames:
    """The text frames as contract frames, for the Store API."""
    typed = []
    for table in (PROJECTS, BENEFITS, MEASUREMENTS):
        frame = frames[table.name]
        typed.append(
            frame.select(
                pl.col(c.name).cast(c.dtype, strict=True)
                if c.dtype != pl.Date()
                else pl.col(c.name).str.to_date()
                for c in table.columns
            )
        )
    return SnapshotFrames(*typed)


def load_hostile_portfolio(store: Store) -> list[str]:
    """Load the hostile portfolio, its source, actor, a mapping and a failed Jira sync;
    returns how each snapshot went in ("loader" or "store")."""
    how = []
    for as_of, frames in hostile_snapshots():
        files = [SourceFile(f"{t}.csv", _csv(f)) for t, f in frames.items()]
        outcome = ingest(store, files, as_of, source=SOURCE, actor=ACTOR)
        if outcome.commit is not None:
            how.append("loader")
            continue
        store.commit_snapshot(
            _typed(frames),
            as_of=as_of,
            content_hash=f"hostile-{as_of.isoformat()}",
            source=SOURCE,
            actor=ACTOR,
        )
        how.append("store")
    load_demo_jira(store)  # the demo's epics, so the Jira sections show hostile names too
    store.save_mapping(SOURCE, 'table = "projects"\n', ACTOR, {"columns": 1})
    now = dt.datetime(2026, 10, 1, 9, 0)
    store.record_jira_failure(
        SyncRun(
            started_at=now,
            finished_at=now,
            mode="full",
            deployment="cloud",
            url=f"https://{EVIL_HOST}",
            user_name=BIDI,
            jql=LATEX,
            watermark=None,
            n_issues=0,
            n_changes=0,
            n_requests=1,
            ok=False,
            message=JIRA_ERROR,
            actor=ACTOR,
        )
    )
    return how
