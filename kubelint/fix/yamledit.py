"""Editing YAML text by span, with the positions the fast loader recorded.

Everything outside the edited spans stays byte-identical: a value is replaced where it is
written (its quotes kept), a key is inserted as a new line after the mapping's last entry with
the indentation its siblings use (or into a flow mapping with `, key: value`), an entry is
removed with its lines. What cannot be edited that way — a node reached through an alias or
carrying an anchor (other places share it), a tag, a null where a mapping is needed — is refused
(the methods return None) rather than guessed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from kubelint.fix.edits import Edit, LineIndex
from kubelint.model.document import YamlDocument
from kubelint.parse.yaml_docs import resolve_plain

Path = tuple
_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$")


def scalar_text(value: Any) -> str:
    """A scalar written so that YAML reads back exactly `value`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _PLAIN_SAFE.match(text) and resolve_plain(text) == text and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_text(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar_text(k)}: {flow_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(v) for v in value) + "]"
    return scalar_text(value)


class YamlEditor:
    """Edits of one document's text; paths are paths in the document (a List item's path starts
    with ('items', i))."""

    def __init__(self, doc: YamlDocument, index: LineIndex, newline: str):
        self.doc = doc
        self.index = index
        self.text = index.text
        self.newline = newline
        self._step: int | None = None
        self._seq_indent: int | None = None

    # -- reading ---------------------------------------------------------------------------
    def get(self, path: Path) -> Any:
        data = self.doc.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(data, list) or not 0 <= part < len(data):
                    return None
                data = data[part]
            else:
                if not isinstance(data, dict) or part not in data:
                    return None
                data = data[part]
        return data

    def has(self, path: Path) -> bool:
        data = self.doc.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(data, list) or not 0 <= part < len(data):
                    return False
                data = data[part]
            elif not isinstance(data, dict) or part not in data:
                return False
            else:
                data = data[part]
        return True

    def value_span(self, path: Path) -> tuple[int, int] | None:
        pos = self.doc.value_pos(path)
        if pos is None:
            return None
        return (self.index.offset(pos.line, pos.column), self.index.offset(pos.end_line, pos.end_column))

    def key_span(self, path: Path) -> tuple[int, int] | None:
        pos = self.doc.key_pos(path)
        if pos is None:
            return None
        return (self.index.offset(pos.line, pos.column), self.index.offset(pos.end_line, pos.end_column))

    def _is_flow(self, path: Path) -> bool:
        span = self.value_span(path)
        return span is not None and self.text[span[0]:span[0] + 1] in ("{", "[")

    def editable(self, path: Path) -> bool:
        """False when the node or one of its parents is shared (an anchor or an alias), tagged,
        or has no recorded position (merged in by `<<`)."""
        for i in range(len(path) + 1):
            sub = path[:i]
            if not sub:
                continue
            span = self.value_span(sub)
            if span is None:
                return False
            if self.text[span[0]:span[0] + 1] in ("&", "*", "!"):
                return False
            key = self.key_span(sub)
            if key is not None and key == span:  # a `<<` merge: key and value are the merge key
                return False
        return True

    # -- layout ----------------------------------------------------------------------------
    def _key_column(self, path: Path) -> int | None:
        """The 0-based column of a block mapping's keys."""
        parent = self.get(path)
        if not isinstance(parent, dict) or not parent:
            return None
        for key in parent:
            pos = self.doc.key_pos(path + (key,))
            if pos is not None:
                return pos.column - 1
        return None

    @property
    def step(self) -> int:
        """The indentation step the file uses for nested mappings (2 when nothing tells)."""
        if self._step is None:
            counts: Counter = Counter()
            seq: Counter = Counter()
            for path in self.doc.keys:
                if len(path) < 2 or isinstance(path[-2], int):
                    continue
                inner, outer = self.doc.key_pos(path), self.doc.key_pos(path[:-1])
                if inner is not None and outer is not None and inner.line > outer.line:
                    counts[inner.column - outer.column] += 1
            for path, packed in self.doc.values.items():
                if not path or not isinstance(path[-1], int) or path[-1] != 0 or len(path) < 2:
                    continue
                if isinstance(path[-2], int) or self._is_flow(path[:-1]):
                    continue
                item, key = self.doc.pos_of(packed), self.doc.key_pos(path[:-1])
                if key is not None and item.line > key.line:
                    # the item's content starts 2 columns after its dash
                    seq[item.column - 2 - (key.column - 1) - 1] += 1
            positive = [(n, c) for c, n in counts.items() if c > 0]
            self._step = max(positive)[1] if positive else 2
            good = [(n, c) for c, n in seq.items() if c >= 0]
            self._seq_indent = max(good)[1] if good else 0
        return self._step

    @property
    def seq_indent(self) -> int:
        self.step  # noqa: B018 - computes both
        return self._seq_indent or 0

    def _block_lines(self, key: Any, value: Any, indent: int) -> list[str]:
        pad = " " * indent
        if isinstance(value, dict) and value:
            out = [f"{pad}{scalar_text(key)}:"]
            for k, v in value.items():
                out += self._block_lines(k, v, indent + self.step)
            return out
        if isinstance(value, list) and value and all(not isinstance(v, (dict, list)) for v in value):
            dash = " " * (indent + self.seq_indent)
            return [f"{pad}{scalar_text(key)}:"] + [f"{dash}- {scalar_text(v)}" for v in value]
        return [f"{pad}{scalar_text(key)}: {flow_text(value)}"]

    def _last_end(self, path: Path) -> int | None:
        """Where the last thing written inside a block node ends (block containers' own end
        marks sit at the next token, after comments, so only leaves and flow nodes count)."""
        n = len(path)
        best = None
        for sub in self.doc.values:
            if len(sub) <= n or sub[:n] != path:
                continue
            node = self.get(sub)
            if isinstance(node, (dict, list)) and node and not self._is_flow(sub):
                continue
            pos = self.doc.value_pos(sub)
            if pos is not None and (best is None or (pos.end_line, pos.end_column) > best):
                best = (pos.end_line, pos.end_column)
            kpos = self.doc.key_pos(sub)
            if kpos is not None and (best is None or (kpos.end_line, kpos.end_column) > best):
                best = (kpos.end_line, kpos.end_column)
        return None if best is None else self.index.offset(*best)

    # -- edits -----------------------------------------------------------------------------
    def replace_value(self, path: Path, value: Any) -> list[Edit] | None:
        """A scalar replaced where it stands; a quoted string keeps its quotes."""
        span = self.value_span(path)
        node = self.get(path)
        if span is None or isinstance(node, (dict, list)) or not self.editable(path):
            return None
        start, end = span
        written = self.text[start:end]
        if isinstance(value, str) and len(written) >= 2 and written[0] == written[-1] and written[0] in "'\"" \
                and "\n" not in written:
            quote = written[0]
            inner = value.replace("'", "''") if quote == "'" else json.dumps(value, ensure_ascii=False)[1:-1]
            return [Edit(start + 1, end - 1, inner)]
        if start == end:  # an empty (null) value: `key:` with nothing after it
            return [Edit(start, end, " " + scalar_text(value))] if self.text[start - 1:start] == ":" else None
        return [Edit(start, end, scalar_text(value))]

    def rename_key(self, path: Path, new: str) -> list[Edit] | None:
        span = self.key_span(path)
        if span is None or not self.editable(path[:-1]) or new in (self.get(path[:-1]) or {}):
            return None
        start, end = span
        written = self.text[start:end]
        if written[:1] in ("'", '"') and written[-1:] == written[:1]:
            return [Edit(start + 1, end - 1, new)]
        return [Edit(start, end, scalar_text(new))]

    def set(self, path: Path, value: Any) -> list[Edit] | None:
        """Make the node at `path` equal `value` (a scalar or a mapping of what to set),
        creating the missing mappings on the way. None when it cannot be done in place."""
        for i in range(1, len(path)):
            node = self.get(path[:i])
            if node is None:
                if self.has(path[:i]):
                    return None  # `key:` or `key: null` where a mapping is needed
                return self._insert(path[:i - 1], _nest(path[i - 1:], value))
            if isinstance(path[i], int):
                if not isinstance(node, list) or not 0 <= path[i] < len(node):
                    return None
            elif not isinstance(node, dict):
                return None
        if not self.has(path):
            return self._insert(path[:-1], {path[-1]: value})
        current = self.get(path)
        if isinstance(value, dict):
            if not isinstance(current, dict):
                return None
            missing = {k: v for k, v in value.items() if k not in current}
            edits: list[Edit] = []
            for k, v in value.items():
                if k in current:
                    sub = self.set(path + (k,), v)
                    if sub is None:
                        return None
                    edits += sub
            if missing:
                sub = self._insert(path, missing)
                if sub is None:
                    return None
                edits += sub
            return edits
        if current == value and type(current) is type(value):
            return []
        if isinstance(current, (dict, list)):
            return None
        return self.replace_value(path, value)

    def _insert(self, path: Path, entries: dict) -> list[Edit] | None:
        """New entries at the end of the mapping at `path`."""
        mapping = self.get(path)
        if not isinstance(mapping, dict) or not self.editable(path):
            return None
        if path and self._is_flow(path):
            span = self.value_span(path)
            assert span is not None
            close = span[1] - 1
            if self.text[close:close + 1] != "}":
                return None
            body = ", ".join(f"{scalar_text(k)}: {flow_text(v)}" for k, v in entries.items())
            if mapping:
                last = self._last_end(path)
                if last is None:
                    return None
                return [Edit(last, last, ", " + body)]
            return [Edit(close, close, body)]
        column = self._key_column(path)
        last = self._last_end(path)
        if column is None or last is None:
            return None
        lines: list[str] = []
        for k, v in entries.items():
            lines += self._block_lines(k, v, column)
        line, col = self.index.position(last)
        if col == 1 and last > 0:  # a block scalar ends at the start of the line after it
            return [Edit(last, last, self.newline.join(lines) + self.newline)]
        at = self.index.line_end(last)
        return [Edit(at, at, self.newline + self.newline.join(lines))]

    def append_item(self, path: Path, value: Any) -> list[Edit] | None:
        """A scalar added at the end of the sequence at `path`."""
        items = self.get(path)
        if not isinstance(items, list) or not self.editable(path):
            return None
        if self._is_flow(path):
            span = self.value_span(path)
            assert span is not None
            close = span[1] - 1
            if self.text[close:close + 1] != "]":
                return None
            if items:
                last = self.value_span(path + (len(items) - 1,))
                if last is None:
                    return None
                return [Edit(last[1], last[1], ", " + flow_text(value))]
            return [Edit(close, close, flow_text(value))]
        first = self.doc.value_pos(path + (0,))
        end = self.value_span(path + (len(items) - 1,))
        if first is None or end is None or isinstance(items[-1], (dict, list)):
            return None
        dash = self.index.offset(first.line, first.column) - 2
        if self.text[dash:dash + 2] != "- ":
            return None
        column = dash - self.index.line_start(dash)
        at = self.index.line_end(end[1])
        return [Edit(at, at, self.newline + " " * column + "- " + flow_text(value))]

    def delete_entry(self, path: Path, prune: bool = True) -> list[Edit] | None:
        """Remove a block mapping entry with its lines; with prune, a mapping it would leave
        empty goes instead (one level: `annotations:` with its only entry, not `metadata:`)."""
        parent = self.get(path[:-1])
        if prune and isinstance(parent, dict) and len(parent) == 1 and len(path) > 1 \
                and isinstance(path[-2], str):
            return self.delete_entry(path[:-1], prune=False)
        span = self.key_span(path)
        if span is None or not self.editable(path[:-1]):
            return None
        # A block container's end mark lies at the next token: only a scalar's end is checked.
        scalar = not isinstance(self.get(path), (dict, list))
        return self.delete_lines_at(span[0], self.value_span(path) if scalar else None)

    def delete_lines_at(self, key_start: int, value: tuple[int, int] | None = None) -> list[Edit] | None:
        """Remove the block entry whose key starts at `key_start`: its line and the lines below
        indented deeper (or block sequence items at its own column)."""
        index, text = self.index, self.text
        line_start = index.line_start(key_start)
        if text[line_start:key_start].strip(" "):
            return None  # `- key:` or a flow mapping: not a line of its own
        column = key_start - line_start
        line, _ = index.position(key_start)
        last = line
        n = len(index.starts)
        j = line + 1
        while j <= n:
            start = index.starts[j - 1]
            if start >= len(text):
                break
            content = text[start:index.line_end(start)]
            stripped = content.strip(" ")
            if not stripped:
                j += 1
                continue
            indent = len(content) - len(content.lstrip(" "))
            if indent > column or (indent == column and (stripped == "-" or stripped.startswith("- "))):
                last = j
                j += 1
                continue
            break
        end = index.starts[last] if last < n else len(text)
        if value is not None and value[1] > end and value[0] != value[1]:
            node_text = text[value[0]:value[1]]
            if node_text[:1] not in "{[" and not node_text.startswith(("|", ">")):
                return None  # the value goes on past what would be removed
        if end == len(text) and line_start > 0 and not text.endswith(("\n", "\r")):
            return [Edit(index.line_end(line_start - 1), end, "")]  # keep "no final newline"
        return [Edit(line_start, end, "")]


def _nest(path: Path, value: Any) -> dict:
    """('a', 'b'), v -> {'a': {'b': v}}"""
    out = value
    for part in reversed(path[1:]):
        out = {part: out}
    return {path[0]: out}
