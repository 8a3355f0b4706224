"""Reading a file's text safely: encodings, BOMs, binary files, size limits."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_BYTES = 50 * 1024 * 1024


class Unreadable(Exception):
    """The file cannot be linted; the message says why (shown as a finding)."""


@dataclass
class SourceFile:
    path: str  # path on disk, or "-" for stdin
    display: str  # the name findings show
    text: str
    file_type: str  # "yaml" | "dockerfile"
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """Lines without their endings (CRLF and CR included)."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def line(self, number: int) -> str:
        """1-based line, or '' past the end."""
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Unreadable(f"invalid UTF-16 ({exc.reason} at byte {exc.start})") from None
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(f"not valid UTF-8: byte 0x{data[exc.start]:02x} on line {line}; "
                         "save the file as UTF-8") from None
