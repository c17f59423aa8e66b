"""How much one upload may hold: the one place a deployment (or, later, settings) sets it."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upload limits. `max_file_bytes` applies to each file (and to a zip's contents);
    `max_problems` caps how many problems of each severity are listed."""

    max_file_bytes: int = 50 * MB
    max_problems: int = 200

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
