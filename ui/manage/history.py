"""The Data page's History tab: every snapshot, what changed, restore and delete (undoable)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from domain.formats import date_text
from store import StoreError
from ui.cache import store, store_key
from ui.shell.access import current_access
from ui.shell.identity import actor_name
from ui.widgets.downloads import table_downloads
from ui.widgets.tables import DATETIME, date_column, show_table
from ui.widgets.text import md
from ui.widgets.wording import counted

STATE_LABELS = {"active": "Active", "superseded": "Superseded", "deleted": "Deleted"}


@st.cache_data(show_spinner=False, max_entries=8)
def history(url: str, generation: int) -> pl.DataFrame:
    """The store's snapshot history (with changes); cached until the next write."""
    return store().snapshot_history()


@st.cache_data(show_spinner=False, max_entries=32)
def changes(url: str, generation: int, snapshot_id: int) -> pl.DataFrame:
    return store().snapshot_changes(snapshot_id)


def store_summary() -> str | None:
    """One line on what the store holds: snapshots, the latest portfolio, measurements."""
    url, generation = store_key()
    frame = history(url, generation)
    if frame.height == 0:
        return None
    kept = frame.filter(pl.col("state") != "deleted")
    latest = kept.filter((pl.col("kind") == "portfolio") & (pl.col("state") == "active"))
    parts = [counted(kept.height, "snapshots")]
    if latest.height:
        row = latest.row(0, named=True)
        parts.append(
            f"latest as of {date_text(row['as_of'])} ({counted(row['n_projects'], 'projects')}, "
            f"{counted(row['n_benefits'], 'benefits')})"
        )
    parts.append(counted(kept.get_column("measurements_new").sum(), "measurements"))
    return " · ".join(parts)


def _part(added: str, removed: str, changed: str | None, noun: str) -> pl.Expr:
    """`projects +8 −1 ~17` (added, removed, changed), leaving out the zeros; null when all
    are zero."""
    pieces = [
        pl.when(pl.col(added) > 0).then(pl.format("+{}", pl.col(added))),
        pl.when(pl.col(removed) > 0).then(pl.format("−{}", pl.col(removed))),
    ]
    if changed:
        pieces.append(pl.when(pl.col(changed) > 0).then(pl.format("~{}", pl.col(changed))))
    text = pl.concat_str(pieces, separator=" ", ignore_nulls=True)
    return pl.when(text != "").then(f"{noun} " + text)


def change_summary() -> pl.Expr:
    """`projects +8 ~17 · benefits +16 · measurements +210 (3 replaced)`: what a snapshot
    changed against the one before it."""
    text = pl.concat_str(
        [
            _part("projects_added", "projects_removed", "projects_changed", "projects"),
            _part("benefits_added", "benefits_removed", "benefits_changed", "benefits"),
            _part("measurements_new", "measurements_replaced", None, "measurements").str.replace(
                r"−(\d+)$", "($1 replaced)"
            ),
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
        pl.col("currency").fill_null("—").alias("Currency"),
        pl.when(pl.col("kind") == "portfolio")
        .then(change_summary())
        .otherwise(pl.lit("measurements only: ") + change_summary())
        .alias("Changes since the previous snapshot"),
        pl.col("source").alias("Source"),
        pl.col("created_by").alias("By"),
        pl.col("created_at").alias("Loaded (UTC)"),
    )


def _show_undo() -> bool:
    """Right after a delete: say so, and offer to undo it. True when shown."""
    pending = st.session_state.get("data_undo")
    if not pending:
        return False
    snapshot_id, as_of = pending
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.markdown(
            f":material/delete: **Snapshot #{snapshot_id}** (as of {date_text(as_of)}) was "
            "deleted. Its projects, benefits and measurements no longer count.",
            width="stretch",
        )
        if st.button("Undo", icon=":material/undo:", key="undo_delete", type="primary"):
            _act(lambda: store().undelete_snapshot(snapshot_id, actor_name()))
    return True


def _note() -> None:
    message = st.session_state.pop("history_note", None)
    if message:
        st.success(md(message), icon=":material/check_circle:")


def _act(action: Callable[[], str], *, undoable: tuple[int, object] | None = None) -> None:
    """Run a store action, keep its message (or the undo offer) for the next run, rerun."""
    st.session_state.pop("data_undo", None)
    try:
        message = action()
    except (StoreError, KeyError) as exc:
        message, undoable = str(exc), None
    if undoable:
        st.session_state["data_undo"] = undoable
    else:
        st.session_state["history_note"] = message
    st.rerun()


def render() -> None:
    url, generation = store_key()
    frame = history(url, generation)
    if not _show_undo():
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
        "delete it (a delete can be undone). Changes: + added, − removed, ~ changed."
    )
    event = show_table(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="history_table",
        column_config={
            "Snapshot": st.column_config.NumberColumn(format="#%d", width="small"),
            "As of": date_column(width=96),
            "State": st.column_config.TextColumn(width="small"),
            "Currency": st.column_config.TextColumn(
                width="small", help="The currency the snapshot's amounts are in (— not recorded)"
            ),
            "Loaded (UTC)": st.column_config.DatetimeColumn(format=DATETIME),
            "Changes since the previous snapshot": st.column_config.TextColumn(width="large"),
        },
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        _details(frame.row(rows[0], named=True), url, generation)
    table_downloads(table, "History", "snapshot-history", "history")


def _details(row: dict[str, object], url: str, generation: int) -> None:
    snapshot_id = int(row["snapshot_id"])  # type: ignore[arg-type]
    state = str(row["state"])
    with st.container(border=True):
        head, actions = st.columns([3, 2], vertical_alignment="center")
        head.markdown(
            f"**Snapshot #{snapshot_id}** · as of {date_text(row['as_of'])} · "
            f"{STATE_LABELS.get(state, state).lower()}"
        )
        with actions, st.container(horizontal=True, horizontal_alignment="right"):
            editable = current_access().can_edit
            if (
                editable
                and state != "active"
                and st.button("Restore", icon=":material/restore:", key=f"restore_{snapshot_id}")
            ):
                _act(lambda: store().restore_snapshot(snapshot_id, actor_name()))
            if (
                editable
                and state != "deleted"
                and st.button("Delete", icon=":material/delete:", key=f"delete_{snapshot_id}")
            ):
                _act(
                    lambda: store().delete_snapshot(snapshot_id, actor_name()),
                    undoable=(snapshot_id, row["as_of"]),
                )
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
        show_table(
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
