"""Reading a file's text safely: encodings, BOMs, binary files, size limits."""

from __future__ import annotations

from kubelint.model.source import SourceFile, line_break, position, split_lines

__all__ = ["MAX_BYTES", "SourceFile", "Unreadable", "decode", "line_break", "position", "split_lines"]

MAX_BYTES = 50 * 1024 * 1024


class Unreadable(Exception):
    """The file cannot be linted; the message says why (shown as a finding)."""


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
