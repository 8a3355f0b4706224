"""A file's text as kubelint read it, and its lines split the way the file's own parser splits
them (kubelint.parse reads files into these)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class SourceFile:
    path: str  # path on disk, or "-" for stdin
    display: str  # the name findings show
    text: str
    file_type: str  # "yaml" | "dockerfile"
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """Lines without their endings (CRLF and CR included), split where the file's own
        parser ends a line: not str.splitlines, which also splits on form feeds, U+2028 etc."""
        if self._lines is None:
            self._lines = split_lines(self.text, self.file_type)
        return self._lines

    def line(self, number: int) -> str:
        """1-based line, or '' past the end."""
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""


# BuildKit ends a Dockerfile line only at \n, \r\n or \r; libyaml (YAML 1.1) also at NEL,
# U+2028 and U+2029. Neither at a form feed, vertical tab or U+001C..U+001E.
_DOCKERFILE_BREAK = re.compile(r"\r\n|\r|\n")
_YAML_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def line_break(file_type: str) -> re.Pattern:
    return _DOCKERFILE_BREAK if file_type == "dockerfile" else _YAML_BREAK


def split_lines(text: str, file_type: str) -> list[str]:
    """Like str.splitlines() (no empty last line after a final break) with the file type's
    own line breaks."""
    lines = line_break(file_type).split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def position(text: str, offset: int, file_type: str) -> tuple[int, int]:
    """1-based line and column of a character offset, counting the file type's line breaks."""
    line, start = 1, 0
    for m in line_break(file_type).finditer(text, 0, offset):
        line, start = line + 1, m.end()
    return line, offset - start + 1
