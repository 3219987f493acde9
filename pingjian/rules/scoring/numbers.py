"""Exact numbers for scores: half-up rounding (四捨五入) once, and writing numbers for people.

Scores are `Fraction` while they are computed and `Decimal` once rounded; never binary floats.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction


def round_half_up(value: Fraction, places: int) -> Decimal:
    """VALUE rounded half-up (四捨五入) to PLACES decimals, as a Decimal with exactly PLACES digits."""
    scale = 10**places
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    units = sign * math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(units).scaleb(-places)


def decimal_text(value: Decimal) -> str:
    """A decimal without exponent: ``Decimal('70.00')`` → ``70.00``."""
    return format(value, "f")


def plain(value: Decimal | Fraction) -> str:
    """A number written plainly: 4 → ``4``, 2.50 → ``2.5``; a non-terminating fraction as p/q."""
    if isinstance(value, Fraction):
        exact = exact_decimal(value)
        if exact is None:
            return f"{value.numerator}/{value.denominator}"
        value = exact
    normal = value.normalize()
    text = format(normal, "f")
    return text


def exact_decimal(value: Fraction) -> Decimal | None:
    """VALUE as an exact Decimal when its decimal expansion terminates, else None."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return None
    with localcontext() as ctx:
        ctx.prec = 100
        return Decimal(value.numerator) / Decimal(value.denominator)


def exact_text(value: Fraction) -> str:
    """The exact value for a trace: ``69.995``, or ``1397/20``-style with an approximation."""
    exact = exact_decimal(value)
    if exact is not None:
        return plain(exact)
    with localcontext() as ctx:
        ctx.prec = 30
        approx = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{value.numerator}/{value.denominator}（≈{format(approx.quantize(Decimal('1e-10')), 'f')}…）"
