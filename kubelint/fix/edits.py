"""Text edits by character offset, and turning them into line:column spans for reports."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from kubelint.model.source import line_break

SAFE, UNSAFE = "safe", "unsafe"
APPLICABILITIES = (SAFE, UNSAFE)


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `text` (start == end inserts)."""

    start: int
    end: int
    text: str


@dataclass
class Fix:
    """What one fixer proposes for one finding: edits applied together or not at all."""

    rule: str
    applicability: str
    edits: tuple[Edit, ...]
    finding: Any = field(default=None, repr=False, compare=False)  # the Finding it resolves

    @property
    def span(self) -> tuple[int, int]:
        return min(e.start for e in self.edits), max(e.end for e in self.edits)


class LineIndex:
    """Offsets <-> 1-based line and column, with the file type's own line breaks."""

    def __init__(self, text: str, file_type: str):
        self.text = text
        self.starts = [0] + [m.end() for m in line_break(file_type).finditer(text)]

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line:column (clamped to the text)."""
        if line < 1:
            return 0
        if line > len(self.starts):
            return len(self.text)
        return min(self.starts[line - 1] + column - 1, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def line_start(self, offset: int) -> int:
        return self.starts[bisect_right(self.starts, offset) - 1]

    def line_end(self, offset: int) -> int:
        """Where the line holding `offset` ends, before its line break."""
        i = bisect_right(self.starts, offset)
        if i >= len(self.starts):
            return len(self.text)
        end = self.starts[i]
        text = self.text
        while end > self.starts[i - 1] and text[end - 1] in "\r\n\x85\u2028\u2029":
            end -= 1
        return end


def newline_of(text: str) -> str:
    """The file's own line ending, for inserted lines: CRLF files stay CRLF."""
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    if i < 0 and "\r" in text:
        return "\r"
    return "\n"


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two spans collide when they share a character, or when both insert at one place (their
    order would be arbitrary, and two insertions there often add the same key twice)."""
    return a[0] < b[1] and b[0] < a[1] or a == b or (a[0] == a[1] and b[0] <= a[0] <= b[1]) \
        or (b[0] == b[1] and a[0] <= b[0] <= a[1])


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (any order given)."""
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError("overlapping edits")
        out.append(text[pos:e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def edit_json(edit: Edit, index: LineIndex) -> dict:
    """An edit as reports show it: 1-based line:column, end exclusive."""
    line, column = index.position(edit.start)
    end_line, end_column = index.position(edit.end)
    return {"line": line, "column": column, "end_line": end_line, "end_column": end_column, "text": edit.text}
