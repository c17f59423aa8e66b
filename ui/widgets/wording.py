"""Small helpers for text the pages show."""

from __future__ import annotations


def counted(n: int, plural: str) -> str:
    """`1 project`, `2 projects`, `1,204 measurements` (plural nouns ending in s)."""
    return f"{n:,} {plural[:-1] if n == 1 else plural}"
