"""Paths of the rule language: `spec.containers[*].image`, `metadata.annotations["a.b/c"]`."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

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


def resolve(data: Any, parts: tuple, base: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every (path, value) at `parts` under `data`; null values count as missing."""
    if WILDCARD not in parts:
        # The common case, without recursion: one value or none.
        path = base
        for part in parts:
            if type(part) is int:
                if not isinstance(data, list) or not -len(data) <= part < len(data):
                    return []
                part %= len(data)
                data = data[part]
            else:
                if not isinstance(data, dict):
                    return []
                data = data.get(part)
            if data is None:
                return []
            path += (part,)
        return [(path, data)]
    out: list = []
    _resolve_wild(data, parts, base, out)
    return out


Lookup = Callable[[Any, Any], list]  # (root, scope) -> [(path, value)]


def lookup(parts: tuple, base: tuple = (), scoped: str | None = None) -> Lookup:
    """`resolve(data, parts, base)` compiled once per path, as a function of (root, scope):
    it starts from `root`, or from `scope[scoped]` when `scoped` names a scope root. Paths
    without wildcards or negative indexes (nearly all) walk the data without building a path:
    the path of what they find is known in advance."""
    if any(type(p) is int and p < 0 for p in parts) or parts.count(WILDCARD) > 1:
        if scoped is None:
            return lambda root, scope: resolve(root, parts, base)
        return lambda root, scope: resolve(scope.get(scoped), parts, base)
    if WILDCARD in parts:
        return _one_wildcard(parts, base, scoped)
    found = base + parts

    def walk(root: Any, scope: Any) -> list:
        data = root if scoped is None else scope.get(scoped)
        for part in parts:
            if type(part) is int:
                if not isinstance(data, list) or part >= len(data):
                    return []
                data = data[part]
            else:
                if not isinstance(data, dict):
                    return []
                data = data.get(part)
            if data is None:
                return []
        return [(found, data)]
    return walk


def getter(parts: tuple, scoped: str | None = None) -> Callable[[Any, Any], Any] | None:
    """For a path without wildcards or negative indexes: a function of (root, scope) giving the
    one value there (None when missing), the same as lookup() without a list or a path per
    call (the path is `parts` itself). None for other paths."""
    if not parts or WILDCARD in parts or any(type(p) is int and p < 0 for p in parts):
        return None  # (the empty path finds the root even when it is None)
    if scoped is not None:
        return lambda root, scope: _walk(scope.get(scoped), parts)
    return _short_getter(parts) or (lambda root, scope: _walk(root, parts))


def _short_getter(parts: tuple) -> Callable[[Any, Any], Any] | None:
    """getter() of a path of one or two keys (most rule paths), with _walk written out: the
    getters run a million times on a big scan."""
    if len(parts) > 2 or not all(type(p) is str for p in parts):
        return None
    if len(parts) == 1:
        (a,) = parts
        return lambda root, scope: root.get(a) if isinstance(root, dict) else None
    a, b = parts

    def get2(root: Any, scope: Any) -> Any:
        if isinstance(root, dict):
            data = root.get(a)
            if isinstance(data, dict):
                return data.get(b)
        return None
    return get2


def _walk(data: Any, parts: tuple) -> Any:
    """The value at `parts` (no wildcards, no negative indexes) under `data`, or None."""
    for part in parts:
        if type(part) is int:
            if not isinstance(data, list) or part >= len(data):
                return None
            data = data[part]
        else:
            if not isinstance(data, dict):
                return None
            data = data.get(part)
        if data is None:
            return None
    return data


def _one_wildcard(parts: tuple, base: tuple, scoped: str | None) -> Lookup:
    """lookup() of a path with one wildcard (`spec.containers[*].ports`): the part before it,
    each item or value there, the part after it."""
    i = parts.index(WILDCARD)
    head, tail = parts[:i], parts[i + 1:]
    before = base + head

    def each(root: Any, scope: Any) -> list:
        data = _walk(root if scoped is None else scope.get(scoped), head)
        if isinstance(data, list):
            items: Any = enumerate(data)
        elif isinstance(data, dict):
            items = data.items()
        else:
            return []
        out = []
        for k, item in items:
            value = _walk(item, tail) if tail else item
            if value is not None:
                out.append((before + (k,) + tail, value))
        return out
    return each


def _resolve_wild(data: Any, parts: tuple, base: tuple, out: list) -> None:
    if not parts:
        if data is not None:
            out.append((base, data))
        return
    head, rest = parts[0], parts[1:]
    if head == WILDCARD:
        if isinstance(data, list):
            for i, item in enumerate(data):
                _resolve_wild(item, rest, base + (i,), out)
        elif isinstance(data, dict):
            for k, item in data.items():
                _resolve_wild(item, rest, base + (k,), out)
    elif type(head) is int:
        if isinstance(data, list) and -len(data) <= head < len(data):
            _resolve_wild(data[head], rest, base + (head % len(data),), out)
    elif isinstance(data, dict) and head in data:
        _resolve_wild(data[head], rest, base + (head,), out)


def deepest_existing(data: Any, parts: tuple, base: tuple = ()) -> tuple:
    """The longest prefix of `parts` that exists (first match through wildcards)."""
    if WILDCARD not in parts:
        # One walk: resolve() of each shorter prefix takes the same first steps.
        path = base
        for part in parts:
            if type(part) is int:
                if not isinstance(data, list) or not -len(data) <= part < len(data):
                    return path
                part %= len(data)
                data = data[part]
            else:
                if not isinstance(data, dict):
                    return path
                data = data.get(part)
            if data is None:
                return path
            path += (part,)
        return path
    best = base
    for i in range(len(parts), 0, -1):
        for path, _ in resolve(data, parts[:i], base):
            return path
    return best
