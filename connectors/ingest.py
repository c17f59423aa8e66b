"""Upload -> validated frames -> one store transaction. Shared by the CLI, the page and the demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from connectors.isolated import WorkerFailed, run_isolated
from connectors.sheets import LoadResult, load_files
from connectors.sheets.limits import DEFAULT_LIMITS, Limits, size_text
from connectors.sheets.load import content_hash
from connectors.sheets.mapping import Mapping, MappingError, parse_mapping
from connectors.sheets.problems import Problem
from connectors.sheets.read import RawTable, SourceFile, readable_tables
from connectors.sheets.validate import Findings
from domain.currency import deployment_currency
from store import CommitResult, Store, StoreConflictError


@dataclass(frozen=True)
class IngestOutcome:
    """What happened: the validation result, the commit when it passed, and whether the
    mapping was saved for the source."""

    result: LoadResult
    commit: CommitResult | None
    mapping_saved: bool = False


def source_name(files: list[SourceFile], source: str | None = None) -> str:
    """The name an upload is recorded (and its mapping saved) under: the given source, or
    the file names."""
    return (source or "").strip() or ", ".join(f.name for f in files)


def saved_mapping(store: Store, source: str) -> Mapping | None:
    """The mapping saved for a source, or None. A saved text that no longer reads (an
    older cockpit's, edited by hand) raises `MappingError` saying so."""
    text = store.mapping_for(source)
    if text is None:
        return None
    try:
        return parse_mapping(text, f"The mapping saved for {source!r}")
    except MappingError as exc:
        raise MappingError(f"{exc} Upload a corrected mapping to replace it.") from None


LAYOUT_OVERLAP = 0.8  # share of headers two exports must have in common to be one layout


def layout_mapping(store: Store, headers: list[str]) -> tuple[str, Mapping] | None:
    """(source, mapping) of the saved mapping made for a file with these headers: next
    quarter's export of a layout seen before, under another name. The same header set
    wins; else the closest one sharing at least LAYOUT_OVERLAP of its headers, as long as
    every column the mapping reads is there."""
    wanted = {h.strip().lower() for h in headers}
    best: tuple[float, str, Mapping] | None = None
    for source, text, saved in store.mapping_layouts():
        known = {h.strip().lower() for h in saved}
        overlap = len(wanted & known) / len(wanted | known) if wanted | known else 0.0
        if overlap < LAYOUT_OVERLAP or (best is not None and overlap <= best[0]):
            continue
        try:
            mapping = parse_mapping(text, f"The mapping saved for {source!r}")
        except MappingError:
            continue  # a broken saved mapping is reported when its own source is used
        if all(column in headers for column in mapping.file_columns()):
            best = (overlap, source, mapping)
    return (best[1], best[2]) if best else None


def display_currency(store: Store) -> str:
    """The currency of snapshots that record none: the editors' choice, else the
    deployment's (COCKPIT_CURRENCY), else USD."""
    return store.display_currency() or deployment_currency()


def validate(
    store: Store,
    files: list[SourceFile],
    as_of: dt.date,
    limits: Limits = DEFAULT_LIMITS,
    mapping: Mapping | None = None,
    currency: str | None = None,
) -> LoadResult:
    """Check an upload against the contract and what the store already knows; writes
    nothing. `currency`, when declared, is the snapshot's (else its amounts say). The
    files are read in a child process (connectors/isolated.py), so a file
    that exhausts a reader is refused with a message instead of ending this process."""
    try:
        return run_isolated(
            load_files,
            files,
            as_of,
            store.known_benefit_ids(),
            store.measured_benefit_ids(),
            limits,
            mapping,
            store.typical_amounts(as_of),
            currency,
            limits=limits,
        )
    except WorkerFailed as failure:
        findings = Findings()
        findings.add(stopped(files, failure))
        return LoadResult(
            None,
            findings.listed(),
            content_hash(files, mapping, currency),
            n_errors=1,
            causes=findings.causes(),
        )


def read_upload(files: list[SourceFile], limits: Limits = DEFAULT_LIMITS) -> list[RawTable]:
    """The tables of the files that can be read (what the mapping step shows), read in a
    child process like the check; a file that cannot be read is left out (the check says
    why)."""
    try:
        return run_isolated(readable_tables, files, limits, limits=limits)
    except WorkerFailed:
        return []


def stopped(files: list[SourceFile], failure: WorkerFailed) -> Problem:
    """The problem to show for an upload whose reading was stopped."""
    names = ", ".join(f.name for f in files)
    limits = failure.limits
    why = {
        "memory": f"needed more than the {size_text(limits.worker_memory_bytes, 0)} of memory "
        "an upload may use",
        "time": f"took longer than the {limits.worker_seconds} seconds an upload may take",
        "crash": "made the file reader fail",
    }[failure.reason]
    return Problem(
        "error",
        f"reading this upload {why}, so it was stopped; nothing was written",
        "Check that each file holds only its table (no values far below or to the right of "
        "it, no very long texts), or split it (for example one file per table, or "
        "measurements by year) and upload the parts.",
        file=names,
    )


def ingest(
    store: Store,
    files: list[SourceFile],
    as_of: dt.date,
    *,
    source: str | None = None,
    actor: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    mapping: Mapping | None = None,
    save_mapping: bool = False,
    currency: str | None = None,
) -> IngestOutcome:
    """Validate, then commit whole or not at all; with `save_mapping`, a committed upload's
    mapping is kept for its source so the next upload of that source uses it.

    If the store changed between the check and the commit so that the upload no longer
    fits (a benefit its measurements refer to was deleted meanwhile), the commit is
    refused by the store and the upload is checked again, which now names the rows.
    """
    name = source_name(files, source)
    for _attempt in range(2):
        result = validate(store, files, as_of, limits, mapping, currency)
        if result.frames is None:
            return IngestOutcome(result, None)
        try:
            commit = store.commit_snapshot(
                result.frames,
                as_of=as_of,
                content_hash=result.content_hash,
                source=name,
                actor=actor,
                currency=result.currency,  # None: nothing says; shown in the display one
            )
        except StoreConflictError:
            continue
        saved = (
            store.save_mapping(
                name, mapping.to_toml(), actor, mapping.summary(), result.mapped_headers
            )
            if save_mapping and mapping is not None and result.mapped
            else False
        )
        return IngestOutcome(result, commit, saved)
    raise StoreConflictError(
        "The store keeps changing while this upload is committed; try again in a moment."
    )
