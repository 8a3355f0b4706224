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
    """A document's data, and where each of its nodes sits in the text.

    Positions live in a tree of tables beside the data (`marks`, the root container's table):
    a mapping's table maps each key to an entry, a sequence's table lists one entry per item.
    An entry is a packed int, or (packed int, the child container's table). In a mapping the
    int holds the key's position above the value's (`(key << 4 * bits) | value`), in a
    sequence the item's position only. Nothing below an alias or inside a complex key has an
    entry. A tree instead of a path -> position dict keeps no path tuple per node: a third of
    the memory a parsed document took."""

    source: SourceFile
    index: int  # 0-based document number in the file
    data: Any
    marks: Any = None  # the root container's table (dict or list); None for a scalar document
    start_line: int = 1
    line_offset: int = 0  # lines before the chunk this document was parsed from
    bits: int = BITS  # of each number in a packed position (see pack)
    _flat: tuple[dict, dict] | None = field(default=None, repr=False, compare=False)

    def pos_of(self, packed: int) -> Pos:
        """Unpack a position stored by pack."""
        bits = self.bits
        mask = (1 << bits) - 1
        o = self.line_offset + 1
        return Pos((packed >> 3 * bits) + o, ((packed >> 2 * bits) & mask) + 1,
                   ((packed >> bits) & mask) + o, (packed & mask) + 1)

    def _entry(self, path: tuple) -> tuple[int, bool] | None:
        """(packed entry, whether its parent is a mapping) of the node at `path`."""
        table = self.marks
        entry = None
        in_map = False
        for part in path:
            if type(table) is dict:
                entry = table.get(part) if type(part) is str else None
                in_map = True
            elif type(table) is list:
                entry = table[part] if type(part) is int and 0 <= part < len(table) else None
                in_map = False
            else:
                return None
            if entry is None:
                return None
            if type(entry) is tuple:
                entry, table = entry
            else:
                table = None
        return None if entry is None else (entry, in_map)

    def value_pos(self, path: tuple) -> Pos | None:
        found = self._entry(path)
        if found is None:
            return None
        packed, in_map = found
        return self.pos_of(packed & ((1 << 4 * self.bits) - 1) if in_map else packed)

    def key_pos(self, path: tuple) -> Pos | None:
        found = self._entry(path)
        if found is None or not found[1]:
            return None
        return self.pos_of(found[0] >> 4 * self.bits)

    def locate(self, path: tuple, key: bool, floor: int = 0) -> Pos | None:
        """Position of `path` (its key when key=True and it is a mapping entry), else of the
        key of its nearest parent that has a position, walking the tables once; None when no
        entry deeper than `floor` parts has one."""
        table = self.marks
        walked = 0  # parts that have an entry
        last = in_map = None  # the deepest entry found, and whether its parent is a mapping
        for part in path:
            if type(table) is dict:
                entry = table.get(part) if type(part) is str else None
                parent_is_map = True
            elif type(table) is list:
                entry = table[part] if type(part) is int and 0 <= part < len(table) else None
                parent_is_map = False
            else:
                break
            if entry is None:
                break
            if type(entry) is tuple:
                entry, table = entry
            else:
                table = None
            last, in_map = entry, parent_is_map
            walked += 1
        if walked <= floor or last is None:
            return None
        if walked < len(path):
            key = True  # the path goes on where nothing is: point at the parent's key
        shift = 4 * self.bits
        if not in_map:
            return self.pos_of(last)
        return self.pos_of(last >> shift if key else last & ((1 << shift) - 1))

    @property
    def values(self) -> dict[tuple, int]:
        """path -> packed position of every node that has one (built on first use, for the few
        callers that walk all positions: suppression comments, template markers, fixes)."""
        return self._flatten()[0]

    @property
    def keys(self) -> dict[tuple, int]:
        """path -> packed position of every mapping key (see values)."""
        return self._flatten()[1]

    def _flatten(self) -> tuple[dict, dict]:
        if self._flat is None:
            values: dict[tuple, int] = {}
            keys: dict[tuple, int] = {}
            if self.marks is not None:
                _flatten(self.marks, (), 4 * self.bits, values, keys)
            self._flat = (values, keys)
        return self._flat


def _flatten(table: Any, path: tuple, shift: int, values: dict, keys: dict) -> None:
    """Children before their container, in document order (the order the parser met each
    node's end). Recursion depth is bounded by the parser's MAX_DEPTH."""
    mask = (1 << shift) - 1
    for part, entry in table.items() if type(table) is dict else enumerate(table):
        sub = path + (part,)
        if type(entry) is tuple:
            entry, child = entry
            _flatten(child, sub, shift, values, keys)
        if type(table) is dict:
            keys[sub] = entry >> shift
            values[sub] = entry & mask
        else:
            values[sub] = entry


def dotted(path: Path) -> str:
    """('spec', 'containers', 0, 'image') -> 'spec.containers[0].image'."""
    out = ""
    for part in path:
        if type(part) is str:  # most parts: no isinstance, no str()
            out = out + "." + part if out else part
        elif isinstance(part, int):
            out += f"[{part}]"
        else:
            out = out + "." + str(part) if out else str(part)
    return out


def value_at(data: Any, path: tuple) -> Any:
    """The value at `path` inside plain data, or None where the path leads nowhere."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
