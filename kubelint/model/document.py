"""A YAML document as parsed: its plain data and where each key and value sits in the text.

kubelint.parse.yaml_docs builds these from libyaml's events; the models and rules read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kubelint.model.source import SourceFile

Path = tuple  # a path into the data: ('spec', 'containers', 0, 'image')


# A position is packed into one int, `bits` bits a number (start line, start column, end line,
# end column, 0-based): a Pos per node, or keeping the parser's event objects alive, would double
# the memory a scan holds. `bits` is chosen per document from the length of the text it was
# parsed from (no line or column exceeds it), so every position is exact, however long the text.
BITS = 26  # enough for any file kubelint reads: files and stdin stop at 50 MB (52,428,800 bytes)


def bits_for(text_length: int) -> int:
    """The bits a number needs for positions inside a text of this many characters."""
    return max(BITS, text_length.bit_length())


def pack(start_line: int, start_column: int, end_line: int, end_column: int, bits: int = BITS) -> int:
    """The inverse of YamlDocument.pos_of (0-based numbers; the parser inlines this)."""
    return (start_line << 3 * bits) | (start_column << 2 * bits) | (end_line << bits) | end_column


class Pos(NamedTuple):
    """1-based line and column of a node's start, and where it ends."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)  # a scan holds one per document
class YamlDocument:
    source: SourceFile
    index: int  # 0-based document number in the file
    data: Any
    # path -> where the value node / the mapping key is, packed into one int (see pack) and
    # turned into a Pos only when a finding needs one: most nodes never need it.
    values: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    start_line: int = 1
    line_offset: int = 0  # lines before the chunk this document was parsed from
    bits: int = BITS  # of each number in a packed position (see pack)

    def pos_of(self, packed: int) -> Pos:
        """Unpack a position stored by pack."""
        bits = self.bits
        mask = (1 << bits) - 1
        o = self.line_offset + 1
        return Pos((packed >> 3 * bits) + o, ((packed >> 2 * bits) & mask) + 1,
                   ((packed >> bits) & mask) + o, (packed & mask) + 1)

    def value_pos(self, path: tuple) -> Pos | None:
        marks = self.values.get(path)
        return None if marks is None else self.pos_of(marks)

    def key_pos(self, path: tuple) -> Pos | None:
        marks = self.keys.get(path)
        return None if marks is None else self.pos_of(marks)


def dotted(path: Path) -> str:
    """('spec', 'containers', 0, 'image') -> 'spec.containers[0].image'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def value_at(data: Any, path: tuple) -> Any:
    """The value at `path` inside plain data, or None where the path leads nowhere."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
