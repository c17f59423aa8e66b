"""From uploaded files to a validated snapshot, or to every problem found.

Nothing here raises for bad input: unreadable files, unknown tables and broken cells all
become `Problem`s, and frames are only handed out when no error was found.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from connectors.sheets import validate as rules
from connectors.sheets.currency import evidence, snapshot_currency
from connectors.sheets.headers import recognise, repeated_columns
from connectors.sheets.limits import DEFAULT_LIMITS, Limits
from connectors.sheets.load_mapped import apply_to_tables, with_mapping_hints
from connectors.sheets.mapping import Mapping
from connectors.sheets.parse import Staged, finish, settle, stage
from connectors.sheets.problems import Cause, Problem
from connectors.sheets.read import ROW, RawTable, SourceFile, UnreadableFile, read_tables
from connectors.sheets.traps import without_repeated_headers, without_totals
from connectors.sheets.units import doubtful_amounts
from connectors.sheets.validate import FILE, Findings, raw
from connectors.sheets.validate_sources import masked, source_rules
from domain.contract import (
    BENEFITS,
    MEASUREMENT_SOURCES,
    MEASUREMENTS,
    PROJECTS,
    TABLES,
    Column,
    Table,
    empty_frame,
)
from domain.snapshot import SnapshotFrames, TypicalAmounts

EMPTY_IDS = pl.Series("id", [], pl.String)
FRAMES_FROM_PARSED = "frames from parsed"


@dataclass
class LoadResult:
    """The validated frames (None when anything blocks), every finding, and what was read.

    `parsed` holds each table as read (file, row, contract columns), also when the upload
    is refused, so a page can preview it.
    """

    frames: SnapshotFrames | None
    problems: list[Problem]
    content_hash: str
    tables_found: dict[str, list[str]] = field(default_factory=dict)
    parsed: dict[str, pl.DataFrame] = field(default_factory=dict)
    n_errors: int = 0
    n_warnings: int = 0
    mapped: list[str] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # rows the mapping left out, by why
    amount_doubts: list[Problem] = field(default_factory=list)  # another unit? confirm first
    currency: str | None = None  # declared, else the one the amounts show, else unknown
    currency_evidence: dict[str, list[str]] = field(default_factory=dict)  # code -> where
    mapped_headers: list[str] = field(default_factory=list)  # the first mapped sheet's headers

    def __getstate__(self) -> dict[str, object]:
        """Pickled (it travels from the process that read the upload) without the frames:
        they are the contract columns of the parsed tables, rebuilt on arrival, so the
        data crosses once."""
        state = dict(self.__dict__)
        if self.frames is not None:
            state["frames"] = FRAMES_FROM_PARSED
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        if state["frames"] == FRAMES_FROM_PARSED:
            parsed: dict[str, pl.DataFrame] = state["parsed"]  # type: ignore[assignment]
            state["frames"] = SnapshotFrames(
                *(
                    _typed(parsed.get(table.name, empty_frame(table)), table)
                    for table in (PROJECTS, BENEFITS, MEASUREMENTS, MEASUREMENT_SOURCES)
                )
            )
        self.__dict__.update(state)

    @property
    def ok(self) -> bool:
        return self.frames is not None

    @property
    def unlisted(self) -> str | None:
        """A sentence counting the problems past the cap, or None when all are listed."""
        errors = self.n_errors - len(self.errors)
        warnings = self.n_warnings - len(self.warnings)
        if not (errors or warnings):
            return None
        return (
            f"{errors:,} more error(s) and {warnings:,} more warning(s) are not listed row "
            "by row; the report by cause counts them all."
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def preview(self, table: str) -> pl.DataFrame:
        """The table as read: where each row came from, then its parsed values (a text
        longer than its column allows cut there, with an ellipsis: it is refused anyway,
        and a page must not have to lay out a 100,000-character name)."""
        frame = self.parsed.get(table)
        if frame is None or frame.height == 0:
            return pl.DataFrame(
                schema={"file": pl.String, "row": pl.Int64, **dict(TABLES[table].schema)}
            )
        return frame.select(
            pl.col(FILE).cast(pl.String).alias("file"),
            pl.col(ROW).alias("row"),
            *[_cut(c) for c in TABLES[table].columns],
        )


def _cut(column: Column) -> pl.Expr:
    cell = pl.col(column.name)
    if not column.max_chars:
        return cell
    return (
        pl.when(cell.str.len_chars() > column.max_chars)
        .then(cell.str.slice(0, column.max_chars) + "…")
        .otherwise(cell)
        .alias(column.name)
    )


def content_hash(
    files: list[SourceFile], mapping: Mapping | None = None, currency: str | None = None
) -> str:
    """Identity of an upload: the same bytes give the same hash, whatever the file names.
    A mapping is part of it (the same file mapped differently is other content), and so
    is a currency said of it (the same amounts in pounds are not the same snapshot)."""
    digests = sorted(hashlib.sha256(source.data).digest() for source in files)
    if mapping is not None:
        digests.append(hashlib.sha256(mapping.to_toml().encode()).digest())
    if currency is not None:
        digests.append(hashlib.sha256(f"currency:{currency}".encode()).digest())
    return hashlib.sha256(b"".join(digests)).hexdigest()


def _recognised(
    source: SourceFile, tables: list[RawTable], findings: Findings
) -> list[tuple[str, RawTable]]:
    """(table kind, sheet) for every sheet that holds a contract table."""
    found = []
    for table in tables:
        kind = recognise(table.headers, table.sheet)
        if kind is None:
            if table.sheet is None or table.frame.height:
                findings.add(
                    Problem(
                        "warning" if table.sheet else "error",
                        "cannot tell which table this is from its headers ("
                        + ", ".join(table.headers[:8])
                        + (", ..." if len(table.headers) > 8 else "")
                        + ")",
                        "Name the sheet projects, benefits or measurements, or use the "
                        "template's column names (project_id and name; benefit_id and kpi; "
                        "benefit_id, measured_at and value).",
                        file=table.label,
                        row=table.header_row,
                    )
                )
            continue
        found.append((kind, table))
    if not found and tables and not findings.has_errors:
        findings.add(
            Problem(
                "error",
                "no table found in this file",
                "Use the template: sheets or files named projects, benefits and measurements.",
                file=source.name,
            )
        )
    return found


def _header_problems(part: Staged, findings: Findings, mapped: bool = False) -> None:
    table = part.table
    for column in table.required:
        if column not in part.mapping:
            findings.add(
                Problem(
                    "error",
                    f"the required column {column} is missing",
                    f"Map a column of the file (or a fixed value) to {column}."
                    if mapped
                    else f"Add a column named {column} (see the template).",
                    table.name,
                    part.label,
                    part.header_row,
                    column,
                )
            )
    if table is PROJECTS and "baseline_end" not in part.mapping:
        findings.add(
            Problem(
                "error",
                "the column baseline_end (the committed delivery date) is missing; it is "
                "required for every project that is not proposed",
                "Map the file's committed delivery date column to baseline_end."
                if mapped
                else "Add a column named baseline_end (or Planned finish) with each project's "
                "committed delivery date.",
                table.name,
                part.label,
                part.header_row,
                "baseline_end",
            )
        )
    for column, headers in repeated_columns(table.name, list(part.headers)).items():
        findings.add(
            Problem(
                "warning",
                f"{len(headers)} columns name {column} ({', '.join(headers)}); only the first "
                "is read",
                "Delete or rename the other columns.",
                table.name,
                part.label,
                part.header_row,
                column,
            )
        )


def _unknown_columns(
    source: RawTable, used: set[str], findings: Findings, mapped: bool = False
) -> None:
    unknown = [h for h in source.headers if h not in used]
    if not unknown:
        return
    filled = source.frame.select(
        [
            pl.col(h).cast(pl.String).str.strip_chars().str.len_bytes().max().alias(h)
            for h in unknown
        ]
    ).row(0)
    listed = [h for h, length in zip(unknown, filled, strict=True) if length]
    if listed:
        findings.add(
            Problem(
                "warning",
                (
                    "these columns are not mapped and were ignored: "
                    if mapped
                    else "these columns are not part of the template and were ignored: "
                )
                + ", ".join(listed),
                "Map a column in the mapping if it should be read."
                if mapped
                else "Rename a column to its template name if it should be read.",
                file=source.label,
                row=source.header_row,
            )
        )


def _stage_file(
    source: SourceFile,
    limits: Limits,
    findings: Findings,
    tables_found: dict[str, list[str]],
    mapping: Mapping | None,
    mapped_labels: list[str],
    left_out: dict[str, int],
    mapped_headers: list[str],
) -> list[Staged]:
    """Read one file and stage each table in it. Its text cells are not kept: only the
    staged (trimmed, fast-parsed) frames outlive this call."""
    try:
        raw_tables = read_tables(source, limits)
    except UnreadableFile as exc:
        findings.add(
            Problem(
                "error",
                str(exc).rstrip("."),
                exc.fix,
                file=exc.file or source.name,
                row=exc.row,
                column=exc.column,
            )
        )
        return []
    raw_tables = [without_repeated_headers(t, findings) for t in raw_tables]
    parts = []
    if mapping is not None:
        raw_tables, mapped = apply_to_tables(raw_tables, mapping, findings)
        for original, result in mapped:
            assert result.table is not None
            tables_found.setdefault(mapping.table, []).append(original.label)
            mapped_labels.append(original.label)
            if not mapped_headers:
                mapped_headers.extend(original.headers)
            for why, n in result.left_out(mapping.totals_anywhere).items():
                left_out[why] = left_out.get(why, 0) + n
            part = without_totals(stage(result.table, TABLES[mapping.table]), findings)
            _header_problems(part, findings, mapped=True)
            _unknown_columns(original, set(mapping.file_columns()), findings, mapped=True)
            parts.append(part)
    for kind, raw_table in _recognised(source, raw_tables, findings):
        tables_found.setdefault(kind, []).append(raw_table.label)
        kinds = ("benefits", "measurements") if kind == "flat_benefits" else (kind,)
        used: set[str] = set()
        for name in kinds:
            part = without_totals(stage(raw_table, TABLES[name]), findings)
            _header_problems(part, findings)
            used |= set(part.mapping.values())
            parts.append(part)
        _unknown_columns(raw_table, used, findings)
    return parts


def _concat(parts: list[pl.DataFrame]) -> pl.DataFrame:
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts, how="vertical") if len(parts) > 1 else parts[0]


def _typed(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    if frame.height == 0:
        return empty_frame(table)
    return frame.select([pl.col(c.name).cast(c.dtype) for c in table.columns])


def load_files(
    files: list[SourceFile],
    as_of: dt.date,
    known_benefit_ids: pl.Series | None = None,
    measured_benefit_ids: pl.Series | None = None,
    limits: Limits = DEFAULT_LIMITS,
    mapping: Mapping | None = None,
    typical: TypicalAmounts | None = None,
    currency: str | None = None,
) -> LoadResult:
    """Read, recognise, parse and validate an upload; frames only when nothing blocks.

    With a `mapping`, every sheet not recognised as another table is read through it.
    `typical` (what a project of the portfolio costs) is what the amounts are held
    against; without it, against what a project can cost. `currency`, when declared, is
    the snapshot's; the amounts must not say another (connectors/sheets/currency.py).
    """
    findings = Findings(cap=limits.max_problems)
    staged: dict[str, list[Staged]] = defaultdict(list)  # by file
    tables_found: dict[str, list[str]] = {}
    mapped: list[str] = []
    left_out: dict[str, int] = {}
    mapped_headers: list[str] = []
    for source in files:
        staged[source.name] = _stage_file(
            source, limits, findings, tables_found, mapping, mapped, left_out, mapped_headers
        )
    if mapping is not None and not mapped and files and not findings.has_errors:
        findings.add(
            Problem(
                "warning",
                f"the mapping (for {mapping.table}) was not used: every file of this upload "
                "is another table",
                "Nothing to do if the files follow the template.",
            )
        )

    found = evidence(
        [(part, part.label in mapped) for parts in staged.values() for part in parts], mapping
    )
    currency, mixed = snapshot_currency(found, currency)
    for problem in mixed:
        findings.add(problem)

    by_table: dict[str, list[pl.DataFrame]] = defaultdict(list)
    for file, parts in staged.items():
        conventions, problems = settle(file, parts)
        for problem in problems:
            findings.add(problem)
        for part in parts:
            by_table[part.table.name].append(finish(part, conventions))
    projects = _concat(by_table["projects"])
    benefits = _concat(by_table["benefits"])
    measurements = _concat(by_table["measurements"])
    sources = _concat(by_table["measurement_sources"])
    if "flat_benefits" in tables_found and benefits.height:
        benefits = _dedupe_flat_benefits(benefits, findings)
    if measurements.height and "flat_benefits" in tables_found:
        # Flat rows without a measurement are benefits only.
        measurements = measurements.filter(
            pl.col(raw("measured_at")).is_not_null() | pl.col(raw("value")).is_not_null()
        )

    if sources.height:
        sources = masked(sources)  # before anything can show a password written in a cell
    if (
        not (projects.height or benefits.height or measurements.height or sources.height)
        and not findings.has_errors
    ):
        findings.add(
            Problem("error", "the upload holds no rows", "Fill in at least the projects table.")
        )
    baseline_given = any(
        "baseline_end" in part.mapping
        for parts in staged.values()
        for part in parts
        if part.table is PROJECTS
    )
    _check(findings, projects, benefits, measurements, as_of, known_benefit_ids, baseline_given)
    _check_sources(findings, sources, benefits, known_benefit_ids)
    _warn_gaps(findings, projects, benefits, measurements, measured_benefit_ids)
    doubts = doubtful_amounts(projects, typical, bool(mapped))
    for doubt in doubts:
        findings.add(doubt)

    parsed = {  # for the preview: where each row came from and its values (no raw text)
        name: frame.select(FILE, ROW, *TABLES[name].names)
        for name, frame in (
            ("projects", projects),
            ("benefits", benefits),
            ("measurements", measurements),
            ("measurement_sources", sources),
        )
        if frame.height
    }
    frames = (
        None
        if findings.has_errors
        else SnapshotFrames(
            _typed(projects, PROJECTS),
            _typed(benefits, BENEFITS),
            _typed(measurements, MEASUREMENTS),
            _typed(sources, MEASUREMENT_SOURCES),
        )
    )
    return LoadResult(
        frames,
        with_mapping_hints(findings.listed(), mapped),
        content_hash(files, mapping if mapped else None, currency),
        tables_found,
        parsed,
        len(findings.errors) + findings.omitted_errors,
        len(findings.warnings) + findings.omitted_warnings,
        mapped,
        with_mapping_hints(findings.causes(), mapped),
        left_out,
        doubts,
        currency,
        found,
        mapped_headers,
    )


def _check(
    findings: Findings,
    projects: pl.DataFrame,
    benefits: pl.DataFrame,
    measurements: pl.DataFrame,
    as_of: dt.date,
    known_benefit_ids: pl.Series | None,
    baseline_given: bool,
) -> None:
    """Every contract rule, table by table."""
    if projects.height:
        findings.check(
            projects,
            rules.cell_rules(PROJECTS)
            + rules.text_rules(PROJECTS)
            + rules.non_negative_rules(PROJECTS)
            + rules.unique_rule(projects, PROJECTS)
            + rules.project_rules(as_of, baseline_given),
        )
    if benefits.height:
        if not projects.height:
            first = benefits.row(0, named=True)
            findings.add(
                Problem(
                    "error",
                    "benefits were uploaded without their projects",
                    "Upload the projects table together with the benefits (one workbook, or "
                    "the files side by side): a snapshot holds both.",
                    "benefits",
                    str(first[FILE]),
                    first[ROW],
                    "project_id",
                    first[raw("project_id")],
                )
            )
        findings.check(
            benefits,
            rules.cell_rules(BENEFITS)
            + rules.text_rules(BENEFITS)
            + rules.non_negative_rules(BENEFITS)
            + rules.unique_rule(benefits, BENEFITS)
            + rules.benefit_rules(projects.get_column("project_id") if projects.height else None),
        )
    if measurements.height:
        ids = _known_ids(benefits, known_benefit_ids)
        findings.check(
            measurements,
            rules.cell_rules(MEASUREMENTS)
            + rules.text_rules(MEASUREMENTS)
            + rules.unique_rule(measurements, MEASUREMENTS)
            + rules.measurement_rules(as_of, ids),
        )


def _known_ids(benefits: pl.DataFrame, known: pl.Series | None) -> pl.Series:
    """Benefit ids of this upload and of the store's snapshots."""
    ids = benefits.get_column("benefit_id") if benefits.height else EMPTY_IDS
    if known is None:
        return ids
    return pl.concat([ids.cast(pl.String), known.cast(pl.String).rename(ids.name)])


def _check_sources(
    findings: Findings,
    sources: pl.DataFrame,
    benefits: pl.DataFrame,
    known_benefit_ids: pl.Series | None,
) -> None:
    """The measurement sources' rules (connectors/sheets/validate_sources.py)."""
    if sources.height == 0:
        return
    findings.check(
        sources,
        rules.cell_rules(MEASUREMENT_SOURCES)
        + rules.text_rules(MEASUREMENT_SOURCES)
        + source_rules(_known_ids(benefits, known_benefit_ids)),
    )


def _warn_gaps(
    findings: Findings,
    projects: pl.DataFrame,
    benefits: pl.DataFrame,
    measurements: pl.DataFrame,
    measured_before: pl.Series | None,
) -> None:
    measured = measurements.get_column("benefit_id") if measurements.height else EMPTY_IDS
    if measured_before is not None:
        measured = pl.concat(
            [measured.cast(pl.String), measured_before.cast(pl.String).rename(measured.name)]
        )
    project_rules, benefit_rules = rules.gap_warnings(projects, benefits, measured)
    if projects.height > 1 and benefits.height == 0:
        # One line rather than one per project: a projects-only upload (an export of
        # delivery data, say) is a known shape, not hundreds of separate problems.
        first = projects.row(0, named=True)
        findings.add(
            Problem(
                "warning",
                f"none of the {projects.height:,} projects has a benefit, so their outcomes "
                "cannot be judged (they show as 'No outcome defined')",
                "Upload the benefits the projects promised with them (a benefits sheet or "
                "file) when you have them.",
                "projects",
                str(first[FILE]),
            )
        )
    elif projects.height:
        findings.check(projects, project_rules)
    if benefits.height:
        findings.check(benefits, benefit_rules)


def _dedupe_flat_benefits(benefits: pl.DataFrame, findings: Findings) -> pl.DataFrame:
    """In the flat form each row repeats its benefit; the repeats must agree."""
    columns = [c for c in BENEFITS.names if c != "benefit_id"]
    distinct = benefits.unique(subset=["benefit_id", *columns], keep="first", maintain_order=True)
    conflicting = distinct.filter(pl.col("benefit_id").is_duplicated())
    findings.check(
        conflicting,
        [
            rules.Rule(
                "benefits",
                "benefit_id",
                pl.col("benefit_id").is_not_null(),
                "is repeated with different benefit details (kpi, baseline, target, ...)",
                "In a flat benefits file, repeat each benefit's details exactly on every row.",
            )
        ],
    )
    return distinct.unique(subset=["benefit_id"], keep="first", maintain_order=True)
