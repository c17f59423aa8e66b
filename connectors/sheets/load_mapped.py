"""The loader's side of a mapping: which sheets it applies to, and the warnings for the
cells it left empty or whose rows it left out."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from connectors.sheets.headers import recognise
from connectors.sheets.mapped import Mapped, apply_mapping
from connectors.sheets.mapping import Mapping
from connectors.sheets.problems import Cause, Problem
from connectors.sheets.read import RawTable
from connectors.sheets.validate import Findings
from domain.contract import TABLES


def _different_table(table: RawTable, mapping: Mapping) -> bool:
    """Recognised (by sheet name or headers) as another table than the mapping fills."""
    kind = recognise(table.headers, table.sheet)
    return kind is not None and kind != mapping.table


def apply_to_tables(
    tables: list[RawTable], mapping: Mapping, findings: Findings
) -> tuple[list[RawTable], list[tuple[RawTable, Mapped]]]:
    """(tables left for recognition, (sheet, mapped sheet) for those the mapping fills).

    The mapping applies to every sheet not recognised as another table. A sheet without
    the columns it reads is an error naming them, unless another sheet of the same
    workbook had them (then that sheet is skipped with a warning).
    """
    others = [t for t in tables if _different_table(t, mapping)]
    candidates = [t for t in tables if not _different_table(t, mapping)]
    results = [(t, apply_mapping(t, mapping)) for t in candidates]
    done = [(t, m) for t, m in results if m.table is not None]
    for table, result in results:
        if result.table is not None:
            _report_mapped_cells(table, result, mapping, findings)
            continue
        lacking = ", ".join(result.missing)
        if done and table.sheet is not None:
            findings.add(
                Problem(
                    "warning",
                    f"this sheet does not have the mapped columns ({lacking}), so it was not read",
                    "Nothing to do if the sheet holds no portfolio data.",
                    file=table.label,
                    row=table.header_row,
                )
            )
            continue
        for header in result.missing:
            findings.add(
                Problem(
                    "error",
                    f"the mapping reads the column {header!r}, which this file does not have",
                    "Choose one of the file's columns in the mapping ("
                    + ", ".join(table.headers[:12])
                    + (", ..." if len(table.headers) > 12 else "")
                    + "), or upload the file the mapping was made for.",
                    mapping.table,
                    table.label,
                    table.header_row,
                    ", ".join(name for name, r in mapping.columns.items() if r.column == header),
                    header,
                )
            )
    return others, done


_KIND_WORDS = {
    "date": "a date",
    "money": "an amount",
    "number": "a number",
    "status": "a status",
    "rag": "a RAG rating",
    "text": "an issue key",
}


def _report_mapped_cells(
    table: RawTable, result: Mapped, mapping: Mapping, findings: Findings
) -> None:
    """A warning per cell the mapping left empty, or whose row it left out."""
    spec = TABLES[mapping.table]
    for frame, outcome, fix in (
        (
            result.skipped,
            "so this row was left out of the snapshot, as the mapping says for this column",
            "Correct the cell to include the row, or change what the mapping does with "
            "unreadable cells in this column.",
        ),
        (
            result.blanked,
            "so it was left empty, as the mapping says for this column",
            "Nothing to do if the cell holds no value (an exemption note, say); otherwise "
            "correct it in the file.",
        ),
    ):
        for (column,), cells in frame.partition_by(
            "column", maintain_order=True, as_dict=True
        ).items():
            kind = _KIND_WORDS[spec.column(column).kind]
            findings.add_rows(
                Problem(
                    "warning",
                    f"cannot be read as {kind}, {outcome}",
                    fix,
                    mapping.table,
                    table.label,
                    None,
                    column,
                ),
                cells,
            )


Finding = TypeVar("Finding", Problem, Cause)

UNREADABLE = (
    "cannot be read as",
    "is not a RAG rating",
    "is not a known status",
    "is not an issue",
)
MAPPING_HINT = (
    " Or say in the mapping what to do with unreadable cells in this column: leave them "
    "empty (optional columns) or skip the row."
)


def with_mapping_hints(problems: list[Finding], mapped: list[str]) -> list[Finding]:
    """Unreadable cells of mapped files get a second fix: the mapping's own lever (for
    the problems listed and for their causes alike)."""
    if not mapped:
        return problems
    return [
        replace(p, fix=p.fix + MAPPING_HINT)
        if p.severity == "error" and p.file in mapped and p.problem.startswith(UNREADABLE)
        else p
        for p in problems
    ]
