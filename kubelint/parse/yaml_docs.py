"""Fast YAML loading with positions.

ruamel's round-trip loader keeps positions but manages ~130 docs/s. Instead we read the event
stream of libyaml's C parser (ruamel.yaml.clib) and build plain data ourselves, recording a
path -> position map as we go: many times faster, same positions.

Scalars resolve the way Kubernetes reads YAML (go-yaml v2, YAML 1.1): `yes`/`on` are booleans,
`0644` is octal. Unknown or unsafe tags (`!!python/...`, `!Ref`) are never constructed: the
node's value is used as plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.main import CParser  # the libyaml parser from ruamel.yaml.clib

from kubelint.findings import Finding
from kubelint.model.document import MAX_POSITION, Path, Pos, YamlDocument
from kubelint.model.document import dotted as _dotted
from kubelint.model.document import pack as _pack
from kubelint.model.numbers import fits
from kubelint.parse.source import SourceFile, position
from kubelint.parse.yaml_text import describe, first_disallowed

# Re-exported: the document model lives in kubelint.model.document.
__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_POSITION", "ParsedYaml", "Pos", "YamlDocument", "parse_yaml", "resolve_plain"]

MAX_DEPTH = 500
MAX_NODES = 500_000  # per document, counting aliases each time they are expanded


@dataclass
class ParsedYaml:
    documents: list[YamlDocument]
    findings: list[Finding]


class _TooComplex(Exception):
    def __init__(self, node, reason: str):
        super().__init__(reason)
        self.node = node
        self.reason = reason


# --- scalar resolution (YAML 1.1 as go-yaml v2 reads it) -------------------------------------

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}
_FALSE = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}
_INT = re.compile(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[1-9][0-9_]*|0)$")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"
    r"|[-+]?\.(?:inf|Inf|INF)$|\.(?:nan|NaN|NAN)$"
)
_STR_TAG = "tag:yaml.org,2002:str"


def resolve_plain(text: str) -> Any:
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            return _to_int(text)
        if _FLOAT.match(text) and (any(c.isdigit() for c in text) or text[-1] in "fFnN"):
            return _to_float(text)
    return text


def _to_int(text: str) -> int | str:
    t = text.replace("_", "")
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")
    try:
        if t.startswith("0b"):
            value = int(t[2:], 2)
        elif t.startswith("0x"):
            value = int(t[2:], 16)
        elif t.startswith("0o"):
            value = int(t[2:], 8)
        elif len(t) > 1 and t.startswith("0"):
            value = int(t, 8)
        else:
            value = int(t)
    except ValueError:  # also: more digits than int() converts
        return text
    # A number str() would refuse (over 4,000 digits) stays the text written: the schema then
    # reports it on that value instead of every later str() aborting the run.
    return sign * value if fits(value) else text


def _to_float(text: str) -> float | str:
    t = text.replace("_", "").lower()
    if t.endswith("inf"):
        return float("-inf") if t.startswith("-") else float("inf")
    if t.endswith("nan"):
        return float("nan")
    try:
        return float(t)
    except ValueError:
        return text


def _scalar(ev) -> Any:
    tag = ev.tag
    if not ev.style and (tag is None or tag == "!"):
        return resolve_plain(ev.value)
    if tag is None or tag == "!" or tag == _STR_TAG:
        return ev.value
    if tag == "tag:yaml.org,2002:int":
        return _to_int(ev.value)
    if tag == "tag:yaml.org,2002:float":
        return _to_float(ev.value)
    if tag == "tag:yaml.org,2002:bool":
        return resolve_plain(ev.value) if ev.value in _TRUE | _FALSE else ev.value
    if tag == "tag:yaml.org,2002:null":
        return None
    # binary, timestamp, the YAML 1.1 "value" tag (a bare `=` key) and custom or unsafe tags
    # (`!!python/object`): the text as written, never constructed.
    return ev.value


# --- building data from parser events -----------------------------------------------------------
#
# Building straight from events (no node graph, no tag resolver calls) is what makes this fast;
# the loop is written flat on purpose, it runs once per YAML node. Aliases reuse the anchored
# Python object; their expanded size counts towards MAX_NODES so an alias bomb stops early.

_NO_KEY = object()
_MERGE = object()


def _build_document(events, doc: YamlDocument, findings: list[Finding], offset: int) -> None:
    """Consume the events of one document (after DocumentStart) up to its DocumentEnd.

    Positions are stored raw: the scalar's event itself, or (start mark, end mark) of a
    container; YamlDocument.pos_of turns either into a Pos when a finding needs one."""
    values, keys = doc.values, doc.keys
    anchors: dict[str, tuple[Any, int]] = {}
    # A frame: [container, path, is_map, key, key_event, start_mark, count_at_start, anchor, merges]
    # path is None below a complex key (nothing there is addressable).
    stack: list[list] = []
    top = None
    count = 0
    root = None
    for ev in events:
        t = type(ev)
        if t is ScalarEvent or t is AliasEvent:
            if t is ScalarEvent:
                count += 1
            else:
                value, size = anchors.get(ev.anchor, (None, 1))
                count += size
                if count > MAX_NODES:
                    raise _TooComplex(ev, f"more than {MAX_NODES:,} nodes after expanding aliases (an alias bomb?)")
            if top is not None and top[2] and top[3] is _NO_KEY:
                # A mapping key, kept as written: `yes` stays "yes", `=` stays "=".
                if t is ScalarEvent:
                    top[3] = _MERGE if (ev.value == "<<" and not ev.style) else ev.value
                else:
                    top[3] = str(value)
                top[4] = _pack(ev.start_mark, ev.end_mark)
                continue
            if t is ScalarEvent:
                value = resolve_plain(ev.value) if not ev.style and ev.tag is None else _scalar(ev)
                if ev.anchor:
                    anchors[ev.anchor] = (value, 1)
            pos = _pack(ev.start_mark, ev.end_mark)
        elif t is MappingStartEvent or t is SequenceStartEvent:
            count += 1
            if len(stack) >= MAX_DEPTH:
                raise _TooComplex(ev, f"nested more than {MAX_DEPTH} levels deep")
            if top is None:
                path = ()
            elif top[2]:
                if top[3] is _NO_KEY:  # a mapping or sequence used as a key: never in Kubernetes
                    top[3] = f"<complex key at line {ev.start_mark.line + 1 + offset}>"
                    top[4] = _pack(ev.start_mark, ev.start_mark)
                    path = None
                else:
                    path = None if top[1] is None or top[3] is _MERGE else top[1] + (top[3],)
            else:
                path = None if top[1] is None else top[1] + (len(top[0]),)
            top = [{} if t is MappingStartEvent else [], path, t is MappingStartEvent, _NO_KEY, None,
                   ev.start_mark, count, ev.anchor, None]
            stack.append(top)
            continue
        elif t is MappingEndEvent or t is SequenceEndEvent:
            frame = stack.pop()
            top = stack[-1] if stack else None
            value = frame[0]
            if frame[8]:
                _apply_merges(value, frame[1], frame[8], keys, values)
            if frame[7]:
                anchors[frame[7]] = (value, count - frame[6] + 1)
            pos = _pack(frame[5], ev.end_mark)
        elif t is DocumentEndEvent:
            break
        else:
            continue
        # Attach `value` (at `pos`) to its parent.
        if top is None:
            root = value
            continue
        parent_path = top[1]
        if not top[2]:
            if parent_path is not None:
                values[parent_path + (len(top[0]),)] = pos
            top[0].append(value)
            continue
        key = top[3]
        top[3] = _NO_KEY
        if key is _MERGE:
            top[8] = (top[8] or []) + [(top[4], value)]
            continue
        if parent_path is not None:
            path = parent_path + (key,)
            if key in top[0]:
                _duplicate_key(doc, findings, path, keys[path], top[4])
            keys[path] = top[4]
            values[path] = pos
        top[0][key] = value
    doc.data = root


def _duplicate_key(doc: YamlDocument, findings: list[Finding], path: Path, first, again) -> None:
    at, first_at = doc.pos_of(again), doc.pos_of(first)
    findings.append(Finding(  # the message: the rule's template, filled in by the `parse` check
        rule="duplicate-key", severity="error", message="", values={"key": path[-1], "first_line": first_at.line},
        file=doc.source.display, line=at.line, column=at.column,
        end_line=at.end_line, end_column=at.end_column, path=_dotted(path)))


def _apply_merges(target: dict, path, merges, keys, values) -> None:
    """`<<: *base` merge keys: the merged entries never override the mapping's own."""
    for kpos, merged in merges:
        for source in merged if isinstance(merged, list) else [merged]:
            if not isinstance(source, dict):
                continue
            for k, v in source.items():
                if k not in target:
                    target[k] = v
                    if path is not None:
                        keys[path + (k,)] = kpos
                        values[path + (k,)] = kpos


# --- documents ----------------------------------------------------------------------------------


def parse_yaml(source: SourceFile) -> ParsedYaml:
    """All documents of a file, with positions; a syntax error becomes a finding and parsing
    resumes at the next document marker after it."""
    findings: list[Finding] = []
    documents: list[YamlDocument] = []
    offset = 0  # lines of the file consumed by earlier chunks
    while True:
        chunk = source.text if offset == 0 else "\n".join(source.lines[offset:])
        bad = first_disallowed(chunk)
        if bad is None:
            error_line = _parse_chunk(source, chunk, offset, documents, findings)
        else:
            # Parse the documents before the one holding the character, then report it there.
            line, column = position(chunk, bad, "yaml")
            bad_line = offset + line - 1  # 0-based file line
            cut = _last_doc_start(source.lines, offset, bad_line)
            error_line = _parse_chunk(source, "\n".join(source.lines[offset:cut]), offset, documents,
                                      findings) if cut > offset else None
            if error_line is None:
                findings.append(Finding(  # the message: the rule's template (`parse` check)
                    rule="yaml-syntax", severity="error", message="", values={"problem": describe(chunk[bad])},
                    file=source.display, line=bad_line + 1, column=column))
                error_line = bad_line + 1  # resume after its line
        if error_line is None:
            break
        # The error may be reported on the next marker itself, so search from the error line;
        # always move forward.
        nxt = _next_doc_start(source.lines, max(error_line, offset + 1))
        if nxt is None:
            break
        offset = nxt
    return ParsedYaml(documents, findings)


def _last_doc_start(lines: list[str], offset: int, line: int) -> int:
    """The last document marker in lines offset+1..line (0-based), or offset."""
    for i in range(line, offset, -1):
        if _next_doc_start(lines, i) == i:
            return i
    return offset


def _next_doc_start(lines: list[str], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].startswith("---") and (len(lines[i]) == 3 or lines[i][3] in " \t\r"):
            return i
    return None


def _parse_chunk(source, chunk, offset, documents, findings) -> int | None:
    """Parse one chunk; return the 0-based file line of a syntax error, or None."""
    events = _events(chunk)
    try:
        for ev in events:
            if type(ev) is DocumentStartEvent:
                doc = YamlDocument(source=source, index=len(documents), data=None,
                                   start_line=ev.start_mark.line + 1 + offset, line_offset=offset)
                _build_document(events, doc, findings, offset)
                documents.append(doc)
        return None
    except _TooComplex as exc:
        line = exc.node.start_mark.line + 1 + offset
        findings.append(Finding(
            rule="yaml-too-complex", severity="error", message="", values={"reason": exc.reason},
            file=source.display, line=line, column=exc.node.start_mark.column + 1))
        documents.append(YamlDocument(source=source, index=len(documents), data=None))
        return line - 1  # resume at the next document
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + offset
        col = (mark.column if mark else 0) + 1
        values: dict = {"problem": exc.problem or exc.context or "syntax error"}
        variant = None
        if exc.context and exc.problem:
            started = exc.context_mark
            values["context"] = exc.context
            variant = "context"
            if started and started.line != mark.line:
                variant, values["started"] = "context-started", started.line + 1 + offset
        findings.append(Finding(
            rule="yaml-syntax", severity="error", message="", variant=variant, values=values,
            file=source.display, line=line + 1, column=col))
        return line
    except (YAMLError, ValueError, MemoryError) as exc:
        findings.append(Finding(
            rule="yaml-syntax", severity="error", message="", values={"problem": str(exc)},
            file=source.display, line=offset + 1, column=1))
        return None


def _events(text: str):
    if CParser is not None:
        parser = CParser(text)
        get = parser.get_event
        while True:
            ev = get()
            yield ev
            if type(ev) is StreamEndEvent:
                return
    # Without ruamel.yaml.clib (install ruamel.yaml[oldlibyaml]): the pure-Python parser, slower.
    from ruamel.yaml import YAML

    yield from YAML(typ="safe", pure=True).parse(text)
