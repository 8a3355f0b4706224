"""A YAML document as parsed: its plain data and where each key and value sits in the text.

kubelint.parse.yaml_docs builds these from libyaml's events; the models and rules read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kubelint.model.source import SourceFile

Path = tuple  # a path into the data: ('spec', 'containers', 0, 'image')


# Each of the four numbers gets 26 bits: exact up to 67,108,863, more than any file kubelint
# reads has lines or columns (files and stdin stop at 50 MB, 52,428,800 bytes). Text handed to
# the API beyond that is clamped to MAX_POSITION rather than wrapped into a wrong position.
_BITS = 26
_FIELD = (1 << _BITS) - 1
MAX_POSITION = _FIELD


def pack(sm, em) -> int:
    """Start and end (0-based line, column) in one int: a Pos per node, or keeping the parser's
    event objects alive, would double the memory a scan holds."""
    return ((((min(sm.line, _FIELD) << _BITS) | min(sm.column, _FIELD)) << _BITS
             | min(em.line, _FIELD)) << _BITS) | min(em.column, _FIELD)


class Pos(NamedTuple):
    """1-based line and column of a node's start, and where it ends."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
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

    def pos_of(self, packed: int) -> Pos:
        """Unpack a position stored by pack."""
        o = self.line_offset + 1
        end_col = packed & _FIELD
        packed >>= _BITS
        end_line = packed & _FIELD
        packed >>= _BITS
        return Pos((packed >> _BITS) + o, (packed & _FIELD) + 1, end_line + o, end_col + 1)

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
