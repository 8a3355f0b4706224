"""Characters the YAML parser refuses, found before it runs.

libyaml checks characters as it fills its input buffer, so a control character after the first
few kilobytes aborts the whole stream with only a byte offset, before the documents ahead of it
are delivered. Finding it first lets the parser report it at its line:column, parse the
documents before it, and resume at the next document marker.
"""

from __future__ import annotations

import re

# What libyaml accepts (yaml_parser_update_buffer): tab, LF, CR, printable ASCII, NEL and the
# rest of Unicode except the C1 controls, surrogates and U+FFFE/U+FFFF.
_DISALLOWED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def first_disallowed(text: str) -> int | None:
    m = _DISALLOWED.search(text)
    return None if m is None else m.start()


def describe(char: str) -> str:
    return f"control character U+{ord(char):04X} is not allowed in YAML (only tab, line breaks and printable characters)"
