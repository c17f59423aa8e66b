"""The Upload tab's mapping step: for a file that does not follow the template, say which of
its columns holds what, once; the check and preview below follow every change, and the
mapping is kept for the upload's source so the next upload of that source is read alike.

Shown when an uploaded table is not recognised or misses a required column, or when a
mapping is saved for the source. Layout only: the mapping model, suggestions and the
editor's rows live in connectors/sheets/ and ui/manage/mapping_editor.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl
import streamlit as st

from connectors.ingest import layout_mapping, read_upload, saved_mapping
from connectors.sheets.headers import match_columns, recognise
from connectors.sheets.mapping import Mapping, MappingError, parse_mapping
from connectors.sheets.read import RawTable, SourceFile
from connectors.sheets.suggest import needs_mapping, suggest_mapping
from connectors.sheets.traps import repeated_header_rows
from connectors.sheets.units import unit_notes
from domain.contract import TABLES
from store import StoreError
from ui.cache import store
from ui.manage.mapping_editor import (
    editor_frame,
    mapping_from_editor,
    required_here,
)
from ui.manage.mapping_grid import column_config, file_columns, short
from ui.manage.mapping_rows import row_options
from ui.shell.access import upload_limits
from ui.shell.identity import actor_name
from ui.widgets import exports
from ui.widgets.text import md

TABLE_NAMES = {"projects": "Projects", "benefits": "Benefits", "measurements": "Measurements"}
STATE = "map_state"


@dataclass(frozen=True)
class StepState:
    """What the step remembers between reruns for one upload: the mapping the editor
    started from (suggested, saved or uploaded), where it came from, and a version that
    changes whenever that starting point is replaced (so the editor starts afresh)."""

    upload: tuple[object, ...]
    label: str
    base: str
    origin: str
    version: int = 0
    use: bool = True


def _identity(files: Sequence[object]) -> tuple[object, ...]:
    return tuple((f.file_id, f.name, f.size) for f in files)  # type: ignore[attr-defined]


def _tables(files: Sequence[object], sources: list[SourceFile]) -> list[RawTable]:
    """The upload's tables (repeated header rows already out), read once per upload."""
    key = _identity(files)
    cached = st.session_state.get("map_tables")
    if cached and cached[0] == key:
        return cached[1]
    # Unreadable files are left out: the validation report says why.
    tables = [repeated_header_rows(t)[0] for t in read_upload(sources, upload_limits())]
    st.session_state["map_tables"] = (key, tables)
    return tables


def _needing(tables: list[RawTable]) -> list[RawTable]:
    """Tables the upload cannot be read without a mapping: one that is not recognised
    (a sheet only when no sheet of its workbook is: a template workbook may carry an
    extra sheet, which the loader skips with a warning), or one missing required columns."""
    known = {t.file for t in tables if recognise(t.headers, t.sheet) is not None}
    return [
        t
        for t in tables
        if needs_mapping(t)
        and (recognise(t.headers, t.sheet) is not None or t.sheet is None or t.file not in known)
    ]


def _target(tables: list[RawTable], table: str | None) -> RawTable | None:
    """The table the step shows: the first that needs a mapping, else the first a saved
    mapping for `table` would apply to."""
    needing = _needing(tables)
    if needing:
        return needing[0]
    if table is None:
        return None
    return next((t for t in tables if recognise(t.headers, t.sheet) in (None, table)), None)


def _saved(name: str) -> Mapping | None:
    try:
        return saved_mapping(store(), name)
    except MappingError as exc:
        st.error(md(exc), icon=":material/error:")
        return None


def mapping_step(files: Sequence[object], sources: list[SourceFile], name: str) -> Mapping | None:
    """Draw the step when the upload needs or has a mapping; the mapping to read it with."""
    tables = _tables(files, sources)
    saved = _saved(name)
    target = _target(tables, saved.table if saved else None)
    if target is None:
        st.session_state.pop(STATE, None)
        return None
    needed = needs_mapping(target)
    state = _state(files, target, saved, name)
    with st.container(border=True):
        st.subheader("Map your columns", anchor=False)
        _note()
        if needed:
            st.caption(
                f"{_why(target)} Say which of its columns holds what; the check and the "
                f"preview below follow every change. Nothing is written until you commit. "
                f"{md(state.origin)}"
            )
        else:
            use = st.toggle(
                f"Read it through the mapping saved for “{md(name)}”",
                value=state.use,
                key=f"map_use_{state.version}",
            )
            state = _remember(replace(state, use=use))
            if not use:
                return None
        if saved is not None and saved.to_toml() != state.base:
            _offer_saved(state, saved, name)
        mapping = _editor(state, target)
        _actions(state, mapping, name, target.headers)
        file_columns(target)
    return mapping


def _why(target: RawTable) -> str:
    """Why the step is offered, in one sentence."""
    kind = recognise(target.headers, target.sheet)
    if kind in TABLE_NAMES:
        found = match_columns(kind, target.headers)
        missing = [c for c in required_here(TABLES[kind]) if c not in found]
        return (
            f"**{md(target.label)}** looks like a {kind} table, but no column of it is named "
            f"{' or '.join(missing)}."
        )
    return f"**{md(target.label)}** does not use the template's column names."


def _state(
    files: Sequence[object], target: RawTable, saved: Mapping | None, name: str
) -> StepState:
    """The step's state for this upload, started afresh when the files change."""
    upload = _identity(files)
    state: StepState | None = st.session_state.get(STATE)
    if state is not None and state.upload == upload:
        return state
    fits = saved is not None and all(h in target.headers for h in saved.file_columns())
    known = layout_mapping(store(), target.headers) if saved is None else None
    if saved is not None:
        base, origin = saved, f"Started from the mapping saved for “{name}”."
    elif known is not None:
        base, origin = (
            known[1],
            f"Started from the mapping saved for “{known[0]}”: this file has the same "
            "columns (a later export of the same layout). Check it still fits.",
        )
    else:
        base, origin = (
            suggest_mapping(target),
            "Pre-filled from its headers and cells: check each row.",
        )
    version = state.version + 1 if state else 0
    use = fits or needs_mapping(target)
    return _remember(StepState(upload, target.label, base.to_toml(), origin, version, use))


def _remember(state: StepState) -> StepState:
    st.session_state[STATE] = state
    return state


def _restart(state: StepState, base: Mapping, origin: str) -> None:
    """Replace the editor's starting point (a new version clears its edits) and rerun."""
    _remember(replace(state, base=base.to_toml(), origin=origin, version=state.version + 1))
    st.rerun()


def _note() -> None:
    kind, text = st.session_state.pop("map_note", (None, None))
    if text and kind == "success":
        st.success(md(text), icon=":material/check_circle:")
    elif text:
        st.error(md(text), icon=":material/error:")


def _offer_saved(state: StepState, saved: Mapping, name: str) -> None:
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.info(f"A mapping is saved for “{md(name)}”.", icon=":material/bookmark:")
    if right.button("Use it", key=f"map_use_saved_{state.version}", width="stretch"):
        _restart(state, saved, f"Started from the mapping saved for “{name}”.")


def _editor(state: StepState, target: RawTable) -> Mapping:
    base = parse_mapping(state.base)
    tables = list(TABLE_NAMES)
    table = st.selectbox(
        "This file holds",
        tables,
        index=tables.index(base.table),
        format_func=TABLE_NAMES.get,
        key=f"map_table_{state.version}",
        width=260,
    )
    if table != base.table:
        _restart(state, suggest_mapping(target, table), "Pre-filled for the table you chose.")
    frame = editor_frame(base, table)
    edited = st.data_editor(
        frame,
        key=f"map_editor_{state.version}",
        hide_index=True,
        disabled=["Column"],
        height=38 + 35 * frame.height,
        placeholder="",
        column_config=column_config(target, base),
    )
    mapping, notes = mapping_from_editor(pl.DataFrame(edited), table)
    st.caption(
        "\\* required. *Dates like* applies to dates; unit and currency to amounts. *If "
        "unreadable* says what to do with a cell that cannot be read, such as an exemption "
        "note in a date: refuse the upload and name the cell, leave the cell empty "
        "(optional columns only), or skip the row (leave it out of the snapshot). Cells left "
        "empty and rows skipped are listed in the report below."
    )
    for note in notes:
        st.warning(md(note), icon=":material/warning:")
    for note in unit_notes(target, mapping):
        st.info(f"**Unit.** {md(note)}", icon=":material/currency_exchange:")
    return row_options(state.version, base, mapping, target)


def _actions(state: StepState, mapping: Mapping, name: str, headers: list[str]) -> None:
    row = st.container(horizontal=True, vertical_alignment="center")
    if row.button(f"Save mapping for “{md(short(name))}”", icon=":material/bookmark_add:"):
        try:
            saved = store().save_mapping(
                name, mapping.to_toml(), actor_name(), mapping.summary(), headers
            )
        except StoreError as exc:
            st.session_state["map_note"] = ("error", str(exc))
        else:
            st.session_state["map_note"] = (
                "success",
                f"Mapping saved for “{name}”: the next upload of that source uses it."
                if saved
                else f"This mapping is already the one saved for “{name}”.",
            )
        st.rerun()
    row.download_button(
        "Download mapping (TOML)",
        exports.mapping_toml(mapping),
        file_name=f"{_file_stem(name)}-mapping.toml",
        mime=exports.TOML_MIME,
        icon=":material/download:",
        on_click="ignore",
    )
    with row.popover("Use a mapping file", icon=":material/upload_file:"):
        upload = st.file_uploader(
            "A mapping file (TOML), e.g. one downloaded here and edited",
            type=["toml"],
            key=f"map_file_{state.version}",
        )
        if upload is not None:
            try:
                loaded = parse_mapping(upload.getvalue().decode("utf-8-sig"), upload.name)
            except (MappingError, UnicodeDecodeError) as exc:
                st.error(md(exc), icon=":material/error:")
            else:
                _restart(state, loaded, f"Started from {upload.name}.")
    if row.button(
        "Start again from the suggestion", type="tertiary", icon=":material/restart_alt:"
    ):
        target = next(
            (t for t in st.session_state["map_tables"][1] if t.label == state.label), None
        )
        if target is not None:
            _restart(state, suggest_mapping(target), "Pre-filled from its headers and cells.")


def _file_stem(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-")[:60] or "upload"
