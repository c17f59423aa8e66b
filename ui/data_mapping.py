"""The Upload tab's mapping step: for a file that does not follow the template, say which of
its columns holds what, once; the check and preview below follow every change, and the
mapping is kept for the upload's source so the next upload of that source is read alike.

Shown when an uploaded table is not recognised or misses a required column, or when a
mapping is saved for the source. Layout only: the mapping model, suggestions and the
editor's rows live in connectors/sheets/ and ui/mapping_editor.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl
import streamlit as st

from connectors.ingest import saved_mapping
from connectors.sheets.headers import match_columns, recognise
from connectors.sheets.mapping import UNITS, Mapping, MappingError, parse_mapping
from connectors.sheets.read import RawTable, SourceFile, UnreadableFile, read_tables
from connectors.sheets.suggest import DATE_FORMATS, needs_mapping, suggest_mapping
from connectors.sheets.traps import repeated_header_rows
from domain.contract import TABLES
from store import StoreError
from ui import exports
from ui.access import upload_limits
from ui.data import store
from ui.identity import actor_name
from ui.mapping_editor import (
    CURRENCIES,
    FROM_OPTIONS,
    UNREADABLE_OPTIONS,
    date_example,
    editor_frame,
    mapping_from_editor,
    required_here,
    unit_label,
)

TABLE_NAMES = {"projects": "Projects", "benefits": "Benefits", "measurements": "Measurements"}
# Pixel widths that fit the editor beside the sidebar at 1280 px (the browser test uses them).
WIDTHS = {
    "Column": 122,
    "From": 84,
    "File column": 156,
    "Fixed value": 64,
    "Date format": 92,
    "Unit": 80,
    "Currency": 84,
    "If unreadable": 100,
}
STATE = "map_state"
SAMPLE_CHARS = 24


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
    tables: list[RawTable] = []
    for source in sources:
        try:
            tables += [
                repeated_header_rows(t)[0]
                for t in read_tables(source, upload_limits().max_file_bytes)
            ]
        except UnreadableFile:
            continue  # the validation report says why
    st.session_state["map_tables"] = (key, tables)
    return tables


def _target(tables: list[RawTable], table: str | None) -> RawTable | None:
    """The table the step shows: the first that needs a mapping, else the first a saved
    mapping for `table` would apply to."""
    needing = [t for t in tables if needs_mapping(t)]
    if needing:
        return needing[0]
    if table is None:
        return None
    return next((t for t in tables if recognise(t.headers, t.sheet) in (None, table)), None)


def _saved(name: str) -> Mapping | None:
    try:
        return saved_mapping(store(), name)
    except MappingError as exc:
        st.error(str(exc), icon=":material/error:")
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
                f"{state.origin}"
            )
        else:
            use = st.toggle(
                f"Read it through the mapping saved for “{name}”",
                value=state.use,
                key=f"map_use_{state.version}",
            )
            state = _remember(replace(state, use=use))
            if not use:
                return None
        if saved is not None and saved.to_toml() != state.base:
            _offer_saved(state, saved, name)
        mapping = _editor(state, target)
        _actions(state, mapping, name)
        _samples(target)
    return mapping


def _why(target: RawTable) -> str:
    """Why the step is offered, in one sentence."""
    kind = recognise(target.headers, target.sheet)
    if kind in TABLE_NAMES:
        found = match_columns(kind, target.headers)
        missing = [c for c in required_here(TABLES[kind]) if c not in found]
        return (
            f"**{target.label}** looks like a {kind} table, but no column of it is named "
            f"{' or '.join(missing)}."
        )
    return f"**{target.label}** does not use the template's column names."


def _state(
    files: Sequence[object], target: RawTable, saved: Mapping | None, name: str
) -> StepState:
    """The step's state for this upload, started afresh when the files change."""
    upload = _identity(files)
    state: StepState | None = st.session_state.get(STATE)
    if state is not None and state.upload == upload:
        return state
    fits = saved is not None and all(h in target.headers for h in saved.file_columns())
    if saved is not None:
        base, origin = saved, f"Started from the mapping saved for “{name}”."
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
        st.success(text, icon=":material/check_circle:")
    elif text:
        st.error(text, icon=":material/error:")


def _offer_saved(state: StepState, saved: Mapping, name: str) -> None:
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.info(f"A mapping is saved for “{name}”.", icon=":material/bookmark:")
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
        column_config=_column_config(target, base),
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
        st.warning(note, icon=":material/warning:")
    return mapping


def _cells(target: RawTable, rows: int) -> pl.DataFrame:
    """The first rows' cells, trimmed, empty as null, one column per header (by position)."""
    return target.frame.head(rows).select(
        pl.col(h).cast(pl.String).str.strip_chars().replace("", None).alias(str(i))
        for i, h in enumerate(target.headers)
    )


def _samples_of(target: RawTable) -> dict[str, str]:
    """A first value of each column, to recognise it by."""
    cells = _cells(target, 200)
    first = cells.select(pl.all().drop_nulls().first()).row(0) if cells.width else ()
    return {h: _short(v) for h, v in zip(target.headers, first, strict=True)}


def _short(value: object) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def _column_config(target: RawTable, base: Mapping) -> dict[str, object]:
    samples = _samples_of(target)
    headers = [*target.headers, *[h for h in base.file_columns() if h not in target.headers]]
    formats = [
        *DATE_FORMATS,
        *[
            r.date_format
            for r in base.columns.values()
            if r.date_format and r.date_format not in DATE_FORMATS
        ],
    ]
    currencies = [
        *CURRENCIES,
        *[r.currency for r in base.columns.values() if r.currency and r.currency not in CURRENCIES],
    ]
    return {
        "Column": st.column_config.TextColumn(
            "Cockpit column", width=WIDTHS["Column"], pinned=True, help="* required"
        ),
        "From": st.column_config.SelectboxColumn(
            width=WIDTHS["From"],
            options=FROM_OPTIONS,
            required=True,
            help="A column of the file, an id made from a column, or a fixed value.",
        ),
        "File column": st.column_config.SelectboxColumn(
            width=WIDTHS["File column"],
            options=headers,
            format_func=lambda h: f"{h} · {samples[h]}" if samples.get(h) else str(h),
            help="The column of your file to read (or to make the id from), with its first value.",
        ),
        "Fixed value": st.column_config.TextColumn(
            "Fixed",
            width=WIDTHS["Fixed value"],
            help="The same value for every row, e.g. active for status.",
        ),
        "Date format": st.column_config.SelectboxColumn(
            "Dates like",
            width=WIDTHS["Date format"],
            options=formats,
            format_func=date_example,
            help="How the file writes 30 Sep 2026. Empty: ISO dates, Excel date cells and "
            "30 Sep 2026 are read anyway.",
        ),
        "Unit": st.column_config.SelectboxColumn(
            width=WIDTHS["Unit"],
            options=list(UNITS),
            format_func=unit_label,
            help="Amounts in thousands, millions or billions are multiplied out.",
        ),
        "Currency": st.column_config.SelectboxColumn(
            width=WIDTHS["Currency"],
            options=currencies,
            help="The currency sign or code the cells carry.",
        ),
        "If unreadable": st.column_config.SelectboxColumn(
            width=WIDTHS["If unreadable"],
            options=UNREADABLE_OPTIONS,
            help="Refuse the upload and name the cell; leave the cell empty (optional "
            "columns); or skip the row (leave it out of the snapshot).",
        ),
    }


def _actions(state: StepState, mapping: Mapping, name: str) -> None:
    row = st.container(horizontal=True, vertical_alignment="center")
    if row.button(f"Save mapping for “{_short(name)}”", icon=":material/bookmark_add:"):
        try:
            saved = store().save_mapping(name, mapping.to_toml(), actor_name(), mapping.summary())
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
                st.error(str(exc), icon=":material/error:")
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


def _samples(target: RawTable) -> None:
    with st.expander(f"What is in {target.label} ({len(target.headers)} columns)"):
        cells = _cells(target, 500)
        filled = cells.select(pl.all().count()).row(0) if cells.width else ()
        firsts = cells.select(pl.all().drop_nulls().head(3).implode()).row(0) if cells.width else ()
        summary = pl.DataFrame(
            {
                "File column": target.headers,
                "Filled": list(filled),
                "First values": [" | ".join(_short(v) for v in values) for values in firsts],
            },
            schema={"File column": pl.String, "Filled": pl.Int64, "First values": pl.String},
        )
        st.dataframe(
            summary,
            hide_index=True,
            column_config={"First values": st.column_config.TextColumn(width="large")},
        )
        more = f" of the first {cells.height:,}" if target.frame.height > cells.height else ""
        st.caption(f"Filled: how many rows{more} have a value.")
