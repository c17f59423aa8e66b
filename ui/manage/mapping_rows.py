"""The mapping step's row options: what to do with rows that are not one clean row per
item (totals rows, rows missing a required cell, ids that repeat). Each is a fix a PMO
lead can make here rather than in Excel, and each row it leaves out is listed in the
report below with why."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from connectors.sheets.mapping import Mapping
from connectors.sheets.read import RawTable
from connectors.sheets.suggest import second_key_column
from domain.contract import TABLES

REFUSE, KEEP_LAST, TWO_COLUMNS = (
    "Refuse the upload",
    "Keep the last row",
    "Make ids from two columns",
)


def _choice(base: Mapping, key: str) -> str:
    rule = base.columns.get(key)
    if rule is not None and rule.and_column:
        return TWO_COLUMNS
    return KEEP_LAST if base.duplicates == "keep_last" else REFUSE


def row_options(version: int, base: Mapping, mapping: Mapping, target: RawTable) -> Mapping:
    """Draw the options (started from `base`) and return `mapping` with them applied."""
    spec = TABLES[mapping.table]
    key = spec.key[0]
    same_table = base.table == mapping.table
    st.markdown("**Rows that are not one row per item**")
    left, right = st.columns(2)
    skip = left.checkbox(
        "Leave out rows whose required cells are empty",
        value=same_table and base.skip_incomplete,
        key=f"map_skip_incomplete_{version}",
        help="Each row left out is listed in the report below, with the empty cell.",
    )
    totals = right.checkbox(
        "Leave out totals rows (Total or Subtotal in any column)",
        value=same_table and base.totals_anywhere,
        key=f"map_totals_{version}",
        help="An agency's totals row may say Total in a column the mapping does not read; "
        "each row left out is listed in the report below.",
    )
    choices = [REFUSE, KEEP_LAST, *([TWO_COLUMNS] if len(spec.key) == 1 else [])]
    start = _choice(base, key) if same_table else REFUSE
    duplicates = st.radio(
        f"When a {key} repeats",
        choices,
        index=choices.index(start) if start in choices else 0,
        horizontal=True,
        key=f"map_duplicates_{version}",
        help="Refuse: the report names every repeat. Keep the last row: earlier rows with "
        "the same id are left out and listed. Two columns: the id is made from the id "
        "column above and a second column, such as an investment and a project number.",
    )
    mapping = replace(
        mapping,
        skip_incomplete=skip,
        totals_anywhere=totals,
        duplicates="keep_last" if duplicates == KEEP_LAST else "refuse",
    )
    if duplicates == TWO_COLUMNS:
        mapping = _two_columns(version, base, mapping, target, key)
    return mapping


def _two_columns(
    version: int, base: Mapping, mapping: Mapping, target: RawTable, key: str
) -> Mapping:
    rule = mapping.columns.get(key)
    if rule is None or rule.column is None:
        st.warning(
            f"Choose the file column of {key} in the grid first: the id is made from it and "
            "a second column.",
            icon=":material/warning:",
        )
        return mapping
    others = [h for h in target.headers if h != rule.column]
    saved = base.columns.get(key)
    start = (
        saved.and_column
        if saved is not None and saved.and_column in others
        else second_key_column(target, rule.column)
    )
    second = st.selectbox(
        f"{key} made from {rule.column} and",
        others,
        index=others.index(start) if start in others else 0,
        key=f"map_second_key_{version}",
        width=420,
    )
    return mapping.with_rule(key, replace(rule, and_column=second))
