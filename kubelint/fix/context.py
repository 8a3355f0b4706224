"""What a fixer sees: the finding, the file's text, and the parsed document or Dockerfile."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from kubelint.findings import Finding
from kubelint.fix.edits import LineIndex, newline_of
from kubelint.fix.yamledit import YamlEditor
from kubelint.model.dockerfile import Command, Dockerfile, Instruction
from kubelint.model.document import YamlDocument
from kubelint.model.k8s import CONTAINER_GROUPS, KubeObject
from kubelint.model.source import SourceFile

_INDEX = re.compile(r"\[(\d+)\]")
_CONTAINER = re.compile(r"^(.*?\b(?:%s)\[\d+\])" % "|".join(CONTAINER_GROUPS))


@dataclass
class FixContext:
    finding: Finding
    source: SourceFile
    index: LineIndex
    doc: YamlDocument | None = None
    obj: KubeObject | None = None
    dockerfile: Dockerfile | None = None
    params: dict[str, Any] = field(default_factory=dict)  # the rule's effective params

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def values(self) -> Mapping[str, Any]:
        return self.finding.values or {}

    @property
    def variant(self) -> str | None:
        return self.finding.variant

    @cached_property
    def newline(self) -> str:
        return newline_of(self.source.text)

    # -- YAML ------------------------------------------------------------------------------
    @cached_property
    def yaml(self) -> YamlEditor | None:
        return YamlEditor(self.doc, self.index, self.newline) if self.doc is not None else None

    @property
    def prefix(self) -> tuple:
        """Where the object sits in its document: () or ('items', i) for a List item."""
        return self.obj.prefix if self.obj is not None else ()

    @cached_property
    def path(self) -> tuple | None:
        """The finding's path inside its object (or document, for a file finding) as a tuple:
        its dotted form is matched against the data, since keys may hold dots."""
        if self.finding.path is None:
            return None
        root = self.obj.data if self.obj is not None else (self.doc.data if self.doc is not None else None)
        return resolve_dotted(root, self.finding.path)

    def container_path(self) -> tuple | None:
        """The container a containers-scoped finding is about (object-relative)."""
        path = self.path
        if path is None and self.finding.path:
            # The finding is at a field the container does not have yet (securityContext.
            # capabilities.drop): the container is the part of the path up to its index.
            m = _CONTAINER.match(self.finding.path)
            root = self.obj.data if self.obj is not None else None
            path = resolve_dotted(root, m.group(1)) if m and root is not None else None
        if path is None:
            return None
        for i in range(len(path) - 1):
            if path[i] in CONTAINER_GROUPS and isinstance(path[i + 1], int):
                return path[:i + 2]
        return None

    def pod_spec_path(self) -> tuple | None:
        spec = self.obj.pod_spec if self.obj is not None else None
        return spec.path if spec is not None else None

    def set(self, path: tuple, value: Any):
        """Edits making the object's `path` equal `value` (see YamlEditor.set)."""
        return self.yaml.set(self.prefix + tuple(path), value) if self.yaml else None

    # -- Dockerfile ------------------------------------------------------------------------
    def instruction(self) -> Instruction | None:
        """The instruction the finding is on (an ONBUILD's inner one when it is there)."""
        if self.dockerfile is None:
            return None
        line = self.finding.line
        for inst in self.dockerfile.instructions:
            if inst.line <= line <= inst.end_line:
                return inst.inner if inst.inner is not None and _within(inst.inner, self.finding) else inst
        return None

    def command(self) -> tuple[Instruction, Command] | None:
        """The shell command whose program word the finding points at."""
        inst = self.instruction()
        if inst is None:
            return None
        for cmd in inst.commands:
            if cmd.words and (cmd.words[0].line, cmd.words[0].column) == (self.finding.line, self.finding.column):
                return inst, cmd
        return None

    def offset(self, line: int, column: int) -> int:
        return self.index.offset(line, column)


def _within(inst: Instruction, finding: Finding) -> bool:
    return (inst.line, inst.column) <= (finding.line, finding.column) and finding.line <= inst.end_line


def resolve_dotted(data: Any, dotted: str) -> tuple | None:
    """'spec.containers[0].securityContext' -> ('spec', 'containers', 0, 'securityContext'),
    found by walking the data (a key may hold dots: metadata.annotations.a.b/c). A missing last
    key is kept as written."""
    if dotted == "":
        return ()
    m = _INDEX.match(dotted)
    if m:
        i = int(m.group(1))
        if not isinstance(data, list) or i >= len(data):
            return None
        rest = dotted[m.end():]
        rest = rest[1:] if rest.startswith(".") else rest
        tail = resolve_dotted(data[i], rest)
        return None if tail is None else (i,) + tail
    if not isinstance(data, dict):
        return None
    for key in sorted((k for k in data if isinstance(k, str)), key=len, reverse=True):
        if dotted == key:
            return (key,)
        if dotted.startswith(key) and dotted[len(key)] in ".[":
            rest = dotted[len(key):]
            rest = rest[1:] if rest.startswith(".") else rest
            tail = resolve_dotted(data[key], rest)
            if tail is not None:
                return (key,) + tail
    if "." not in dotted and "[" not in dotted:
        return (dotted,)
    return None
