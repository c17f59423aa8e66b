"""A measurement run as the connectors hand it to the store: one result per source, each a
value with where it came from, or the reason there is none."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import polars as pl

# Where each value came from; `error` (already redacted) where there is no value.
RESULT_SCHEMA = pl.Schema(
    {
        "benefit_id": pl.String(),
        "kind": pl.String(),
        "connection": pl.String(),
        "query_hash": pl.String(),
        "measured_at": pl.Date(),
        "ran_at": pl.Datetime("us"),
        "seconds": pl.Float64(),
        "raw_result": pl.String(),
        "value": pl.Float64(),
        "error": pl.String(),
    }
)
# What a measurement counts as (docs/metrics.md, Evidence).
SOURCED, TYPED = "sourced", "typed"
# How the pages name each (the source itself follows, as text: "Sourced · sql: warehouse").
EVIDENCE_LABELS = {SOURCED: "Sourced", TYPED: "Typed"}
# The kind of snapshot a run's values are committed in.
RUN_SNAPSHOT_KIND = "measure"


def query_hash(query: str) -> str:
    """The identity of a source's query as recorded with each value: the first 16 hex
    digits of its SHA-256 (the query itself stays with the source's definition)."""
    return hashlib.sha256(query.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class MeasureRun:
    """The results of one run of the due sources, measured as of `as_of`."""

    as_of: dt.date
    started_at: dt.datetime
    finished_at: dt.datetime
    results: pl.DataFrame  # RESULT_SCHEMA
    actor: str | None = None

    def __post_init__(self) -> None:
        if self.results.schema != RESULT_SCHEMA:
            raise TypeError(f"run results do not match {dict(RESULT_SCHEMA)}")

    @property
    def n_values(self) -> int:
        return self.results.filter(pl.col("error").is_null()).height

    @property
    def n_failed(self) -> int:
        return self.results.height - self.n_values


@dataclass(frozen=True)
class RunCommit:
    """What committing a run did."""

    run_id: int
    as_of: dt.date
    snapshot_id: int | None  # the snapshot holding its values; None when it had none
    n_sources: int
    n_values: int
    n_failed: int
    replaced: int  # earlier values of the same benefit and date it replaced

    @property
    def message(self) -> str:
        text = (
            f"Measurement run #{self.run_id} as of {self.as_of.isoformat()}: "
            f"{self.n_values:,} of {self.n_sources:,} source(s) measured"
        )
        if self.n_failed:
            text += f", {self.n_failed:,} failed (no value written for them)"
        text += "."
        if self.snapshot_id is not None:
            text += f" Values committed as snapshot #{self.snapshot_id}."
        if self.replaced:
            text += (
                f" {self.replaced:,} earlier value(s) of the same date replaced "
                "(the old values are in the audit log)."
            )
        return text


def evidence_text(evidence: pl.Expr, source: pl.Expr) -> pl.Expr:
    """What a value rests on, in words: "Sourced · sql: warehouse" (a run wrote it, from
    that kind and connection), "Typed · Finance BI" (an upload, with the source it
    named), "Typed" (none named); null where there is no value."""
    named = EVIDENCE_LABELS[TYPED]
    word = pl.when(evidence == SOURCED).then(pl.lit(EVIDENCE_LABELS[SOURCED]))
    word = word.when(evidence.is_not_null()).then(pl.lit(named)).otherwise(None)
    return (
        pl.when(source.str.strip_chars().str.len_chars() > 0)
        .then(pl.concat_str(word, pl.lit(" · "), source.str.strip_chars()))
        .otherwise(word)
    )


def provenance_text(ran_at: pl.Expr, query_hash: pl.Expr, raw_result: pl.Expr) -> pl.Expr:
    """Where a sourced value came from, in words: "ran 6 Dec 2026 06:11 UTC · query
    3fa2b1c4d5e6f708 · raw 10.5"; null for a typed one (no run)."""
    return pl.when(ran_at.is_not_null()).then(
        pl.concat_str(
            pl.lit("ran "),
            ran_at.dt.strftime("%-d %b %Y %H:%M UTC"),
            pl.lit(" · query "),
            query_hash.fill_null("?"),
            pl.lit(" · raw "),
            raw_result.fill_null("?"),
        )
    )
