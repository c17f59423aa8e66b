"""The Data page's Upload tab: template, files and as-of date, what was read, the
validation report, and the commit. Checking never writes; committing is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
import streamlit as st

from connectors.ingest import display_currency, ingest, source_name, validate
from connectors.sheets import LoadResult
from connectors.sheets.currency import CODES
from connectors.sheets.mapped import left_out_text
from connectors.sheets.mapping import Mapping
from connectors.sheets.problems import Cause, problems_frame
from connectors.sheets.read import SourceFile
from connectors.sheets.template import column_notes
from domain.currency import currency_label
from domain.formats import date_text
from domain.snapshot import as_of_problem
from store import StoreError
from ui.cache import store, store_key
from ui.manage.mapping import mapping_step
from ui.shell.access import current_access, upload_limits
from ui.shell.identity import actor_name
from ui.widgets import exports
from ui.widgets.tables import FIT_WIDTH_IN_EXPANDER, one_line_px, show_table
from ui.widgets.text import md
from ui.widgets.wording import counted

ACCEPTED = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "zip"]
PREVIEW_ROWS = 500
REPORT_ROWS = 12  # rows named per cause on the page (the download names more)
AS_THE_FILE_SAYS = "As the file says"
TABLE_LABELS = {"projects": "Projects", "benefits": "Benefits", "measurements": "Measurements"}


def flash(message: str, kind: str = "success") -> None:
    """Show a message at the top of the tab on the next run (after st.rerun)."""
    st.session_state["data_flash"] = (kind, message)


def _show_flash() -> None:
    kind, message = st.session_state.pop("data_flash", (None, None))
    if not message:
        return
    if kind == "success":
        st.success(md(message), icon=":material/check_circle:")
        st.page_link(
            "views/overview.py",
            label="See the gap on the Overview",
            icon=":material/arrow_forward:",
        )
    else:
        st.info(md(message), icon=":material/info:")


def _sources(files: Sequence[object]) -> list[SourceFile]:
    return [SourceFile(f.name, f.getvalue()) for f in files]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Upload:
    """What the form holds: the files, the as-of date, the source name and the currency
    declared for the amounts (None: as the amounts say, else the display currency)."""

    files: list[object]
    as_of: dt.date
    source: str
    currency: str | None

    def sources(self) -> list[SourceFile]:
        return _sources(self.files)


def checked(upload: Upload, mapping: Mapping | None = None) -> LoadResult:
    """The validation of these files for this date, currency and mapping against the
    store as it is now.

    Kept in the session so reruns (a click elsewhere) do not read the files again; any
    write to the store, or any change to the mapping, changes the key and so checks again.
    """
    url, generation = store_key()
    key = (
        tuple((f.file_id, f.name, f.size) for f in upload.files),  # type: ignore[attr-defined]
        upload.as_of,
        upload.currency,
        url,
        generation,
        mapping.to_toml() if mapping is not None else None,
    )
    cached = st.session_state.get("upload_check")
    if cached and cached[0] == key:
        return cached[1]
    with st.spinner("Checking the files…"):
        result = validate(
            store(), upload.sources(), upload.as_of, upload_limits(), mapping, upload.currency
        )
    st.session_state["upload_check"] = (key, result)
    return result


def render() -> None:
    """The whole tab: inputs beside the template, then the verdict, report and preview
    across the full width (they are wide tables)."""
    main, side = st.columns([5, 2], gap="large")
    with side:
        _template_card()
    if not current_access().can_edit:
        main.caption("Only editors can upload snapshots; the template is open to everyone.")
        return
    with main:
        _show_flash()
        upload = _inputs()
        if not upload.files:
            _nothing_uploaded()
            return
        hint = st.empty()
    name = source_name(upload.sources(), upload.source)
    mapping = mapping_step(upload.files, upload.sources(), name)
    if mapping is not None:
        hint.caption(
            ":material/arrow_downward: Its columns are read through the mapping below; "
            "the check follows it."
        )
    result = checked(upload, mapping)
    # Beside the template card as usual; below the mapping step when there is one.
    with main if mapping is None else st.container():
        date_problem = as_of_problem(upload.as_of, dt.date.today())
        if date_problem:  # no commit while the date box holds a date that cannot be used
            st.error(
                f"**Nothing can be committed yet.** {date_problem}", icon=":material/event_busy:"
            )
        else:
            _verdict(result, upload, mapping, name)
    _report(result)
    _preview(result, mapping)


def _inputs() -> Upload:
    uploads = st.session_state.setdefault("upload_round", 0)
    files = st.file_uploader(
        "Spreadsheets to load",
        type=ACCEPTED,
        accept_multiple_files=True,
        key=f"upload_files_{uploads}",
        max_upload_size=upload_limits().max_file_mb,
        help="One workbook with sheets projects, benefits and measurements, or one CSV or "
        "XLSX file per table (the table is recognised by its headers). A zip of such "
        "files works too.",
    )
    left, middle, right = st.columns([2, 2, 1.4])
    # The widest bounds the widget knows: a date outside its bounds would stay in the box
    # while the page kept the previous one. Sensible dates are checked by as_of_problem.
    as_of = left.date_input(
        "As of",
        value=dt.date.today(),
        min_value=dt.date.min,
        max_value=dt.date.max,
        key="upload_as_of",
        format="YYYY-MM-DD",
        help="The date the snapshot describes, usually a month or quarter end (any date "
        "since 1970 up to today). Uploading the same date again makes a new snapshot that "
        "replaces the old one (which is kept).",
    )
    source = middle.text_input(
        "Source (optional)",
        key="upload_source",
        placeholder="e.g. PMO monthly pack",
        help="Where the data came from; the file names are used when left empty. A column "
        "mapping is saved under this name and used for the next upload of the same source.",
    )
    currency = right.selectbox(
        "Currency",
        [AS_THE_FILE_SAYS, *CODES],
        key="upload_currency",
        format_func=lambda c: c if c == AS_THE_FILE_SAYS else currency_label(c),
        help="The currency of the amounts, recorded with the snapshot. As the file says: "
        "the mapping's currency, or a sign or code in the amounts or their headers; else "
        "the display currency (Settings). The cockpit never converts amounts.",
    )
    declared = None if currency == AS_THE_FILE_SAYS else currency
    return Upload(list(files or []), as_of, source.strip(), declared)


def _nothing_uploaded() -> None:
    if not store().is_empty():
        st.caption(
            "Upload files to check them. Nothing is written until you commit, and a "
            "snapshot is committed whole or not at all."
        )
        return
    st.info(
        "**No data yet.** Download the template on the right, fill it in and upload it "
        "here, or start with the demo portfolio to see what the cockpit shows.",
        icon=":material/upload_file:",
    )
    load_demo_button()


def load_demo_button(label: str = "Load the demo portfolio", primary: bool = False) -> None:
    """Loads the demo (eight quarterly snapshots) into the empty store, for an editor."""
    if not st.button(
        label, icon=":material/auto_awesome:", type="primary" if primary else "secondary"
    ):
        return
    if not current_access().can_edit:
        st.error("Only an editor can load data into this cockpit.", icon=":material/lock:")
        return
    from connectors.cli import load_demo

    with st.spinner("Loading eight quarterly snapshots…"):
        try:
            load_demo(store(), actor=actor_name())
        except StoreError as exc:
            st.error(md(exc), icon=":material/error:")
            return
    flash("The demo portfolio is loaded: eight quarterly snapshots. See the Overview.")
    st.rerun()


def _verdict(result: LoadResult, upload: Upload, mapping: Mapping | None, name: str) -> None:
    """Ready or refused, in one line, and the commit button."""
    found = ", ".join(
        counted(result.parsed[t].height, t) for t in TABLE_LABELS if t in result.parsed
    )
    warnings = (
        f" · {counted(result.n_warnings, 'warnings')} that do not block"
        if result.n_warnings
        else ""
    )
    left_out = (
        f" Left out by the mapping: {left_out_text(result.left_out)} (each listed in the "
        "report below)."
        if result.left_out
        else ""
    )
    if not result.ok:
        st.error(
            f"**{counted(result.n_errors, 'problems')} must be fixed before this can be "
            "committed.** "
            f"Nothing has been written. Read: {found or 'no rows'}{warnings}.{left_out}",
            icon=":material/block:",
        )
        return
    with st.container(border=True):
        st.markdown(
            f"**Ready to commit** a snapshot as of {date_text(upload.as_of)}: {found}{warnings}."
        )
        st.caption(_currency_line(result))
        if mapping is not None and result.mapped:
            st.caption(
                f"Read through the mapping above; committing also saves it for “{md(name)}”, "
                "so the next upload of that source is read the same way."
            )
        if left_out:
            st.caption(left_out.strip())
        if st.button(
            "Commit snapshot",
            type="primary",
            icon=":material/cloud_upload:",
            disabled=not _amounts_confirmed(result),
        ):
            _commit(upload, mapping)


def _amounts_confirmed(result: LoadResult) -> bool:
    """Amounts that look like another unit must be confirmed (once per content) before
    the commit button works: a wrong unit stores wrong figures without any error."""
    if not result.amount_doubts:
        return True
    lines = [f"- {md(d.column)} {md(d.problem)}" for d in result.amount_doubts]
    st.warning(
        "**Check the amounts before committing.**\n"
        + "\n".join(lines)
        + f"\n\n{md(result.amount_doubts[0].fix)}",
        icon=":material/currency_exchange:",
    )
    return st.checkbox(
        "The amounts are right as they are", key=f"amounts_ok_{result.content_hash[:16]}"
    )


def _currency_line(result: LoadResult) -> str:
    """In which currency the amounts will be recorded, and why."""
    if result.currency and result.currency in result.currency_evidence:
        where = result.currency_evidence[result.currency][0]
        return f"Amounts in {currency_label(result.currency)}, as the upload says ({where})."
    if result.currency:
        return f"Amounts in {currency_label(result.currency)}, as chosen above."
    code = display_currency(store())
    return (
        f"Nothing in the upload says which currency its amounts are in: they are shown in "
        f"the display currency, {currency_label(code)}. Choose the currency above to record "
        "it with the snapshot."
    )


def _commit(upload: Upload, mapping: Mapping | None) -> None:
    try:
        outcome = ingest(
            store(),
            upload.sources(),
            upload.as_of,
            source=upload.source or None,
            actor=actor_name(),
            limits=upload_limits(),
            mapping=mapping,
            save_mapping=mapping is not None,
            currency=upload.currency,
        )
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    if outcome.commit is None:  # the store changed since the check; show the new report
        st.session_state.pop("upload_check", None)
        st.rerun()
    message = outcome.commit.message
    if outcome.mapping_saved:
        name = source_name(upload.sources(), upload.source)
        message += f" The mapping is saved for “{name}”: the next upload of it is read alike."
    flash(message, "info" if outcome.commit.noop else "success")
    st.session_state.pop("map_state", None)
    st.session_state["upload_round"] += 1  # a fresh, empty uploader
    st.session_state.pop("upload_check", None)
    st.rerun()


def _report(result: LoadResult) -> None:
    """The problems by cause, each with its count, first rows and the fix, in a table
    that wraps (readable at 1280 px); every row listed below, on demand."""
    if not result.causes:
        return
    st.subheader("Validation report")
    for severity, title in (("error", "Must be fixed"), ("warning", "Warnings (do not block)")):
        causes = [c for c in result.causes if c.severity == severity]
        if not causes:
            continue
        total = result.n_errors if severity == "error" else result.n_warnings
        files = {c.file for c in causes} - {None}
        where = f", all in {md(files.pop())}" if len(files) == 1 else ""
        st.markdown(
            f"**{title}**: {counted(total, 'problems')} in {counted(len(causes), 'causes')}" + where
        )
        table = _causes_table(causes)
        st.table(table.drop("Where") if where else table, hide_index=True)
    with st.expander(f"Every problem, row by row ({len(result.problems):,} listed)"):
        show_table(
            problems_frame(result.problems).select(
                pl.col("severity").str.to_titlecase().alias("Severity"),
                pl.col("file").alias("File"),
                pl.col("table").alias("Table"),
                pl.col("row").alias("Row"),
                pl.col("column").alias("Column"),
                pl.col("value").alias("Value"),
                pl.col("problem").alias("Problem"),
            ),
            fit=FIT_WIDTH_IN_EXPANDER,  # every column whole at 1280 px, the problem wrapped
            hide_index=True,
            column_config={"Row": st.column_config.NumberColumn(format="%d")},
        )
        if result.unlisted:
            st.caption(md(result.unlisted))
    st.download_button(
        "Download the report (CSV)",
        exports.csv_bytes(problems_frame(result.problems)),
        file_name=exports.stamped("validation-report", "csv"),
        mime=exports.CSV_MIME,
        icon=":material/download:",
        on_click="ignore",
    )


def _where(cause: Cause) -> str:
    return f"{cause.file} ({cause.table})" if cause.file and cause.table else cause.file or ""


def _causes_table(causes: list[Cause]) -> pl.DataFrame:
    """One row per cause; st.table renders Markdown, so every cell is escaped."""
    return pl.DataFrame(
        {
            "Problem": [md(c.headline()) for c in causes],
            "Where": [md(_where(c)) for c in causes],
            "Rows": [md(c.rows_text(REPORT_ROWS)) for c in causes],
            "Example": [md(c.example or "") for c in causes],
            "How to fix": [md(c.fix) for c in causes],
        },
        schema=dict.fromkeys(("Problem", "Where", "Rows", "Example", "How to fix"), pl.String),
    )


def _preview(result: LoadResult, mapping: Mapping | None = None) -> None:
    tables = [t for t in TABLE_LABELS if t in result.parsed]
    if not tables:
        return
    st.subheader("What was read")
    for tab, table in zip(
        st.tabs([f"{TABLE_LABELS[t]} ({result.parsed[t].height:,})" for t in tables]),
        tables,
        strict=True,
    ):
        with tab:
            frame = result.preview(table)
            mapped = any(s in result.mapped for s in result.tables_found.get(table, []))
            if mapped and mapping is not None and mapping.table == table:
                # The columns the mapping fills, so its result is seen without scrolling.
                frame = frame.select(
                    "file", "row", *[c for c in frame.columns if c in mapping.columns]
                )
            shown = frame.head(PREVIEW_ROWS)
            show_table(
                shown,
                hide_index=True,
                height=min(38 + 35 * max(shown.height, 1), 320),
                placeholder="",
                column_config=_preview_columns(shown),
            )
            sources = ", ".join(result.tables_found.get(table, [])) or ", ".join(
                result.tables_found.get("flat_benefits", [])
            )
            more = (
                f" · first {PREVIEW_ROWS:,} of {frame.height:,} rows"
                if frame.height > PREVIEW_ROWS
                else ""
            )
            how = " through the mapping (the columns it fills)" if mapped else ""
            st.caption(f"From {md(sources)}{how}{more}. Values as they will be stored.")


def _preview_columns(frame: pl.DataFrame) -> dict[str, object]:
    """Dates as dates, amounts with separators, short codes narrow and long texts no wider
    than medium, so more of a wide table is within reach."""
    texts = [n for n, t in frame.schema.items() if t == pl.String and n != "file"]
    longest = (
        frame.select(pl.col(texts).str.len_chars().max()).row(0, named=True)
        if texts and frame.height
        else {}
    )
    config: dict[str, object] = {
        # the file's name whole, as the validation report names it
        "file": st.column_config.TextColumn(
            width=one_line_px(["file", *frame.select("file").drop_nulls().to_series()])
        ),
        "row": st.column_config.NumberColumn(format="%d", width="small"),
    }
    for name, dtype in frame.schema.items():
        if name in config:
            continue
        if dtype == pl.Date:
            config[name] = st.column_config.DateColumn(format="YYYY-MM-DD")
        elif dtype == pl.Float64:
            config[name] = st.column_config.NumberColumn(format="localized")
        elif name in longest:
            short = (longest[name] or 0) <= 12
            config[name] = st.column_config.TextColumn(width="small" if short else "medium")
    return config


@st.cache_data(show_spinner=False)
def _template_files() -> tuple[bytes, bytes]:
    return exports.template_xlsx(), exports.template_zip()


def _template_card() -> None:
    with st.container(border=True):
        st.markdown("**Start from the template**")
        st.caption(
            "One sheet per table with a worked example row. Required columns are "
            "highlighted; each header carries its note."
        )
        xlsx, csv_zip = _template_files()
        st.download_button(
            "Template (Excel)",
            xlsx,
            file_name="cockpit-template.xlsx",
            mime=exports.XLSX_MIME,
            icon=":material/table_view:",
            on_click="ignore",
            width="stretch",
        )
        st.download_button(
            "Template (CSV files, zip)",
            csv_zip,
            file_name="cockpit-template-csv.zip",
            mime=exports.ZIP_MIME,
            icon=":material/folder_zip:",
            on_click="ignore",
            width="stretch",
        )
        if st.button("What each column means", icon=":material/menu_book:", width="stretch"):
            _column_reference()


@st.dialog("What each column means", width="large")
def _column_reference() -> None:
    """Every template column with its type and note, a tab per table."""
    notes = column_notes()
    st.caption(
        "Columns may come in any order and with common spellings (Project ID, BAC, "
        "Planned finish, KPI, ...). Unknown columns are ignored and listed."
    )
    for tab, table in zip(st.tabs(list(TABLE_LABELS.values())), TABLE_LABELS, strict=True):
        with tab:
            rows = notes.filter(pl.col("table") == table)
            show_table(
                rows.select(
                    pl.col("column").alias("Column"),
                    pl.col("required").alias("Required"),
                    pl.col("type").alias("Type"),
                    pl.col("note").alias("Note"),
                    pl.col("example").alias("Example"),
                ),
                hide_index=True,
                height=38 + 35 * rows.height,
                column_config={"Note": st.column_config.TextColumn(width="large")},
            )
