"""Fast YAML loading with positions.

ruamel's round-trip loader keeps positions but manages ~130 docs/s. Instead we read the event
stream of libyaml's C parser (kubelint.parse.yaml_events: through PyYAML's or ruamel.yaml.clib's
binding) and build plain data ourselves, with the position of every node beside it (see
kubelint.model.document.YamlDocument): many times faster, same positions.

Scalars resolve the way Kubernetes reads YAML (go-yaml v2, YAML 1.1): `yes`/`on` are booleans,
`0644` is octal. Unknown or unsafe tags (`!!python/...`, `!Ref`) are never constructed: the
node's value is used as plain data.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Any

from kubelint.findings import Finding
from kubelint.model.document import Path, Pos, YamlDocument, bits_for
from kubelint.model.document import dotted as _dotted
from kubelint.model.numbers import fits
from kubelint.parse import yaml_events
from kubelint.parse.source import SourceFile, position
from kubelint.parse.yaml_text import describe, first_disallowed

# Re-exported: the document model lives in kubelint.model.document.
__all__ = ["MAX_DEPTH", "MAX_NODES", "ParsedYaml", "Pos", "YamlDocument", "parse_yaml", "resolve_plain"]

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
# The words above, and what they read as: one dict lookup per plain scalar.
_WORDS: dict[str, Any] = {**dict.fromkeys(_NULL), **dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_NOT_A_WORD = object()
# Only a plain scalar starting with one of these can be a number (see _INT and _FLOAT): the
# others are strings without trying a regex.
_NUMBER_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[1-9][0-9_]*|0)$")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"
    r"|[-+]?\.(?:inf|Inf|INF)$|\.(?:nan|NaN|NAN)$"
)
_STR_TAG = "tag:yaml.org,2002:str"


def resolve_plain(text: str) -> Any:
    value = _WORDS.get(text, _NOT_A_WORD)
    if value is not _NOT_A_WORD:
        return value
    return _number(text) if text[0] in _NUMBER_START else text


def _number(text: str) -> Any:
    """A plain scalar that starts like a number: the number, or the text when it is none."""
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
# the loop runs once per YAML event, so it is written flat on purpose: the open container's
# state lives in local variables (saved on a stack while a child is open), positions are packed
# inline, and plain scalars resolve with one dict lookup. Aliases reuse the anchored Python
# object; their expanded size counts towards MAX_NODES so an alias bomb stops early.

_NO_KEY = object()
_MERGE = object()


def _build_document(get, doc: YamlDocument, findings: list[Finding], offset: int,
                    events: yaml_events.EventSource) -> None:
    """Consume the events of one document (after DocumentStart, `get` returns the next event)
    up to its DocumentEnd.

    Positions are stored packed (kubelint.model.document.pack) in the tree of tables that
    YamlDocument describes; YamlDocument.pos_of turns one into a Pos when a finding needs it."""
    b1 = doc.bits
    b2, b3, b4 = 2 * b1, 3 * b1, 4 * b1
    words, not_a_word, number_start, number = _WORDS, _NOT_A_WORD, _NUMBER_START, _number
    no_key, merge_key = _NO_KEY, _MERGE
    intern = sys.intern
    scalar_event, alias_event, document_end = events.scalar, events.alias, events.document_end
    map_start, seq_start = events.mapping_start, events.sequence_start
    map_end, seq_end = events.mapping_end, events.sequence_end
    anchors: dict[str, tuple[Any, int]] = {}
    # The open container: its data, path and table of positions (both None below a complex
    # key: nothing there is addressable), whether it is a mapping, the key waiting for its value
    # and that key's position; where it started, the node count then, its anchor, its `<<`
    # merges, and whether it is itself a (complex) mapping key. The enclosing ones wait on
    # `stack`.
    cont: Any = None
    cpath: tuple | None = ()
    ctable: Any = None
    child: Any = None  # the table of the container that just ended
    is_map = False
    key: Any = no_key
    kpos = 0
    start_line = start_col = count0 = 0
    anchor = None
    merges: list | None = None
    as_key = False
    stack: list[tuple] = []
    count = 0
    root = None
    while True:
        ev = get()
        t = type(ev)
        if t is scalar_event:
            count += 1
            sm, em = ev.start_mark, ev.end_mark
            pos = (sm.line << b3) | (sm.column << b2) | (em.line << b1) | em.column
            value = ev.value
            child = None
            if key is no_key and is_map:
                # A mapping key, kept as written: `yes` stays "yes", `=` stays "=". Keys repeat
                # in every document (`apiVersion`, `name`): one shared string each.
                key = merge_key if (value == "<<" and not ev.style) else intern(value)
                kpos = pos
                continue
            if ev.style or ev.tag is not None:
                value = _scalar(ev)
            else:
                word = words.get(value, not_a_word)
                if word is not not_a_word:
                    value = word
                elif value[0] in number_start:
                    value = number(value)
                elif len(value) < 40:  # short values repeat too (`v1`, `TCP`, image names)
                    value = intern(value)
            if ev.anchor:
                anchors[ev.anchor] = (value, 1)
        elif t is map_start or t is seq_start:
            count += 1
            if len(stack) >= MAX_DEPTH:
                raise _TooComplex(ev, f"nested more than {MAX_DEPTH} levels deep")
            sm = ev.start_mark
            child_as_key = False
            if cont is None:
                path = ()
            elif is_map:
                if key is no_key:  # a mapping or sequence used as a key: never in Kubernetes
                    key = f"<complex key at line {sm.line + 1 + offset}>"
                    kpos = (sm.line << b3) | (sm.column << b2) | (sm.line << b1) | sm.column
                    path = None
                    child_as_key = True
                else:
                    path = None if cpath is None or key is merge_key else cpath + (key,)
            else:
                path = None if cpath is None else cpath + (len(cont),)
            stack.append((cont, cpath, ctable, is_map, key, kpos, start_line, start_col, count0, anchor, merges,
                          as_key))
            is_map = t is map_start
            cont = {} if is_map else []
            ctable = None if path is None else {} if is_map else []
            cpath, key, kpos, merges, as_key = path, no_key, 0, None, child_as_key
            start_line, start_col, count0, anchor = sm.line, sm.column, count, ev.anchor
            continue
        elif t is map_end or t is seq_end:
            value, child = cont, ctable
            if merges:
                _apply_merges(value, ctable, merges, b4)
            if anchor:
                anchors[anchor] = (value, count - count0 + 1)
            em = ev.end_mark
            pos = (start_line << b3) | (start_col << b2) | (em.line << b1) | em.column
            was_key = as_key
            (cont, cpath, ctable, is_map, key, kpos, start_line, start_col, count0, anchor, merges,
             as_key) = stack.pop()
            if was_key:  # the content of a complex key is no value: the key's value follows
                continue
        elif t is alias_event:
            value, size = anchors.get(ev.anchor, (None, 1))
            count += size
            if count > MAX_NODES:
                raise _TooComplex(ev, f"more than {MAX_NODES:,} nodes after expanding aliases (an alias bomb?)")
            sm, em = ev.start_mark, ev.end_mark
            pos = (sm.line << b3) | (sm.column << b2) | (em.line << b1) | em.column
            child = None
            if key is no_key and is_map:
                key, kpos = str(value), pos
                continue
        elif t is document_end:
            break
        else:
            continue
        # Attach `value` (at `pos`) to the open container.
        if cont is None:
            root = value
            doc.marks = child
        elif is_map:
            if key is merge_key:
                merges = (merges or []) + [(kpos, value)]
            else:
                if ctable is not None:
                    if key in cont:
                        first = ctable[key]
                        first = first[0] if type(first) is tuple else first
                        _duplicate_key(doc, findings, (cpath or ()) + (key,), first >> b4, kpos)
                    pos |= kpos << b4
                    ctable[key] = pos if child is None else (pos, child)
                cont[key] = value
            key = no_key
        else:
            if ctable is not None:
                ctable.append(pos if child is None else (pos, child))
            cont.append(value)
    doc.data = root


def _duplicate_key(doc: YamlDocument, findings: list[Finding], path: Path, first, again) -> None:
    at, first_at = doc.pos_of(again), doc.pos_of(first)
    findings.append(Finding(  # the message: the rule's template, filled in by the `parse` check
        rule="duplicate-key", severity="error", message="", values={"key": path[-1], "first_line": first_at.line},
        file=doc.source.display, line=at.line, column=at.column,
        end_line=at.end_line, end_column=at.end_column, path=_dotted(path)))


def _apply_merges(target: dict, table: dict | None, merges, shift: int) -> None:
    """`<<: *base` merge keys: the merged entries never override the mapping's own. A merged
    entry sits at its `<<` (key and value)."""
    for kpos, merged in merges:
        for source in merged if isinstance(merged, list) else [merged]:
            if not isinstance(source, dict):
                continue
            for k, v in source.items():
                if k not in target:
                    target[k] = v
                    if table is not None:
                        table[k] = (kpos << shift) | kpos


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


def _compiled() -> Any:
    """kubelint._yamlfast.build (see kubelint/_yamlfast.c), or None where it was not built
    (no C compiler or libyaml headers at install), where a checkout's build is older than its
    source (it may no longer match the loop below), or when KUBELINT_PURE_YAML is set."""
    global _BUILD
    if _BUILD is _UNKNOWN:
        _BUILD = None
        if not os.environ.get("KUBELINT_PURE_YAML"):
            try:
                from kubelint import _yamlfast
            except ImportError:
                pass
            else:
                if not _stale(_yamlfast.__file__):
                    _BUILD = _yamlfast.build
    return _BUILD


def _stale(module_file: str | None) -> bool:
    """Whether the C source beside a built module is newer than it (a checkout edited since
    `python hatch_build.py`; a wheel carries no source)."""
    if not module_file:
        return False
    try:
        source = os.stat(os.path.join(os.path.dirname(module_file), "_yamlfast.c"))
    except OSError:
        return False
    try:
        return source.st_mtime_ns > os.stat(module_file).st_mtime_ns
    except OSError:
        return True


_UNKNOWN = object()
_BUILD: Any = _UNKNOWN


def _parse_chunk(source, chunk, offset, documents, findings) -> int | None:
    """Parse one chunk; return the 0-based file line of a syntax error, or None."""
    bits = bits_for(len(chunk))
    build = _compiled()
    if build is not None:
        # The compiled fast path gives what the loop below gives, or None for anything but plain
        # data (errors, anchors, tags, merge and duplicate keys): then the chunk is parsed here.
        try:
            built = build(chunk, bits, _WORDS, _number, MAX_DEPTH)
        except Exception:  # noqa: BLE001 - out of memory, say: the loop below meets it too and reports it
            built = None
        if built is not None:
            for start, data, marks in built:
                documents.append(YamlDocument(source=source, index=len(documents), data=data, marks=marks,
                                              start_line=start + 1 + offset, line_offset=offset, bits=bits))
            return None
    events = yaml_events.SOURCE
    get = events.parser(chunk)
    document_start, stream_end = events.document_start, events.stream_end
    try:
        while True:
            ev = get()
            t = type(ev)
            if t is document_start:
                doc = YamlDocument(source=source, index=len(documents), data=None,
                                   start_line=ev.start_mark.line + 1 + offset, line_offset=offset, bits=bits)
                _build_document(get, doc, findings, offset, events)
                documents.append(doc)
            elif t is stream_end:
                return None
    except _TooComplex as exc:
        line = exc.node.start_mark.line + 1 + offset
        findings.append(Finding(
            rule="yaml-too-complex", severity="error", message="", values={"reason": exc.reason},
            file=source.display, line=line, column=exc.node.start_mark.column + 1))
        documents.append(YamlDocument(source=source, index=len(documents), data=None))
        return line - 1  # resume at the next document
    except yaml_events.MARKED_ERRORS as marked:
        err: Any = marked  # PyYAML's or ruamel's MarkedYAMLError: the same fields
        mark = err.problem_mark or err.context_mark
        line = (mark.line if mark else 0) + offset
        col = (mark.column if mark else 0) + 1
        if (err.problem or "").startswith("exceeded maximum nesting depth"):
            # libyaml 0.2.6+ stops at 1,000 levels, its scanner running ahead of our MAX_DEPTH
            # check: the same verdict, where libyaml gave up.
            findings.append(Finding(
                rule="yaml-too-complex", severity="error", message="",
                values={"reason": f"nested more than {MAX_DEPTH} levels deep"},
                file=source.display, line=line + 1, column=col))
            documents.append(YamlDocument(source=source, index=len(documents), data=None))
            return line
        values: dict = {"problem": err.problem or err.context or "syntax error"}
        variant = None
        if err.context and err.problem:
            started = err.context_mark
            values["context"] = err.context
            variant = "context"
            if started and started.line != mark.line:
                variant, values["started"] = "context-started", started.line + 1 + offset
        findings.append(Finding(
            rule="yaml-syntax", severity="error", message="", variant=variant, values=values,
            file=source.display, line=line + 1, column=col))
        return line
    except yaml_events.OTHER_ERRORS as exc:
        findings.append(Finding(
            rule="yaml-syntax", severity="error", message="", values={"problem": str(exc)},
            file=source.display, line=offset + 1, column=1))
        return None
