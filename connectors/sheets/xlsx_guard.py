"""A workbook measured before any reader parses it.

An .xlsx file is a zip of XML parts, and the XLSX reader (calamine) trusts them: it
inflates each part whole, reserves room for as many shared strings as the workbook
declares, and lays a sheet out as one dense block from its first to its last value, so a
2 KB file with values at A1 and XFD1048576 asks for 512 GiB and aborts the process. Here
each part is inflated as a stream (a few megabytes at a time, however much it claims to
hold), counted, and scanned: its declared dimension, the cells that hold a value, the
declared number of shared strings and the longest text. A workbook over a cap is refused
with what it holds, before it is read.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from connectors.sheets.limits import Limits, count_text, size_text

CHUNK = 8 * 1024 * 1024
# A character takes at most 10 bytes of XML (`&#1114111;`), so a text longer than this
# many bytes per allowed character is certainly too long.
BYTES_PER_CHAR = 10
ROLE = re.compile(rb"<(?:[\w.-]+:)?(worksheet|sst)\b")
DIMENSION = re.compile(
    rb'<(?:[\w.-]+:)?dimension\b[^>]*\bref="([A-Za-z]+[0-9]+)(?::([A-Za-z]+[0-9]+))?"'
)
UNIQUE_COUNT = re.compile(rb'<(?:[\w.-]+:)?sst\b[^>]*\buniqueCount="([0-9]+)"')
# Cells written as Excel writes them (`<c r="B7" ...>`, the reference first); an empty
# cell (`<c r="B7" s="1"/>`) holds no value and takes no room, so it is left out. Columns
# and rows are found apart: the sets of each are small, the pairs would not be.
VALUE_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"[^>/]*>')
VALUE_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"[^>/]*>')
# A cell written otherwise: no reference, another attribute first, or a prefixed name.
OTHER_CELL = re.compile(rb'<c>|<c (?!r="[A-Z]{1,3}[0-9]{1,7}")|:c[ />]')
# Any row or cell tag, for sheets written otherwise (prefixed names, no or late `r`).
TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)\b([^>]*)>")
REF = re.compile(rb'\br="([A-Za-z]*)([0-9]*)"')
SHEET_ENTRY = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
RELATION = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
ATTRIBUTE = re.compile(rb'([\w:.-]+)="([^"]*)"')


class WorkbookRefused(Exception):
    """The workbook holds more than an upload may, or is damaged: what (`str`), and the
    fix."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix


def column_number(letters: bytes | str) -> int:
    """A1-style column letters as a number: A is 1, XFD is 16384."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Span:
    """The rows and columns a sheet's values reach (1-based, inclusive)."""

    first_row: int = 0
    last_row: int = 0
    first_column: int = 0
    last_column: int = 0

    @property
    def empty(self) -> bool:
        return self.last_row == 0

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1 if not self.empty else 0

    @property
    def columns(self) -> int:
        return self.last_column - self.first_column + 1 if not self.empty else 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def text(self) -> str:
        start = f"{column_letters(self.first_column)}{self.first_row}"
        return f"{start}:{column_letters(self.last_column)}{self.last_row}"

    def joined(self, rows: tuple[int, int], columns: tuple[int, int]) -> Span:
        if self.empty:
            return Span(rows[0], rows[1], columns[0], columns[1])
        return Span(
            min(self.first_row, rows[0]),
            max(self.last_row, rows[1]),
            min(self.first_column, columns[0]),
            max(self.last_column, columns[1]),
        )


def check_workbook(data: bytes, limits: Limits) -> None:
    """Raise WorkbookRefused when the workbook would cost more to read than the caps allow
    or cannot be unpacked. First what all its parts really inflate to (cheap, and where a
    zip bomb stops), then its sheets and texts. An archive that does not open at all is
    left to the reader, which says so."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        parts = [info for info in archive.infolist() if not info.is_dir()]
        current = ""
        try:
            budget = limits.max_unpacked_bytes
            for info in parts:
                current = info.filename
                budget -= sum(len(chunk) for chunk in inflate(archive, info, budget))
            book = _book(archive)
            for info in parts:
                current = info.filename
                _check_part(archive, info, book, limits)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            raise WorkbookRefused(
                f"is a damaged or encrypted workbook ({current} cannot be unpacked)",
                "Open it in Excel, save it again as .xlsx (without a password) and upload that.",
            ) from None
        except Unpacked:
            raise WorkbookRefused(
                f"unpacks to more than {size_text(limits.max_unpacked_bytes, 0)} (an .xlsx "
                "file is a zip archive of its sheets), more than an upload may hold",
                "Split the workbook (for example one file per table, or measurements by year) "
                "and upload the parts.",
            ) from None


class Unpacked(Exception):
    """A part inflates to more than the budget left for it."""


def inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> Iterator[bytes]:
    """The part's bytes as they really inflate, whatever size the archive declares for
    it: chunk by chunk, and no further than the budget (one byte past it raises)."""
    with archive.open(_unbounded(info)) as stream:
        used = 0
        while chunk := stream.read(CHUNK):
            used += len(chunk)
            if used > budget:
                raise Unpacked
            yield chunk


def _unbounded(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A copy of the entry that lets a reader inflate until the compressed data ends: a
    declared size is only a claim (a reader that stops there would also check the CRC of
    a part cut short). The CRC is still checked where the data really ends."""
    honest = zipfile.ZipInfo(info.filename, info.date_time)
    for slot in zipfile.ZipInfo.__slots__:
        if hasattr(info, slot):
            setattr(honest, slot, getattr(info, slot))
    honest.file_size = 1 << 62
    return honest


@dataclass
class _Scan:
    """What one part held, gathered chunk by chunk."""

    role: bytes | None = None
    carry: bytes = b""
    span: Span = Span()
    row: int = 0  # for sheets whose cells do not all say where they are
    column: int = 0
    general: bool = False


def _check_part(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    book: _Book,
    limits: Limits,
) -> None:
    """Scan a sheet or the shared strings, refusing the workbook on the first cap it
    breaks. A part is told by its root element; one the workbook points to but whose
    root is not found is scanned as a sheet."""
    path = info.filename.lstrip("/")
    if path not in book.targets and not path.lower().endswith(".xml"):
        return  # images, VBA and printer settings: no reader looks into them
    scan = _Scan()
    where = f"sheet {book.sheets[path]}" if path in book.sheets else f"part {path}"
    for chunk in inflate(archive, info, limits.max_unpacked_bytes):
        if scan.role is None:
            found = ROLE.search(chunk)
            if found is None and path not in book.targets:
                return
            scan.role = found.group(1) if found else b"worksheet"
            if scan.role == b"sst":
                where = f"its shared strings ({path})"
            _check_declared(where, chunk, scan.role, limits)
        _scan_chunk(where, chunk, scan, limits)
    if scan.role == b"worksheet":
        _check_span(where, scan.span, limits)


def _check_declared(where: str, head: bytes, role: bytes, limits: Limits) -> None:
    if role == b"worksheet":
        dimension = DIMENSION.search(head)
        if dimension:
            first = _cell(dimension.group(1))
            last = _cell(dimension.group(2) or dimension.group(1))
            span = Span(first[0], last[0], first[1], last[1])
            span = Span(
                min(span.first_row, span.last_row),
                max(span.first_row, span.last_row),
                min(span.first_column, span.last_column),
                max(span.first_column, span.last_column),
            )
            if span.cells > limits.max_sheet_cells:
                raise WorkbookRefused(
                    f"declares {count_text(span.cells)} cells in {where} ({span.text}), more "
                    f"than the {count_text(limits.max_sheet_cells)} a sheet may hold; nothing "
                    "was read",
                    "Copy the table to a new workbook (or delete the empty rows and columns "
                    "around it), save it and upload that.",
                )
        return
    unique = UNIQUE_COUNT.search(head)
    if unique and int(unique.group(1)) > limits.max_sheet_cells:
        raise WorkbookRefused(
            f"declares {count_text(int(unique.group(1)))} different texts (shared strings), "
            f"more than the {count_text(limits.max_sheet_cells)} cells a sheet may hold; "
            "nothing was read",
            "Open it in Excel, save it again as .xlsx and upload that.",
        )


def _cell(ref: bytes) -> tuple[int, int]:
    """(row, column) of an A1 reference."""
    letters = ref.rstrip(b"0123456789")
    return int(ref[len(letters) :]), column_number(letters)


def _scan_chunk(where: str, chunk: bytes, scan: _Scan, limits: Limits) -> None:
    """Check the texts and gather the cells of one chunk; an unfinished tag at its end is
    carried over to the next one."""
    buffer = scan.carry + chunk
    cut = buffer.rfind(b"<")
    body, scan.carry = (buffer[:cut], buffer[cut:]) if cut > 0 else (b"", buffer)
    longest = limits.max_cell_chars * BYTES_PER_CHAR
    if len(scan.carry) > longest or _overlong(body, longest):
        raise WorkbookRefused(
            f"holds a text of more than {limits.max_cell_chars:,} characters in {where}, "
            "more than a cell may hold (Excel's own limit); nothing was read",
            "Shorten that cell, save and upload again.",
        )
    if scan.role == b"worksheet" and body:
        _gather_cells(body, scan)


def _overlong(body: bytes, longest: int) -> bool:
    """Whether some stretch of the body without a tag is longer than `longest` bytes:
    looking for the last `<` within reach of the one before, so a chunk takes a few
    searches, not one per tag."""
    position = 0
    end = len(body)
    while end - position > longest:
        found = body.rfind(b"<", position + 1, position + longest + 2)
        if found == -1:
            return True
        position = found
    return False


def _gather_cells(body: bytes, scan: _Scan) -> None:
    """Widen the span by the cells of this stretch of sheet XML that hold a value."""
    if not scan.general and OTHER_CELL.search(body):
        scan.general = True  # some cell is written differently: read tag by tag from here
    if scan.general:
        _gather_tag_by_tag(body, scan)
        return
    rows = {int(n) for n in set(VALUE_ROW.findall(body))}
    if not rows:
        return
    columns = [column_number(c) for c in set(VALUE_COLUMN.findall(body))]
    scan.span = scan.span.joined((min(rows), max(rows)), (min(columns), max(columns)))
    # Where the last cell was, should a later stretch need reading tag by tag.
    last = body.rfind(b'<c r="')
    ref = REF.search(body, last, last + 20)
    if ref:
        scan.row, scan.column = int(ref.group(2)), column_number(ref.group(1))


def _gather_tag_by_tag(body: bytes, scan: _Scan) -> None:
    """As the reader places cells: a row's `r` (else the next row), a cell's `r` (else the
    column after the previous cell)."""
    span = scan.span
    for tag in TAG.finditer(body):
        kind, attributes = tag.group(1), tag.group(2)
        ref = REF.search(attributes)
        if kind == b"row":
            scan.row = int(ref.group(2)) if ref and ref.group(2) else scan.row + 1
            scan.column = 0
            continue
        if ref and ref.group(1):
            scan.column = column_number(ref.group(1))
            if ref.group(2):
                scan.row = int(ref.group(2))
        else:
            scan.column += 1
        if not attributes.rstrip().endswith(b"/"):
            span = span.joined((scan.row, scan.row), (scan.column, scan.column))
    scan.span = span


def _check_span(where: str, span: Span, limits: Limits) -> None:
    """Refuse values spread wider (or over more cells) than a table may be: the reader
    would lay the whole span out (rows alone are counted once read, as for a CSV)."""
    if span.columns > limits.max_columns:
        too = f"{span.columns:,} columns, more than the {limits.max_columns:,} a table may have"
    elif span.cells > limits.max_sheet_cells:
        too = (
            f"{count_text(span.cells)} cells, more than the "
            f"{count_text(limits.max_sheet_cells)} a sheet may hold"
        )
    else:
        return
    raise WorkbookRefused(
        f"has values in {where} from {span.text.replace(':', ' to ')}: {too}; nothing was read",
        "Delete the stray cells far below or to the right of the table (Ctrl+End in Excel "
        "goes to the last one), save and upload again.",
    )


@dataclass(frozen=True)
class _Book:
    """The parts the workbook points to, and the name of each sheet's part."""

    targets: frozenset[str] = frozenset()
    sheets: dict[str, str] = field(default_factory=dict)


def _book(archive: zipfile.ZipFile) -> _Book:
    """What the workbook and its relationships say (read only when small: they only make
    messages clearer and tell sheets stored under other names)."""
    try:
        book = _small_part(archive, "xl/workbook.xml")
        relations = _small_part(archive, "xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        return _Book()
    except Unpacked:
        return _Book()
    if book is None or relations is None:
        return _Book()
    targets = {}
    for relation in RELATION.finditer(relations):
        attributes = dict(ATTRIBUTE.findall(relation.group(1)))
        target = html.unescape(attributes.get(b"Target", b"").decode(errors="replace"))
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attributes.get(b"Id", b"")] = posixpath.normpath(path)
    names = {}
    for sheet in SHEET_ENTRY.finditer(book):
        attributes = dict(ATTRIBUTE.findall(sheet.group(1)))
        relation = next((v for k, v in attributes.items() if k.endswith(b":id")), b"")
        if relation in targets and b"name" in attributes:
            names[targets[relation]] = html.unescape(attributes[b"name"].decode(errors="replace"))
    return _Book(frozenset(targets.values()), names)


def _small_part(archive: zipfile.ZipFile, path: str, most: int = 4 * 1024 * 1024) -> bytes | None:
    info = archive.getinfo(path)
    data = b"".join(inflate(archive, info, most)) if info.file_size <= most else None
    return data
