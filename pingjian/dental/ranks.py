"""Percentile ranks (百分位), exactly: PR(x) = (100 × #(v ≤ x)) // N over non-null values.

Values are exact `Fraction`s (numerator/denominator from the engine), so ties are decided on
exact values and no float rounding can move a rank (0.29 × 100 = 28.999… in binary floats).
Pure Python; no engine import.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K")

METHOD = "cume_dist_floor"


def percentile_ranks(values: Mapping[K, Fraction | int | None], method: str = METHOD) -> dict[K, int | None]:
    """PR per key; None for a null value (left out of the population)."""
    if method != METHOD:
        raise ValueError(f"unknown percentile method {method!r}")
    out: dict[K, int | None] = {k: None for k, v in values.items() if v is None}
    present = _exact_order([(Fraction(v), k) for k, v in values.items() if v is not None])
    n = len(present)
    i = 0
    while i < n:  # one group of equal values at a time: all get the group's high count
        j = i + 1
        while j < n and present[j][0] == present[i][0]:
            j += 1
        for _v, key in present[i:j]:
            out[key] = (100 * j) // n
        i = j
    return out


def _exact_order(pairs: list[tuple[Fraction, K]]) -> list[tuple[Fraction, K]]:
    """Sorted by exact value. Sorting Fractions compares by cross-multiplication (slow); a float is
    the correctly rounded value and rounding is monotone, so the float decides the order and the
    Fraction is compared only when two floats are equal."""
    return sorted(pairs, key=lambda p: (float(p[0]), p[0]))
