"""Upload -> validated frames -> one store transaction. Shared by the CLI, the page and the demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from connectors.sheets import LoadResult, load_files
from connectors.sheets.read import SourceFile
from store import CommitResult, Store


@dataclass(frozen=True)
class IngestOutcome:
    """What happened: the validation result and, when it passed, the commit."""

    result: LoadResult
    commit: CommitResult | None


def validate(store: Store, files: list[SourceFile], as_of: dt.date) -> LoadResult:
    """Check an upload against the contract and what the store already knows; writes nothing."""
    return load_files(
        files,
        as_of,
        known_benefit_ids=store.known_benefit_ids(),
        measured_benefit_ids=store.measured_benefit_ids(),
    )


def ingest(
    store: Store,
    files: list[SourceFile],
    as_of: dt.date,
    *,
    source: str | None = None,
    actor: str | None = None,
) -> IngestOutcome:
    """Validate, then commit whole or not at all."""
    result = validate(store, files, as_of)
    if result.frames is None:
        return IngestOutcome(result, None)
    commit = store.commit_snapshot(
        result.frames,
        as_of=as_of,
        content_hash=result.content_hash,
        source=source or ", ".join(f.name for f in files),
        actor=actor,
    )
    return IngestOutcome(result, commit)
