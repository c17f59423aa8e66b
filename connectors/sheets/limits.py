"""How much one upload may hold: the one place a deployment (or, later, settings) sets it.

Bytes on disk say little about what a file costs to read: a 2 KB workbook can declare 17
billion cells and a 12 MB one can inflate to gigabytes of XML. So besides the file size
there are caps on what the file holds (checked before any reader parses it where the
format allows, and on what was read), and the parse itself runs in a child process with
a memory and a time limit (connectors/isolated.py), so a reader that gives up ends only
that process. The README lists these caps.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True)
class Limits:
    """Upload limits. `max_file_bytes` applies to each file (and to a zip's contents);
    `max_problems` caps how many problems of each severity are listed. The other caps
    hold for CSV and XLSX alike, per table (a CSV file or a sheet)."""

    max_file_bytes: int = 50 * MB
    max_problems: int = 200
    max_columns: int = 500
    max_rows: int = 2_000_000
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_line_bytes: int = 1 * MB  # one line of a CSV
    max_unpacked_bytes: int = 1 * GB  # all parts of a workbook (or a zip) once inflated
    max_sheet_cells: int = 10_000_000  # rows x columns a sheet's cells span
    worker_memory_bytes: int = 4 * GB  # address space of the process that parses
    worker_seconds: int = 180  # wall time of the process that parses

    @property
    def max_file_mb(self) -> int:
        return max(1, self.max_file_bytes // MB)


DEFAULT_LIMITS = Limits()


def limits_from(max_upload_mb: str | int | None) -> Limits:
    """The limits for a configured size (`[limits] max_upload_mb` or COCKPIT_MAX_UPLOAD_MB);
    the default when unset or not a positive whole number."""
    try:
        megabytes = int(max_upload_mb) if max_upload_mb not in (None, "") else 0
    except (TypeError, ValueError):
        megabytes = 0
    if megabytes < 1:
        return DEFAULT_LIMITS
    return Limits(max_file_bytes=megabytes * MB)


def size_text(n: int, decimals: int = 1) -> str:
    """A byte count as a reader says it: 3.2 GB, 45.0 MB, 0.1 KB."""
    if n >= GB:
        return f"{n / GB:,.{decimals}f} GB"
    if n >= MB:
        return f"{n / MB:,.{decimals}f} MB"
    return f"{n / 1024:,.{decimals}f} KB"


def count_text(n: int) -> str:
    """A large count in words (17 billion, 27 million), else with separators."""
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if n >= size:
            return f"{n / size:,.0f} {word}" if n >= 10 * size else f"{n / size:,.1f} {word}"
    return f"{n:,}"
