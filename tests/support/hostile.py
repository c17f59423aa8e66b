"""Hostile uploads, built in memory and small on disk: workbooks that declare or expand to
far more than they hold (the sheet dimension A1:XFD1048576, one huge shared string, sheet
XML that inflates to gigabytes), and CSVs too wide, too long on one line, or holding NULs.

The zip members are written by hand so a member can inflate to gigabytes without the test
ever holding them: after a full flush a deflate stream no longer refers to what came
before, so one compressed block can be repeated as often as wanted.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from connectors.sheets.xlsx_guard import column_letters

MIB = 1024 * 1024
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

PROJECT_HEADER = ("project_id", "name", "status", "baseline_end")
PROJECT_ROW = ("P-1", "Payments", "active", "2026-12-31")


@dataclass(frozen=True)
class Member:
    """One zip member as stored: raw deflate bytes, the CRC and size of what they inflate to."""

    name: str
    deflated: bytes
    crc: int
    size: int


def member(name: str, data: bytes) -> Member:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def repeated_member(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> Member:
    """head + chunk * times + tail, deflated without ever being built whole."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "a fully flushed block must not depend on what came before"
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * times + len(tail)
    assert size < 2**32, "no zip64 here"
    return Member(name, start + block * times + end, crc, size)


LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
CENTRAL_ENTRY = struct.Struct("<IHHHHHHIIIHHHHHII")
END_RECORD = struct.Struct("<IHHHHIIH")
DEFLATED, DOS_TIME, DOS_DATE = 8, 0, 0x21  # 1980-01-01 00:00


def zip_bytes(members: list[Member]) -> bytes:
    """A plain (non-zip64) zip archive of already deflated members."""
    out = io.BytesIO()
    central = []
    for m in members:
        offset = out.tell()
        name = m.name.encode()
        stored = (DEFLATED, DOS_TIME, DOS_DATE, m.crc, len(m.deflated), m.size, len(name))
        out.write(LOCAL_HEADER.pack(0x04034B50, 20, 0, *stored, 0) + name + m.deflated)
        central.append(CENTRAL_ENTRY.pack(0x02014B50, 20, 20, 0, *stored, 0, 0, 0, 0, 0, offset))
        central.append(name)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(
        END_RECORD.pack(0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0)
    )
    return out.getvalue()


def _package(sheet: Member, strings: Member | None = None, name: str = "projects") -> bytes:
    """A workbook with one sheet (and a shared-strings part when given)."""
    overrides = (
        f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_TYPE}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
        + (
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
            if strings
            else ""
        )
    )
    relations = (
        f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (
            f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            if strings
            else ""
        )
    )
    parts = [
        member(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f"{overrides}</Types>"
            ).encode(),
        ),
        member(
            "_rels/.rels",
            (
                f'<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" '
                f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ).encode(),
        ),
        member(
            "xl/workbook.xml",
            (
                f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
                f'<sheet name="{escape(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode(),
        ),
        member(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG_NS}">{relations}</Relationships>'.encode(),
        ),
        sheet,
    ]
    return zip_bytes(parts + ([strings] if strings else []))


def _cells(row: int, values: tuple[str, ...]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{row}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{row}">{cells}</row>'


def _sheet_xml(dimension: str | None, rows: str) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}">'
        f"{declared}<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def huge_dimension_xlsx() -> bytes:
    """A two-row projects sheet that declares the whole grid, A1:XFD1048576, and has a
    value in its last cell: the XLSX reader lays 17 billion cells out (512 GiB)."""
    rows = (
        _cells(1, PROJECT_HEADER)
        + _cells(2, PROJECT_ROW)
        + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    return _package(member("xl/worksheets/sheet1.xml", _sheet_xml("A1:XFD1048576", rows)))


def far_cell_xlsx() -> bytes:
    """A small dimension, but one real cell far away (XFD1048576): the cells present span
    the whole grid."""
    rows = (
        _cells(1, PROJECT_HEADER)
        + _cells(2, PROJECT_ROW)
        + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    return _package(member("xl/worksheets/sheet1.xml", _sheet_xml("A1:D2", rows)))


def huge_shared_string_xlsx(mib: int = 200) -> bytes:
    """A projects sheet whose name cell is one shared string of `mib` MiB of one letter
    (about 200 KB on disk for 200 MiB)."""
    rows = _cells(1, PROJECT_HEADER) + (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>P-1</t></is></c>'
        '<c r="B2" t="s"><v>0</v></c>'
        '<c r="C2" t="inlineStr"><is><t>active</t></is></c>'
        '<c r="D2" t="inlineStr"><is><t>2026-12-31</t></is></c></row>'
    )
    strings = repeated_member(
        "xl/sharedStrings.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="1" '
        'uniqueCount="1"><si><t>'.encode(),
        b"a" * MIB,
        mib,
        b"</t></si></sst>",
    )
    return _package(member("xl/worksheets/sheet1.xml", _sheet_xml("A1:D2", rows)), strings)


def shared_strings_count_xlsx() -> bytes:
    """A projects sheet whose one shared string comes in a table that declares four
    billion of them: the reader reserves room for all of them first (96 GB)."""
    rows = _cells(1, PROJECT_HEADER) + (
        '<row r="2"><c r="A2" t="s"><v>0</v></c>'
        '<c r="B2" t="inlineStr"><is><t>Payments</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>active</t></is></c>'
        '<c r="D2" t="inlineStr"><is><t>2026-12-31</t></is></c></row>'
    )
    strings = member(
        "xl/sharedStrings.xml",
        (
            f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="4000000000"><si><t>P-1</t></si></sst>'
        ).encode(),
    )
    return _package(member("xl/worksheets/sheet1.xml", _sheet_xml("A1:D2", rows)), strings)


def sheet_bomb_xlsx(mib: int = 2048) -> bytes:
    """A projects sheet whose XML inflates to `mib` MiB (whitespace between rows, which XML
    allows): about 2 MB on disk for 2 GiB."""
    head = _sheet_xml("A1:D2", _cells(1, PROJECT_HEADER)).split(b"</sheetData>")[0]
    return _package(
        repeated_member(
            "xl/worksheets/sheet1.xml",
            head,
            b" " * MIB,
            mib,
            (_cells(2, PROJECT_ROW) + "</sheetData></worksheet>").encode(),
        )
    )


def in_zip(name: str, data: bytes) -> bytes:
    """The file inside a zip archive, as an upload of several files arrives."""
    return zip_bytes([member(name, data)])


def wide_csv(columns: int = 100_000, rows: int = 10) -> bytes:
    """project_id,name,status,baseline_end and more columns up to `columns` in all, each
    named and filled with one letter: about 4 MB for 100,000 x 10."""
    extra = columns - len(PROJECT_HEADER)
    header = ",".join([*PROJECT_HEADER, *("x" * extra)])
    row = ",".join([*PROJECT_ROW, *("y" * extra)])
    return (header + "\n" + "\n".join(row for _ in range(rows)) + "\n").encode()


def single_line_csv(mib: int = 45) -> bytes:
    """A projects header, then one line of `mib` MiB without a line break."""
    return (",".join(PROJECT_HEADER) + "\n").encode() + b"P-1,Payments" + b"a" * (mib * MIB)


def nul_csv() -> bytes:
    """A valid projects CSV with one NUL byte in a name, deep in the file."""
    rows = [",".join(PROJECT_HEADER)] + [
        f"P-{i},Project {i},active,2026-12-31" for i in range(1, 5000)
    ]
    rows[4000] = "P-4000,Pro\x00ject,active,2026-12-31"
    return ("\n".join(rows) + "\n").encode()


def text_xlsx(records: list[dict[str, str]], sheet: str = "projects") -> bytes:
    """A workbook with one sheet of these rows, every cell an inline string written as
    given (no spreadsheet library in between that would turn `=...` into a formula or
    cut a text at Excel's 32,767 characters)."""
    header = list(dict.fromkeys(k for r in records for k in r))
    lines = [header, *[[r.get(c, "") for c in header] for r in records]]
    rows = "".join(
        f'<row r="{i}">'
        + "".join(
            f'<c r="{column_letters(j)}{i}" t="inlineStr"><is><t xml:space="preserve">'
            f"{escape(value)}</t></is></c>"
            for j, value in enumerate(line, start=1)
        )
        + "</row>"
        for i, line in enumerate(lines, start=1)
    )
    dimension = f"A1:{column_letters(len(header))}{len(lines)}"
    return _package(member("xl/worksheets/sheet1.xml", _sheet_xml(dimension, rows)), name=sheet)
