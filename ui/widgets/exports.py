"""Every file the app offers for download is made here, from Polars frames.

Text a spreadsheet would run as a formula is neutralised first (domain.formulas, which
the command line's CSV report uses too). The store keeps the text exactly as uploaded;
only exports change it. Pure functions: no Streamlit, so the CLI and tests can use them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import polars as pl
import xlsxwriter

from connectors.sheets.mapping import Mapping
from connectors.sheets.template import HOW_TO, column_notes, example_frames
from domain.contract import PROJECT_STATUSES, RAG_VALUES, TABLES
from domain.formulas import neutralise

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
ZIP_MIME = "application/zip"
MAX_WIDTH = 60


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so Excel opens accents correctly; formulas neutralised."""
    return neutralise(frame).write_csv(include_bom=True).encode("utf-8")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class _Book:
    """An in-memory workbook with the formats every export shares."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        # Belt and braces: even un-neutralised text would be written as text.
        self.book = xlsxwriter.Workbook(
            self.buffer,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        self.header = self.book.add_format(
            {"bold": True, "bg_color": "#E8EEF5", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.required = self.book.add_format(
            {"bold": True, "bg_color": "#0072B2", "font_color": "#FFFFFF", "bottom": 1}
        )
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def sheet(
        self,
        name: str,
        frame: pl.DataFrame,
        *,
        required: tuple[str, ...] = (),
        comments: dict[str, str] | None = None,
    ) -> xlsxwriter.worksheet.Worksheet:
        """Write a frame as a sheet: header row, typed cells, sensible widths, a filter."""
        frame = neutralise(frame)
        sheet = self.book.add_worksheet(name[:31])
        widths = _widths(frame)
        for j, (column, dtype) in enumerate(frame.schema.items()):
            style = self.required if column in required else self.header
            sheet.write_string(0, j, column, style)
            if comments and comments.get(column):
                sheet.write_comment(0, j, comments[column], {"x_scale": 2, "y_scale": 1.5})
            cell = None
            if dtype == pl.Date:
                cell = self.date
            elif isinstance(dtype, pl.Datetime):
                cell = self.datetime
            sheet.write_column(1, j, frame.get_column(column).to_list(), cell)
            sheet.set_column(j, j, widths[column])
        sheet.freeze_panes(1, 0)
        if frame.width:
            sheet.autofilter(0, 0, max(frame.height, 1), frame.width - 1)
        return sheet

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _widths(frame: pl.DataFrame) -> dict[str, int]:
    """Column widths from the longest text in each column (header included)."""
    if frame.height == 0:
        return {c: max(len(c) + 2, 10) for c in frame.columns}
    longest = frame.select(
        pl.col(c).cast(pl.String).str.len_chars().max().fill_null(0).alias(c) for c in frame.columns
    ).row(0, named=True)
    return {c: min(max(len(c), int(longest[c]), 8) + 2, MAX_WIDTH) for c in frame.columns}


def xlsx_bytes(sheets: dict[str, pl.DataFrame]) -> bytes:
    """A workbook with one sheet per frame; formulas neutralised."""
    book = _Book()
    for name, frame in sheets.items():
        book.sheet(name, frame)
    return book.close()


def template_xlsx() -> bytes:
    """The upload template: a README sheet with every column's note, then one sheet per
    table with its header (required columns highlighted, notes as comments), a worked
    example row and drop-downs for status and RAG."""
    book = _Book()
    notes = column_notes()
    readme = book.sheet("README", notes)
    readme.set_column(4, 4, 70, book.wrap)
    last = notes.height + 3
    readme.write_string(last, 0, "How to use this template", book.header)
    readme.merge_range(last + 1, 0, last + 3, 5, HOW_TO, book.wrap)
    for name, frame in example_frames().items():
        table = TABLES[name]
        sheet = book.sheet(
            name,
            frame,
            required=tuple(table.required),
            comments={c.name: c.note for c in table.columns if c.note},
        )
        for j, column in enumerate(table.columns):
            if column.kind in ("status", "rag", "choice"):
                values = {"status": PROJECT_STATUSES, "rag": RAG_VALUES}.get(
                    column.kind, column.choices
                )
                sheet.data_validation(
                    1,
                    j,
                    5000,
                    j,
                    {"validate": "list", "source": list(values), "ignore_blank": True},
                )
    return book.close()


def template_zip() -> bytes:
    """The template as one CSV per table, plus a README with every column's note."""
    described = column_notes().select(
        pl.format(
            "{}.{}: {}{}. {}",
            "table",
            "column",
            "type",
            pl.when(pl.col("required") == "yes").then(pl.lit(" (required)")).otherwise(pl.lit("")),
            "note",
        )
    )
    readme = "\n".join([HOW_TO, "", *described.to_series().to_list()])
    files = {f"{name}.csv": csv_bytes(frame) for name, frame in example_frames().items()}
    files["README.txt"] = readme.encode("utf-8")
    return zip_bytes(files)


def stamped(name: str, suffix: str, when: dt.date | None = None) -> str:
    """A download file name with the date, e.g. audit-log-2026-09-30.csv."""
    return f"{name}-{(when or dt.date.today()).isoformat()}.{suffix}"


TOML_MIME = "application/toml"


def mapping_toml(mapping: Mapping) -> bytes:
    """A column mapping as the TOML file the CLI's --mapping reads (not a spreadsheet, so
    nothing to neutralise)."""
    return mapping.to_toml().encode("utf-8")
