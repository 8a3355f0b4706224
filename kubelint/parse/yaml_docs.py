"""Fast YAML loading with positions.

ruamel's round-trip loader keeps positions but manages ~130 docs/s. Instead we let the C
parser compose node graphs (`YAML(typ='safe')` with ruamel.yaml.clib) and build plain data
ourselves, recording a path -> position map as we go: about 8x faster, same positions.

Scalars resolve the way Kubernetes reads YAML (go-yaml v2, YAML 1.1): `yes`/`on` are booleans,
`0644` is octal. Unknown or unsafe tags (`!!python/...`, `!Ref`) are never constructed: the
node's value is used as plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from kubelint.findings import Finding
from kubelint.parse.source import SourceFile

Path = tuple  # a path into the data: ('spec', 'containers', 0, 'image')

MAX_DEPTH = 500
MAX_NODES = 500_000  # per document, counting aliases each time they are expanded


@dataclass(frozen=True)
class Pos:
    """1-based line and column of a node's start, and where it ends."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class YamlDocument:
    source: SourceFile
    index: int  # 0-based document number in the file
    data: Any
    values: dict = field(default_factory=dict)  # path -> Pos of the value node
    keys: dict = field(default_factory=dict)  # path -> Pos of the mapping key
    start_line: int = 1


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
_CORE_TAGS = {_STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
              "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}


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
            return sign * int(t[2:], 2)
        if t.startswith("0x"):
            return sign * int(t[2:], 16)
        if t.startswith("0o"):
            return sign * int(t[2:], 8)
        if len(t) > 1 and t.startswith("0"):
            return sign * int(t, 8)
        return sign * int(t)
    except ValueError:
        return text


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


def _scalar(node: ScalarNode) -> Any:
    if node.style is None and node.tag in _CORE_TAGS:
        return resolve_plain(node.value)
    tag = node.tag
    if tag == "tag:yaml.org,2002:int":
        return _to_int(node.value)
    if tag == "tag:yaml.org,2002:float":
        return _to_float(node.value)
    if tag == "tag:yaml.org,2002:bool":
        return resolve_plain(node.value) if node.value in _TRUE | _FALSE else node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    # str, binary, timestamp, the YAML 1.1 "value" tag (a bare `=` key) and custom tags:
    # the text as written.
    return node.value


def _pos(node) -> Pos:
    s, e = node.start_mark, node.end_mark
    return Pos(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


# --- building data from nodes -----------------------------------------------------------------

class _Builder:
    def __init__(self, doc: YamlDocument, findings: list[Finding], line_offset: int):
        self.doc = doc
        self.findings = findings
        self.offset = line_offset
        self.count = 0

    def pos(self, node) -> Pos:
        p = _pos(node)
        if self.offset:
            return Pos(p.line + self.offset, p.column, p.end_line + self.offset, p.end_column)
        return p

    def build(self, node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooComplex(node, f"more than {MAX_NODES:,} nodes after expanding aliases (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise _TooComplex(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, ScalarNode):
            return _scalar(node)
        values = self.doc.values
        if isinstance(node, SequenceNode):
            out = []
            for i, child in enumerate(node.value):
                p = path + (i,)
                values[p] = self.pos(child)
                out.append(self.build(child, p, depth + 1))
            return out
        if isinstance(node, MappingNode):
            return self.build_mapping(node, path, depth)
        return None

    def build_mapping(self, node: MappingNode, path: Path, depth: int) -> dict:
        out: dict = {}
        first_line: dict = {}
        merges = []
        values, keys = self.doc.values, self.doc.keys
        for knode, vnode in node.value:
            if isinstance(knode, ScalarNode):
                if knode.tag == "tag:yaml.org,2002:merge" or (knode.value == "<<" and knode.style is None):
                    merges.append((knode, vnode))
                    continue
                key = knode.value
            else:
                # Complex keys do not occur in Kubernetes objects; keep them readable.
                key = f"<complex key at line {self.pos(knode).line}>"
            kpos = self.pos(knode)
            p = path + (key,)
            if key in first_line:
                self.findings.append(Finding(
                    rule="duplicate-key", severity="error",
                    message=f"duplicate key '{key}' (first defined at line {first_line[key]}); "
                            "the last one wins silently in some tools and is rejected by others",
                    file=self.doc.source.display, line=kpos.line, column=kpos.column,
                    end_line=kpos.end_line, end_column=kpos.end_column, path=_dotted(p)))
            else:
                first_line[key] = kpos.line
            keys[p] = kpos
            values[p] = self.pos(vnode)
            out[key] = self.build(vnode, p, depth + 1)
        for knode, vnode in merges:
            sources = vnode.value if isinstance(vnode, SequenceNode) else [vnode]
            kpos = self.pos(knode)
            for src in sources:
                if not isinstance(src, MappingNode):
                    continue
                merged = self.build_mapping(src, path + ("<<",), depth + 1)
                for k, v in merged.items():
                    if k not in out:
                        out[k] = v
                        keys[path + (k,)] = kpos
                        values[path + (k,)] = kpos
        return out


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# --- documents ----------------------------------------------------------------------------------

_LOADER = None
_DOC_START = re.compile(r"^---(?:[ \t]|$)", re.M)


def _loader() -> YAML:
    global _LOADER
    if _LOADER is None:
        _LOADER = YAML(typ="safe", pure=False)
    return _LOADER


def parse_yaml(source: SourceFile) -> ParsedYaml:
    """All documents of a file, with positions; syntax errors become findings and parsing
    resumes at the next document marker."""
    findings: list[Finding] = []
    documents: list[YamlDocument] = []
    text = source.text
    offset = 0  # lines of `text` consumed by earlier chunks
    while True:
        chunk = text if offset == 0 else "\n".join(source.lines[offset:])
        error_line = _parse_chunk(source, chunk, offset, documents, findings)
        if error_line is None:
            break
        # Resume at the first document marker after the error.
        nxt = _next_doc_start(source.lines, error_line)
        if nxt is None:
            break
        offset = nxt
    return ParsedYaml(documents, findings)


def _next_doc_start(lines: list[str], after: int) -> int | None:
    for i in range(after + 1, len(lines)):
        if lines[i].startswith("---") and (len(lines[i]) == 3 or lines[i][3] in " \t\r"):
            return i
    return None


def _parse_chunk(source, chunk, offset, documents, findings) -> int | None:
    """Parse one chunk; return the 0-based absolute line of a syntax error, or None."""
    loader = _loader()
    try:
        for node in loader.compose_all(chunk):
            doc = YamlDocument(source=source, index=len(documents), data=None)
            if node is None:
                documents.append(doc)
                continue
            doc.start_line = node.start_mark.line + 1 + offset
            builder = _Builder(doc, findings, offset)
            try:
                doc.data = builder.build(node, (), 0)
            except _TooComplex as exc:
                p = builder.pos(exc.node)
                findings.append(Finding(
                    rule="yaml-too-complex", severity="error",
                    message=f"document not linted: {exc.reason}",
                    file=source.display, line=p.line, column=p.column))
                doc.data = None
                doc.values.clear()
                doc.keys.clear()
            documents.append(doc)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + offset
        col = (mark.column if mark else 0) + 1
        problem = exc.problem or exc.context or "syntax error"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        findings.append(Finding(
            rule="yaml-syntax", severity="error", message=f"YAML syntax error: {problem}",
            file=source.display, line=line + 1, column=col))
        return line
    except (YAMLError, ValueError, RecursionError, MemoryError) as exc:
        findings.append(Finding(
            rule="yaml-syntax", severity="error", message=f"YAML syntax error: {exc}",
            file=source.display, line=offset + 1, column=1))
        return None
    return None
