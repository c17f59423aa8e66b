"""CSV: the encoding, the delimiter and the header row are found, not assumed.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else
Windows-1252. Delimiters: comma, semicolon, tab or pipe, judged by parsing the first
rows with quotes respected (so `"Budget, USD"` does not fool it). The header is the
first row that names a contract table, so title lines above it are skipped.

Before the text is decoded or parsed, it is checked for what no CSV holds (a NUL byte)
and for lines longer than the cap, without copying it; a file far wider than a table may
be is refused from its first lines, before the parser builds a column for every field.
"""

from __future__ import annotations

import csv
import io

import polars as pl

from connectors.sheets.headers import HEADER_SEARCH_ROWS, coverage, find_header
from connectors.sheets.limits import DEFAULT_LIMITS, Limits, size_text
from connectors.sheets.read import RawTable, SourceFile, UnreadableFile, with_headers

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 64 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))


def to_utf8(source: SourceFile, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The file's text as UTF-8 bytes without BOM; binary data, NUL bytes and overlong
    lines are refused."""
    data = source.data
    if data.startswith(UTF16_BOMS):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"{source.name} says it is UTF-16 text but is not. Save it again as CSV UTF-8."
            ) from None
        check_text(data, limits)
        return data
    data = data.removeprefix(UTF8_BOM)
    head = data[:4096]
    if b"\x00" in head or sum(head.count(c) for c in _CONTROL) > len(head) // 100:
        raise UnreadableFile(
            f"{source.name} is not a text file (it contains binary data). "
            "Upload a CSV or an .xlsx workbook."
        )
    if b"\n" not in data and b"\r" in data:  # classic Mac line ends
        data = data.replace(b"\r", b"\n")
    check_text(data, limits)
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = data.decode("cp1252", errors="replace").encode("utf-8")
    return data


def check_text(data: bytes, limits: Limits) -> None:
    """Refuse a NUL byte anywhere (text never holds one: the file is damaged or binary)
    and a line longer than the cap, saying on which line."""
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise UnreadableFile(
            f"holds a NUL (zero) byte on line {line:,}, which a CSV never does: the file is "
            "damaged or not text",
            row=line,
            fix="Export it again as CSV UTF-8 and upload that.",
        )
    line = long_line(data, limits.max_line_bytes)
    if line is not None:
        raise UnreadableFile(
            f"line {line:,} is longer than {size_text(limits.max_line_bytes, 0)}, more than a "
            "line of a table may be (were its line breaks lost?)",
            row=line,
            fix="Export it again as CSV and upload that.",
        )


def long_line(data: bytes, most: int) -> int | None:
    """The number of the first line longer than `most` bytes, or None.

    From each line start it looks for the last line break within reach, so a file of
    short lines costs one search per `most` bytes, and no line is copied."""
    start = 0
    while len(data) - start > most:
        end = data.rfind(b"\n", start, start + most + 1)
        if end == -1:
            return data.count(b"\n", 0, start) + 1
        start = end + 1
    return None


def _check_width(sample: str, limits: Limits) -> None:
    """Refuse a file where one of the first lines splits into more fields than a table
    may have columns, whichever delimiter it uses (a line the sample cuts short is wider
    still)."""
    lines = sample.split("\n")
    for number, line in enumerate(lines[: HEADER_SEARCH_ROWS + 1], start=1):
        for delimiter in DELIMITERS:
            if line.count(delimiter) < limits.max_columns:
                continue
            try:
                width = len(next(csv.reader([line], delimiter=delimiter, strict=False), []))
            except csv.Error:  # a field longer than the csv module takes: count instead
                width = line.count(delimiter) + 1
            if width > limits.max_columns:
                cut = "at least " if number == len(lines) else ""
                raise UnreadableFile(
                    f"line {number:,} has {cut}{width:,} columns, more than the "
                    f"{limits.max_columns:,} a table may have",
                    row=number,
                    fix="Keep the columns of the template (and any you need) and upload again.",
                )


def _records(sample: str, delimiter: str, complete: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > HEADER_SEARCH_ROWS + 20:
                break
    except csv.Error:
        pass
    if not complete and len(records) > 1:
        records.pop()  # the sample may have cut the last record short
    return records


def sniff(sample: str, complete: bool) -> tuple[str, int]:
    """(delimiter, index of the header record) for a sample of the file's text."""
    best: tuple[int, int, str] | None = None  # (columns named, -index, delimiter)
    parsed = {d: _records(sample, d, complete) for d in DELIMITERS}
    for delimiter in DELIMITERS:  # in order of preference when tied
        records = parsed[delimiter]
        index = find_header(records)
        if index is None:
            continue
        score = coverage([c for c in records[index] if c])
        if score >= 2 and (best is None or (score, -index) > best[:2]):
            best = (score, -index, delimiter)
    if best is not None:
        return best[2], -best[1]
    delimiter = _most_consistent(parsed)
    return delimiter, find_header(parsed[delimiter]) or 0


def _most_consistent(parsed: dict[str, list[list[str]]]) -> str:
    """For files with no recognisable header: the delimiter that splits rows most evenly."""
    scores: dict[str, tuple[int, int]] = {}
    for delimiter, records in parsed.items():
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        scores[delimiter] = (widths.count(common) if common > 1 else 0, common)
    if not scores:
        return ","
    return max(DELIMITERS, key=lambda d: scores.get(d, (0, 0)))


def read_csv(source: SourceFile, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    """The file's one table, all cells as text."""
    data = to_utf8(source, limits)
    sample = data[:SAMPLE_BYTES].decode("utf-8", errors="ignore")
    _check_width(sample, limits)
    delimiter, header_index = sniff(sample, complete=len(data) <= SAMPLE_BYTES)
    try:
        frame = pl.read_csv(
            data,
            has_header=False,
            skip_rows=header_index,
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise UnreadableFile(
            f"{source.name} cannot be read as CSV ({first}). Check that it is comma, "
            "semicolon or tab separated text with balanced quotes."
        ) from None
    if frame.height == 0 or frame.width == 0:
        raise UnreadableFile(f"{source.name} holds no table. Fill in the template and upload it.")
    return RawTable(source.name, None, with_headers(frame, 0, header_index + 1), header_index + 1)
