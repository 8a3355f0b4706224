"""Paths of the rule language: `spec.containers[*].image`, `metadata.annotations["a.b/c"]`."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

WILDCARD = "*"
_TOKEN = re.compile(r"""\s*(?:\[\s*(\*|-?\d+|"[^"]*"|'[^']*')\s*\]|([^.\[\]"']+)|(\.))""")


class PathError(ValueError):
    pass


@lru_cache(maxsize=4096)
def parse_path(text: str) -> tuple:
    """'a.b[0].c[*]' -> ('a', 'b', 0, 'c', '*'). The empty path '' or '.' is the scope root."""
    if text in ("", "."):
        return ()
    parts: list = []
    pos = 0
    expect_name = True
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise PathError(f"bad path '{text}' at character {pos + 1}")
        index, name, dot = m.groups()
        if dot:
            if expect_name:
                raise PathError(f"bad path '{text}': empty segment at character {pos + 1}")
            expect_name = True
        elif name is not None:
            if not expect_name:
                raise PathError(f"bad path '{text}': missing '.' before '{name}'")
            parts.append(name.strip())
            expect_name = False
        else:
            if index == WILDCARD:
                parts.append(WILDCARD)
            elif index[0] in "\"'":
                parts.append(index[1:-1])
            else:
                parts.append(int(index))
            expect_name = False
        pos = m.end()
    if expect_name and parts:
        raise PathError(f"bad path '{text}': ends with '.'")
    return tuple(parts)


def resolve(data: Any, parts: tuple, base: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every (path, value) at `parts` under `data`; null values count as missing."""
    if not parts:
        if data is not None:
            yield base, data
        return
    head, rest = parts[0], parts[1:]
    if head == WILDCARD:
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from resolve(item, rest, base + (i,))
        elif isinstance(data, dict):
            for k, item in data.items():
                yield from resolve(item, rest, base + (k,))
        return
    if isinstance(head, int):
        if isinstance(data, list) and -len(data) <= head < len(data):
            yield from resolve(data[head], rest, base + (head % len(data),))
        return
    if isinstance(data, dict) and head in data:
        yield from resolve(data[head], rest, base + (head,))


def deepest_existing(data: Any, parts: tuple, base: tuple = ()) -> tuple:
    """The longest prefix of `parts` that exists (first match through wildcards)."""
    best = base
    for i in range(len(parts), 0, -1):
        for path, _ in resolve(data, parts[:i], base):
            return path
    return best
