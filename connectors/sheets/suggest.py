"""A first mapping for an unknown export, from its headers and what its cells look like.

Each contract column is filled from, in turn: a header the loader already knows (its
name or an alias); a header whose words hint at it and whose cells fit its kind; for
RAG and status, cells that read as such whatever the header. A date column gets the
format that reads most of its cells, a money column the currency its cells show and the
unit its header names (`£m`) or its small amounts betray (connectors/sheets/units.py); a
money header never fills scope, and cost words fill money columns. An optional column
whose unreadable cells are all sentences (freedom-of-information exemptions, "Not
provided") is read with those cells left empty. A project id with no column of its own
is made from the name.

Only the first rows are profiled: a suggestion is a starting point the user reviews.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import polars as pl

from connectors.sheets.headers import column_for, match_columns, normalise, recognise
from connectors.sheets.mapped import canonical, readable
from connectors.sheets.mapping import CURRENCY_SYMBOLS, NUMERIC, Mapping, Rule
from connectors.sheets.read import RawTable
from connectors.sheets.traps import repeated_header_rows
from connectors.sheets.units import header_unit, money_header, money_unit, typical_amount
from connectors.sheets.values import parse_date, parse_number, parse_rag, parse_status
from domain.contract import TABLES, Column, Table

PROFILE_ROWS = 2000
SHORT = 40  # longer cells are read as text only
FITS = 0.6  # share of a column's filled cells that must read as the kind

DATE_FORMATS = (
    "%d.%m.%y",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%b %d, %Y",
)

# Words in a header that hint at a contract column (beyond the loader's aliases).
HINTS: dict[str, dict[str, tuple[str, ...]]] = {
    "projects": {
        "project_id": ("id", "number", "code", "ref", "reference"),
        "name": ("name", "title"),
        "portfolio": ("portfolio", "programme", "program", "department", "directorate", "division"),
        "objective": ("objective", "goal", "theme", "strategic"),
        "sponsor": ("sponsor", "sro"),
        "owner": ("owner", "manager", "lead"),
        "start_date": ("start", "begin", "commence"),
        "baseline_end": ("end", "finish", "completion", "due"),
        "forecast_end": ("forecast", "expected", "projected"),
        "actual_end": ("actual",),
        "budget": ("budget", "baseline", "bac", "approved", "planned", "cost"),
        "actual_cost": ("actual", "actuals", "spend", "spent", "outturn"),
        "forecast_cost": ("forecast", "eac", "estimate", "projected"),
        "scope_planned": ("planned", "scope"),
        "scope_delivered": ("delivered", "done"),
    },
    "benefits": {
        "benefit_id": ("benefit", "id"),
        "project_id": ("project",),
        "kpi": ("kpi", "metric", "measure", "indicator"),
        "baseline": ("baseline",),
        "target": ("target",),
        "start_date": ("start",),
        "target_date": ("target", "due", "by"),
        "planned_value": ("value", "worth"),
        "owner": ("owner",),
        "category": ("category", "type"),
    },
    "measurements": {
        "benefit_id": ("benefit", "id"),
        "measured_at": ("date", "measured", "as_at", "period"),
        "value": ("value", "actual", "measured"),
        "source": ("source",),
    },
}
# Words that make a hint stronger: a budget word beats a baseline word.
STRONG = {"budget", "forecast", "actual", "start", "end", "name", "kpi", "target"}

# Words that say a header is not an amount of cost, whatever its cells: a variance, a share,
# the benefits a project promises.
NOT_A_COST = {"variance", "percent", "pct", "ratio", "index", "benefit", "benefits", "savings"}
# Words that say an amount or a date is an estimate, not what happened (`Projected/Actual`).
ESTIMATE = {"forecast", "projected", "expected", "estimate", "estimated", "eac"}


@dataclass(frozen=True)
class Profile:
    """What one column's first cells look like."""

    header: str
    filled: int
    distinct: int
    dates: int
    numbers: int
    rags: int
    statuses: int
    mean_length: float
    currency: str | None
    typical: float | None = None  # the median non-zero amount, when the cells are numbers

    def share(self, count: int) -> float:
        return count / self.filled if self.filled else 0.0


def _cells(header: str) -> pl.Expr:
    text = pl.col(header).cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def profile(table: RawTable) -> dict[str, Profile]:
    """Counts per header over the first rows, in one pass."""
    # Trimmed cells first, so each reader below works on a column, not on an expression.
    # Short cells apart: dates, amounts and ratings are never long, narratives are.
    frame = table.frame.head(PROFILE_ROWS).select(
        _cells(h).alias(str(i)) for i, h in enumerate(table.headers)
    )
    frame = frame.with_columns(
        pl.when(pl.col(c).str.len_chars() <= SHORT).then(pl.col(c)).alias(f"s{c}")
        for c in frame.columns
    )
    symbols = "|".join(re.escape(s) for s in CURRENCY_SYMBOLS)
    exprs = []
    for i in range(len(table.headers)):
        cell, short = pl.col(str(i)), pl.col(f"s{i}")
        exprs += [
            cell.count().alias(f"{i}f"),
            cell.drop_nulls().n_unique().alias(f"{i}d"),
            (parse_date(short).is_not_null() | _dated(short)).sum().alias(f"{i}t"),
            parse_number(short).is_not_null().sum().alias(f"{i}n"),
            parse_rag(short).is_not_null().sum().alias(f"{i}r"),
            parse_status(short).is_not_null().and_(short.is_not_null()).sum().alias(f"{i}s"),
            cell.str.len_chars().mean().alias(f"{i}l"),
            short.str.extract(f"({symbols})").drop_nulls().mode().first().alias(f"{i}c"),
            typical_amount(short).alias(f"{i}m"),
        ]
    if not exprs:
        return {}
    row = frame.select(exprs).row(0, named=True)
    return {
        h: Profile(
            h,
            row[f"{i}f"],
            row[f"{i}d"],
            row[f"{i}t"],
            row[f"{i}n"],
            row[f"{i}r"],
            row[f"{i}s"],
            row[f"{i}l"] or 0.0,
            CURRENCY_SYMBOLS.get(row[f"{i}c"]) if row[f"{i}c"] else None,
            row[f"{i}m"],
        )
        for i, h in enumerate(table.headers)
    }


def _dated(cell: pl.Expr) -> pl.Expr:
    return pl.any_horizontal(
        [cell.str.strptime(pl.Date, f, strict=False).dt.year() >= 1000 for f in DATE_FORMATS]
    ).fill_null(False)


def _fits(column: Column, p: Profile) -> bool:
    if p.filled == 0:
        return False
    if column.name.startswith("scope_") and money_header(p.header):
        return False  # `Planned Cost ($ M)` is money, never deliverables or points
    if column.kind == "date":
        return p.share(p.dates) >= FITS
    if column.kind in NUMERIC:
        return p.share(p.numbers) >= FITS and p.share(p.dates) < FITS
    if column.kind == "rag":
        return p.share(p.rags) >= FITS
    if column.kind == "status":
        return p.share(p.statuses) >= FITS
    # text: not mostly numbers or dates
    return p.share(p.numbers) < FITS and p.share(p.dates) < FITS


def _score(table: str, column: Column, header: str) -> int:
    words = set(normalise(header).split("_"))
    if column.kind == "money" and (words & NOT_A_COST or "%" in header):
        return 0
    if column.name.startswith("actual_") and words & ESTIMATE:
        return 0  # `Projected/Actual Cost` is an estimate at completion
    hints = HINTS[table].get(column.name, ())
    return sum(3 if w in STRONG else 1 for w in hints if w in words)


def suggest_mapping(source: RawTable, table: str | None = None) -> Mapping:
    """A mapping for this sheet to review: by names, aliases, hints and content."""
    source, _ = repeated_header_rows(source)
    kind = table or recognise(source.headers, source.sheet) or "projects"
    spec = TABLES["benefits" if kind == "flat_benefits" else kind]
    profiles = profile(source)
    chosen: dict[str, str] = {}
    for header in source.headers:  # names and aliases the loader knows
        name = column_for(spec.name, header)
        if name and name not in chosen and _fits(spec.column(name), profiles[header]):
            chosen[name] = header
    used = set(chosen.values())
    for column in spec.columns:  # content first where content says it all
        if column.name in chosen or column.kind not in ("rag", "status"):
            continue
        fitting = [p for h, p in profiles.items() if h not in used and _fits(column, p)]
        if fitting:
            best = max(fitting, key=lambda p: p.rags if column.kind == "rag" else p.statuses)
            chosen[column.name] = best.header
            used.add(best.header)
    for column in spec.columns:  # then words in the header, where the cells fit
        if column.name in chosen:
            continue
        scored = [
            (_score(spec.name, column, h), -i, h)
            for i, h in enumerate(source.headers)
            if h not in used
            and _fits(column, profiles[h])
            and (column.name != spec.key[0] or profiles[h].share(profiles[h].distinct) >= 0.95)
        ]
        scored = [s for s in scored if s[0] > 0]
        if scored:
            header = max(scored)[2]
            chosen[column.name] = header
            used.add(header)
    _name_by_content(spec, source, profiles, chosen, used)
    rules = {n: _rule(spec, n, h, profiles[h], source) for n, h in chosen.items()}
    _derive_ids(spec, chosen, rules)
    return Mapping(spec.name, {n: rules[n] for n in spec.names if n in rules})


def _name_by_content(
    spec: Table,
    source: RawTable,
    profiles: dict[str, Profile],
    chosen: dict[str, str],
    used: set[str],
) -> None:
    """No header names the project: the first mostly distinct, short, wordy column."""
    if spec.name != "projects" or "name" in chosen:
        return
    for header in source.headers:
        p = profiles[header]
        if (
            header not in used
            and _fits(spec.column("name"), p)
            and p.share(p.distinct) >= 0.9
            and 2 <= p.mean_length <= 100
        ):
            chosen["name"] = header
            used.add(header)
            return


def _derive_ids(spec: Table, chosen: dict[str, str], rules: dict[str, Rule]) -> None:
    """A project id made from the project's name when the file has no id column."""
    if spec.name == "projects" and "project_id" not in chosen and "name" in chosen:
        rules["project_id"] = Rule(column=chosen["name"], derive="slug")


def _rule(spec: Table, name: str, header: str, p: Profile, source: RawTable) -> Rule:
    column = spec.column(name)
    date_format = _date_format(source, header) if column.kind == "date" else None
    unit = (
        money_unit(header, p.typical)[0]
        if column.kind == "money"
        else header_unit(header) or "units"
        if column.kind in NUMERIC
        else "units"
    )
    currency = (p.currency or _header_currency(header)) if column.kind == "money" else None
    rule = Rule(column=header, date_format=date_format, unit=unit, currency=currency)
    # baseline_end is required unless proposed: blanking it would refuse the row anyway.
    if column.required or name == "baseline_end":
        return rule
    if _only_sentences_unread(source, header, column, rule):
        return replace(rule, blank_unreadable=True)
    return rule


def _date_format(source: RawTable, header: str) -> str | None:
    """The format that reads the most cells, unless the usual parsers read more (ISO,
    Excel date cells) or day/month order is a tie. Said even when the usual parsers read
    as many: they take `31.12.97` for 2097, a `%y` format for 1997."""
    cell = pl.col("cell")
    frame = source.frame.head(PROFILE_ROWS).select(_cells(header).alias("cell"))
    counts = frame.select(
        parse_date(cell).is_not_null().sum().alias("usual"),
        *[
            (cell.str.strptime(pl.Date, f, strict=False).dt.year() >= 1000).sum().alias(f)
            for f in DATE_FORMATS
        ],
    ).row(0, named=True)
    best = max(DATE_FORMATS, key=lambda f: counts[f])
    if counts[best] == 0 or counts[best] < counts["usual"]:
        return None
    swapped = best.replace("%d", "%X").replace("%m", "%d").replace("%X", "%m")
    if swapped != best and counts.get(swapped, -1) == counts[best]:
        return None  # 03/04/2026 both ways: the loader asks for unambiguous dates
    return best


def _header_currency(header: str) -> str | None:
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in header or code.lower() in set(normalise(header).split("_")):
            return code
    return None


def _only_sentences_unread(source: RawTable, header: str, column: Column, rule: Rule) -> bool:
    """Some cells cannot be read, and every one of them is a sentence, not a typo."""
    cell, text = canonical(column, rule, False)
    bad = pl.col("cell").is_not_null() & ~readable(column, pl.col("text"))
    words = pl.col("cell").str.count_matches(r"[^\W\d_]+\b") >= 2
    unread, wordy = (
        source.frame.head(PROFILE_ROWS)
        .select(cell.alias("cell"), text.alias("text"))
        .select(
            bad.sum().alias("unread"),
            (bad & words).sum().alias("wordy"),
        )
        .row(0)
    )
    return bool(unread) and unread == wordy


def needs_mapping(source: RawTable) -> bool:
    """The headers do not say which table this is, or miss a column it requires."""
    kind = recognise(source.headers, source.sheet)
    if kind is None:
        return True
    for name in ("benefits", "measurements") if kind == "flat_benefits" else (kind,):
        found = match_columns(name, source.headers)
        required = [*TABLES[name].required, *(["baseline_end"] if name == "projects" else [])]
        if any(column not in found for column in required):
            return True
    return False


def second_key_column(source: RawTable, first: str) -> str | None:
    """The column that, with `first`, tells the most rows apart, an id-like one first (a
    cost tells rows apart too, but makes a poor id): the second half of an id made from
    two columns. None when `first` is unknown."""
    if first not in source.headers:
        return None
    frame = source.frame.head(PROFILE_ROWS)
    others = [h for h in source.headers if h != first]
    if not others or frame.height == 0:
        return None
    distinct = frame.select(
        pl.struct(_cells(first).alias("a"), _cells(h).alias("b")).n_unique().alias(str(i))
        for i, h in enumerate(others)
    ).row(0)
    idlike = {"id", "identifier", "number", "code", "ref", "reference", "no", "key"}

    def rank(i: int) -> tuple[bool, int, int]:
        words = set(normalise(others[i]).split("_"))
        return (bool(words & idlike), distinct[i], -i)

    return others[max(range(len(others)), key=rank)]
