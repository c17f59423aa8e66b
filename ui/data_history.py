"""The Data page's History tab: every snapshot, what changed, restore and delete (undoable)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from store import StoreError
from ui import exports
from ui.data import store, store_key
from ui.identity import actor_name

STATE_LABELS = {"active": "Active", "superseded": "Superseded", "deleted": "Deleted"}


@st.cache_data(show_spinner=False, max_entries=8)
def history(url: str, generation: int) -> pl.DataFrame:
    """The store's snapshot history (with changes); cached until the next write."""
    return store().snapshot_history()


@st.cache_data(show_spinner=False, max_entries=32)
def changes(url: str, generation: int, snapshot_id: int) -> pl.DataFrame:
    return store().snapshot_changes(snapshot_id)


def _part(added: str, removed: str, changed: str | None, noun: str) -> pl.Expr:
    """`+8 −1 ~17 projects`, leaving out the zeros; null when all are zero."""
    pieces = [
        pl.when(pl.col(added) > 0).then(pl.format("+{}", pl.col(added))),
        pl.when(pl.col(removed) > 0).then(pl.format("−{}", pl.col(removed))),
    ]
    if changed:
        pieces.append(pl.when(pl.col(changed) > 0).then(pl.format("~{}", pl.col(changed))))
    text = pl.concat_str(pieces, separator=" ", ignore_nulls=True)
    return pl.when(text != "").then(text + f" {noun}")


def change_summary() -> pl.Expr:
    """`+8 ~17 projects · +16 benefits · +210 measurements`: what a snapshot changed."""
    text = pl.concat_str(
        [
            _part("projects_added", "projects_removed", "projects_changed", "projects"),
            _part("benefits_added", "benefits_removed", "benefits_changed", "benefits"),
            _part("measurements_new", "measurements_replaced", None, "measurements")
            .str.replace(r"^\+(\d+) −(\d+)", "+$1 new, $2 replaced")
            .str.replace(r"^−(\d+)", "$1 replaced"),
        ],
        separator=" · ",
        ignore_nulls=True,
    )
    return pl.when(text == "").then(pl.lit("no change")).otherwise(text)


def history_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The history as shown and exported: one row per snapshot, plain column names."""
    return frame.select(
        pl.col("as_of").alias("As of"),
        pl.col("snapshot_id").alias("Snapshot"),
        pl.col("state").replace_strict(STATE_LABELS, default=pl.col("state")).alias("State"),
        pl.col("n_projects").alias("Projects"),
        pl.col("n_benefits").alias("Benefits"),
        pl.col("n_measurements").alias("Measurements"),
        pl.when(pl.col("kind") == "portfolio")
        .then(change_summary())
        .otherwise(pl.lit("measurements only: ") + change_summary())
        .alias("Changes since the previous snapshot"),
        pl.col("source").alias("Source"),
        pl.col("created_by").alias("By"),
        pl.col("created_at").alias("Loaded (UTC)"),
    )


def _show_undo() -> None:
    """Right after a delete: say so, and offer to undo it."""
    pending = st.session_state.get("data_undo")
    if not pending:
        return
    snapshot_id, message = pending
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.markdown(f":material/delete: {message}", width="stretch")
        if st.button("Undo", icon=":material/undo:", key="undo_delete"):
            st.session_state.pop("data_undo", None)
            _act(lambda: store().undelete_snapshot(snapshot_id, actor_name()))
    _note()


def _note() -> None:
    message = st.session_state.pop("history_note", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _act(action: Callable[[], str]) -> None:
    """Run a store action, keep its message for the next run, and rerun."""
    try:
        st.session_state["history_note"] = action()
    except (StoreError, KeyError) as exc:
        st.session_state["history_note"] = str(exc)
    st.rerun()


def delete(snapshot_id: int) -> str:
    """Delete (hide) a snapshot and remember it so the next run offers an undo."""
    message = store().delete_snapshot(snapshot_id, actor_name())
    st.session_state["data_undo"] = (snapshot_id, message)
    return message


def render() -> None:
    url, generation = store_key()
    frame = history(url, generation)
    _show_undo()
    if "data_undo" not in st.session_state:
        _note()
    if frame.height == 0:
        st.info(
            "**No snapshots yet.** Load one on the Upload tab; every upload will be listed "
            "here with what it changed.",
            icon=":material/history:",
        )
        return
    table = history_table(frame)
    st.caption(
        "Every upload is kept. Select a snapshot to see what it changed, restore it or "
        "delete it (a delete can be undone)."
    )
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="history_table",
        column_config={
            "Snapshot": st.column_config.NumberColumn(format="#%d", width="small"),
            "As of": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
            "State": st.column_config.TextColumn(width="small"),
            "Loaded (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Changes since the previous snapshot": st.column_config.TextColumn(width="large"),
        },
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        _details(frame.row(rows[0], named=True), url, generation)
    downloads = st.container(horizontal=True)
    downloads.download_button(
        "History (CSV)",
        exports.csv_bytes(table),
        file_name=exports.stamped("snapshot-history", "csv"),
        mime=exports.CSV_MIME,
        icon=":material/download:",
        on_click="ignore",
    )
    downloads.download_button(
        "History (Excel)",
        exports.xlsx_bytes({"history": table}),
        file_name=exports.stamped("snapshot-history", "xlsx"),
        mime=exports.XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
    )


def _details(row: dict[str, object], url: str, generation: int) -> None:
    snapshot_id = int(row["snapshot_id"])  # type: ignore[arg-type]
    state = str(row["state"])
    with st.container(border=True):
        head, actions = st.columns([3, 2], vertical_alignment="center")
        head.markdown(
            f"**Snapshot #{snapshot_id}** · as of {row['as_of']:%d %b %Y} · "
            f"{STATE_LABELS.get(state, state).lower()}"
        )
        with actions, st.container(horizontal=True, horizontal_alignment="right"):
            if state != "active" and st.button(
                "Restore", icon=":material/restore:", key=f"restore_{snapshot_id}"
            ):
                _act(lambda: store().restore_snapshot(snapshot_id, actor_name()))
            if state != "deleted" and st.button(
                "Delete", icon=":material/delete:", key=f"delete_{snapshot_id}"
            ):
                _act(lambda: delete(snapshot_id))
        if row["kind"] != "portfolio":
            st.caption(
                f"A measurements-only upload: {row['measurements_new']:,} new and "
                f"{row['measurements_replaced']:,} replaced value(s)."
            )
            return
        compared = row["compared_with"]
        detail = changes(url, generation, snapshot_id)
        if detail.height == 0:
            st.caption(
                "No project or benefit changed" + (f" since #{compared}." if compared else ".")
            )
            return
        st.caption(
            f"Projects and benefits that changed since snapshot #{compared}."
            if compared
            else "The first snapshot: everything in it is new."
        )
        st.dataframe(
            detail.select(
                pl.col("table").str.to_titlecase().alias("Table"),
                pl.col("id").alias("Id"),
                pl.col("label").alias("Name / KPI"),
                pl.col("change").str.to_titlecase().alias("Change"),
                pl.col("columns").alias("Columns changed"),
            ),
            hide_index=True,
            height=min(38 + 35 * detail.height, 320),
        )
