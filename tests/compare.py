"""Comparing reports: exact for text, booleans and structure; floats to 1e-9.

Polars sums in parallel, so the last bits of a float can differ between two runs.
"""

from __future__ import annotations

import math
from typing import Any


def differences(a: Any, b: Any, path: str = "", tol: float = 1e-9) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(a)} != {sorted(b)}"]
        return [d for k in a for d in differences(a[k], b[k], f"{path}.{k}", tol)]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, f"{path}[{i}]", tol)
        ]
    if isinstance(a, float) and isinstance(b, float) and not isinstance(a, bool):
        return [] if math.isclose(a, b, rel_tol=tol, abs_tol=tol) else [f"{path}: {a} != {b}"]
    return [] if a == b and type(a) is type(b) else [f"{path}: {a!r} != {b!r}"]


def assert_same_report(a: Any, b: Any) -> None:
    found = differences(a, b)
    assert not found, "\n".join(found[:20])
