"""Upload -> validated frames -> one store transaction. Shared by the CLI, the page and the demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from connectors.sheets import LoadResult, load_files
from connectors.sheets.limits import DEFAULT_LIMITS, Limits
from connectors.sheets.read import SourceFile
from store import CommitResult, Store, StoreConflictError


@dataclass(frozen=True)
class IngestOutcome:
    """What happened: the validation result and, when it passed, the commit."""

    result: LoadResult
    commit: CommitResult | None


def validate(
    store: Store, files: list[SourceFile], as_of: dt.date, limits: Limits = DEFAULT_LIMITS
) -> LoadResult:
    """Check an upload against the contract and what the store already knows; writes nothing."""
    return load_files(
        files,
        as_of,
        known_benefit_ids=store.known_benefit_ids(),
        measured_benefit_ids=store.measured_benefit_ids(),
        limits=limits,
    )


def ingest(
    store: Store,
    files: list[SourceFile],
    as_of: dt.date,
    *,
    source: str | None = None,
    actor: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> IngestOutcome:
    """Validate, then commit whole or not at all.

    If the store changed between the check and the commit so that the upload no longer
    fits (a benefit its measurements refer to was deleted meanwhile), the commit is
    refused by the store and the upload is checked again, which now names the rows.
    """
    for _attempt in range(2):
        result = validate(store, files, as_of, limits)
        if result.frames is None:
            return IngestOutcome(result, None)
        try:
            commit = store.commit_snapshot(
                result.frames,
                as_of=as_of,
                content_hash=result.content_hash,
                source=source or ", ".join(f.name for f in files),
                actor=actor,
            )
        except StoreConflictError:
            continue
        return IngestOutcome(result, commit)
    raise StoreConflictError(
        "The store keeps changing while this upload is committed; try again in a moment."
    )
