"""The loader's side of a mapping: which sheets it applies to, and the warnings for the
cells it left empty or whose rows it left out."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

import polars as pl

from connectors.sheets.headers import recognise
from connectors.sheets.mapped import Mapped, apply_mapping
from connectors.sheets.mapping import Mapping
from connectors.sheets.problems import Cause, Problem
from connectors.sheets.read import ROW, RawTable
from connectors.sheets.traps import LABEL_COLUMNS
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
    """A warning per cell the mapping left empty, per row it left out, and per totals
    row it could leave out if asked."""
    spec = TABLES[mapping.table]
    key = spec.key[0]
    labels = {
        h
        for n in LABEL_COLUMNS[spec.name]
        if n in mapping.columns
        for h in (mapping.columns[n].column, mapping.columns[n].and_column)
        if h
    }
    totals = result.totals
    if not mapping.totals_anywhere:  # only the rows the usual totals check will not see
        totals = totals.filter(~pl.col("column").is_in(list(labels)))
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
    _report_left_out(table, totals, mapping, findings)
    for frame, problem, fix in (
        (
            result.incomplete,
            "is required but empty, so the row was left out (the mapping leaves out rows "
            "whose required cells are empty)",
            "Fill in the cell to include the row.",
        ),
        (
            result.repeated,
            f"repeats the {key} of a later row, so this row was left out (the mapping keeps "
            f"the last row of each {key})",
            "Nothing to do if the later row is the right one; otherwise make each id unique.",
        ),
    ):
        for (column,), cells in frame.partition_by(
            "column", maintain_order=True, as_dict=True
        ).items():
            findings.add_rows(
                Problem("warning", problem, fix, mapping.table, table.label, None, column),
                cells,
            )


def _report_left_out(
    table: RawTable, totals: pl.DataFrame, mapping: Mapping, findings: Findings
) -> None:
    """Totals rows: left out when the mapping says so, else pointed out with the option."""
    if totals.height == 0:
        return
    if mapping.totals_anywhere:
        problem = Problem(
            "warning",
            "says Total, so this row was left out as a totals row (the mapping leaves out "
            "rows with Total or Subtotal in any column; the cockpit adds up itself)",
            "Nothing to do; delete the row from the file to silence this warning.",
            mapping.table,
            table.label,
        )
    else:
        problem = Problem(
            "warning",
            "says Total: this looks like a totals row, and it is read as data",
            "In the mapping, choose to leave out totals rows (Total or Subtotal in any "
            "column), or delete the row from the file.",
            mapping.table,
            table.label,
        )
    # One cause, whatever column says Total: the column is in each row's listing.
    findings.add_rows(problem, totals.select(ROW, "value"))


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
EMPTY_REQUIRED = ("is required but empty", "is required unless the project is proposed")
EMPTY_HINT = " Or, in the mapping, leave out rows whose required cells are empty."
REPEATED = "appears more than once"
REPEATED_HINT = (
    " Or, in the mapping, keep the last row of each id, or make the ids from two columns."
)


def with_mapping_hints(problems: list[Finding], mapped: list[str]) -> list[Finding]:
    """Unreadable cells of mapped files get a second fix: the mapping's own lever (for
    the problems listed and for their causes alike)."""
    if not mapped:
        return problems
    return [
        replace(p, fix=p.fix + _hint(p.problem))
        if p.severity == "error" and p.file in mapped and _hint(p.problem)
        else p
        for p in problems
    ]


def _hint(problem: str) -> str:
    if problem.startswith(UNREADABLE):
        return MAPPING_HINT
    if problem.startswith(EMPTY_REQUIRED):
        return EMPTY_HINT
    if problem.startswith(REPEATED):
        return REPEATED_HINT
    return ""
