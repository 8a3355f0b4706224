"""Kubernetes resource quantities (`250m`, `1.5Gi`, `1e3`), parsed the way the API server does."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from kubelint.model.numbers import fits

_SUFFIX = {
    "": Decimal(1), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"),
    "k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "G": Decimal(10) ** 9, "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15, "E": Decimal(10) ** 18,
    "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20, "Gi": Decimal(2) ** 30, "Ti": Decimal(2) ** 40,
    "Pi": Decimal(2) ** 50, "Ei": Decimal(2) ** 60,
}
# Exponents beyond this many digits are out of any range (and int() refuses 4,300 digits);
# shorter ones past decimal's limits raise Overflow, caught below.
_MAX_EXPONENT_DIGITS = 9
# <signedNumber><suffix>, where the suffix is binary (Ki..Ei), decimal (n..E) or an exponent (e3, E-2).
_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$")


def parse_quantity(value) -> Decimal:
    """The value of a quantity; ValueError with a reason when Kubernetes would reject it.
    Never any other exception: NaN, infinities and out-of-range exponents are rejected too."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a quantity")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"'{value}' is not a Kubernetes quantity (NaN and infinities have no JSON form)")
    if isinstance(value, (int, float)):
        if isinstance(value, int) and not fits(value):
            raise ValueError("the number is too large to be a Kubernetes quantity")
        return Decimal(str(value))
    if not isinstance(value, str):
        raise ValueError(f"expected a quantity, got {type(value).__name__}")
    m = _QUANTITY.match(value.strip()) if value.strip() == value else None
    if not m:
        raise ValueError(f"'{_short(value)}' is not a Kubernetes quantity (e.g. 500m, 2, 128Mi, 1Gi)")
    number, suffix = m.group(1), m.group(2) or ""
    try:
        if suffix[:1] in ("e", "E") and len(suffix) > 1:
            exponent = suffix[1:].lstrip("+-")
            if len(exponent) > _MAX_EXPONENT_DIGITS:
                raise ValueError
            return Decimal(number) * (Decimal(10) ** int(suffix[1:]))
        return Decimal(number) * _SUFFIX[suffix]
    except (ArithmeticError, KeyError, ValueError):  # decimal's Overflow and InvalidOperation too
        raise ValueError(f"'{_short(value)}' is not a Kubernetes quantity (out of range)") from None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def is_quantity(value) -> bool:
    try:
        parse_quantity(value)
        return True
    except ValueError:
        return False
