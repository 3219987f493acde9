"""Percentile ranks (百分位), exactly: PR(x) = (100 × #(v ≤ x)) // N over non-null values.

Values are exact `Fraction`s (numerator/denominator from the engine), so ties are decided on
exact values and no float rounding can move a rank (0.29 × 100 = 28.999… in binary floats).
Pure Python; no engine import.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K")

METHOD = "cume_dist_floor"


def percentile_ranks(values: Mapping[K, Fraction | int | None], method: str = METHOD) -> dict[K, int | None]:
    """PR per key; None for a null value (left out of the population)."""
    if method != METHOD:
        raise ValueError(f"unknown percentile method {method!r}")
    present = sorted(Fraction(v) for v in values.values() if v is not None)
    n = len(present)
    out: dict[K, int | None] = {}
    for key, v in values.items():
        if v is None:
            out[key] = None
        else:
            out[key] = (100 * bisect_right(present, Fraction(v))) // n
    return out
