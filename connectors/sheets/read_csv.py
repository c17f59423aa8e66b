"""CSV: the encoding, the delimiter and the header row are found, not assumed.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else
Windows-1252. Delimiters: comma, semicolon, tab or pipe, judged by parsing the first
rows with quotes respected (so `"Budget, USD"` does not fool it). The header is the
first row that names a contract table, so title lines above it are skipped.
"""

from __future__ import annotations

import csv
import io

import polars as pl

from connectors.sheets.headers import HEADER_SEARCH_ROWS, coverage, find_header
from connectors.sheets.read import RawTable, SourceFile, UnreadableFile, with_headers

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 64 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))


def to_utf8(source: SourceFile) -> bytes:
    """The file's text as UTF-8 bytes without BOM; binary data is refused."""
    data = source.data
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"{source.name} says it is UTF-16 text but is not. Save it again as CSV UTF-8."
            ) from None
    data = data.removeprefix(UTF8_BOM)
    head = data[:4096]
    if b"\x00" in head or sum(head.count(c) for c in _CONTROL) > len(head) // 100:
        raise UnreadableFile(
            f"{source.name} is not a text file (it contains binary data). "
            "Upload a CSV or an .xlsx workbook."
        )
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = data.decode("cp1252", errors="replace").encode("utf-8")
    if b"\n" not in data and b"\r" in data:  # classic Mac line ends
        data = data.replace(b"\r", b"\n")
    return data


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


def read_csv(source: SourceFile) -> RawTable:
    """The file's one table, all cells as text."""
    data = to_utf8(source)
    sample = data[:SAMPLE_BYTES].decode("utf-8", errors="ignore")
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
