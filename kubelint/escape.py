"""One escaping function for every text report.

Manifest text (names, values, keys) and file names are attacker-controlled: printed raw, a CR or
LF starts a new line that a CI runner may read as a command (`::error ...` on GitHub Actions),
and ESC/OSC sequences drive the terminal. Text formats pass every interpolated value through
`escape_text`; JSON, SARIF and JUnit rely on their own encoders and only need `escape_name` for
file names that are not valid UTF-8.
"""

from __future__ import annotations

import re

_NAMED = {"\r": "\\r", "\n": "\\n"}
# C0 except tab, DEL, C1, the Unicode line/paragraph separators (some terminals and editors
# break lines there) and lone surrogates (undecodable bytes in file names, from surrogateescape).
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _replace(match: re.Match) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8: show the byte itself
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_text(value: object) -> str:
    """`value` as a single line of harmless text: control characters shown as escapes."""
    text = str(value)
    return _UNSAFE.sub(_replace, text) if _UNSAFE.search(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_name(name: str) -> str:
    """A file name with undecodable bytes (`bad\\xff.yaml`, kept by Python as lone surrogates)
    spelled with escapes, so that it can be encoded as UTF-8 in any report."""
    return _SURROGATE.sub(_replace, name) if _SURROGATE.search(name) else name
