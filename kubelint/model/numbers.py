"""Integers from untrusted text without Python's traps.

`str.isdigit()` is true for '²' (which int() rejects), and int()/str() refuse numbers of more
than 4,300 digits (sys.int_info.str_digits_check_threshold): a manifest or Dockerfile must not be
able to stop the run with either. Numbers this long are never valid ports, counts or ids.
"""

from __future__ import annotations

import re

MAX_DIGITS = 4000  # below Python's int/str conversion limit
# An int whose decimal form has at most MAX_DIGITS digits: log2(10) * 4000 > 13287.
MAX_INT_BITS = 13_287

_DIGITS = re.compile(r"\s*([0-9]+)\s*")  # ASCII digits only, blanks around them allowed


def small_int(text: str) -> int | None:
    """The value of a decimal number written in ASCII digits, or None (not a number, or longer
    than MAX_DIGITS digits)."""
    m = _DIGITS.fullmatch(text)
    if m is None or len(m.group(1)) > MAX_DIGITS:
        return None
    return int(m.group(1))


def fits(value: int) -> bool:
    """Whether str(value) is safe (at most MAX_DIGITS digits)."""
    return value.bit_length() <= MAX_INT_BITS
