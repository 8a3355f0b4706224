"""A finding: one rule's verdict at one place in one file."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Iterator, Mapping

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)  # one per object of a scan
class ObjectRef:
    """Identity of a Kubernetes object (or a Dockerfile stage, with kind 'Stage')."""

    api_version: str | None
    kind: str | None
    namespace: str | None
    name: str | None

    def __reduce__(self):
        # A constructor call: restoring a frozen dataclass's slots goes through Python code per field.
        return (ObjectRef, (self.api_version, self.kind, self.namespace, self.name))

    def to_json(self) -> dict:
        return {"apiVersion": self.api_version, "kind": self.kind,
                "namespace": self.namespace, "name": self.name}

    def label(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind}/{ns}{self.name}"


@dataclass(frozen=True)
class Related:
    """Another place a finding refers to (the object a selector should match, the first duplicate key)."""

    file: str
    line: int
    message: str


@dataclass(slots=True)  # no per-instance __dict__: a run may hold hundreds of thousands
class Finding:
    rule: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    object: ObjectRef | None = None
    # Path inside the object (spec.template.spec.containers[0].image) or Dockerfile stage name;
    # it identifies the finding without line numbers, for baselines and fingerprints.
    path: str | None = None
    remediation: str | None = None
    doc_url: str | None = None
    related: tuple[Related, ...] = field(default_factory=tuple)
    suppressed: bool = False
    # What the rule's message template was filled with, and which variant: adjusters restate a
    # finding from these (kubelint.ruleapi.context.CheckContext.restate), never from its text.
    variant: str | None = field(default=None, compare=False, repr=False)
    # Read-only: a plain dict, or (condition rules, hundreds of thousands of findings in a big
    # run) an ObjectValues.
    values: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    # The edits that would fix it, for reports: {applicability, edits: [{line, column, end_line,
    # end_column, text}]} (kubelint.fix.loop.annotate); None when no fix applies.
    fix: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def sort_key(self):
        return (self.file, self.line, self.column, self.rule, self.message)

    def __reduce__(self):
        # Pickled as a constructor call, every field in order: unpickling the findings of a
        # memoised run (kubelint.scanmemo) took twice as long restoring each slot by name.
        return (Finding, (self.rule, self.severity, self.message, self.file, self.line, self.column,
                          self.end_line, self.end_column, self.object, self.path, self.remediation,
                          self.doc_url, self.related, self.suppressed, self.variant, self.values, self.fix))


class ObjectValues(Mapping[str, Any]):
    """The values of a condition rule's finding on an object: value, path, container, kind,
    name and namespace, then the rule's `param.NAME` values (one dict shared by the rule's
    findings). A read-only mapping in a third of the memory of a dict."""

    __slots__ = ("value", "path", "container", "kind", "name", "namespace", "_params")
    KEYS = ("value", "path", "container", "kind", "name", "namespace")

    def __init__(self, value: Any, path: str, container: str | None, kind: str, name: str,
                 namespace: str | None, params: Mapping[str, Any]):
        self.value, self.path, self.container = value, path, container
        self.kind, self.name, self.namespace = kind, name, namespace
        self._params = params

    def __getitem__(self, key: str) -> Any:
        if key in self.KEYS:
            return getattr(self, key)
        return self._params[key]

    def get(self, key: str, default: Any = None) -> Any:
        # Mapping.get goes through __getitem__ and a KeyError: messages ask for every value.
        if key in self.KEYS:
            return getattr(self, key)
        return self._params.get(key, default)

    def __iter__(self) -> Iterator[str]:
        yield from self.KEYS
        yield from (k for k in self._params if k not in self.KEYS)

    def __len__(self) -> int:
        return len(self.KEYS) + sum(1 for k in self._params if k not in self.KEYS)

    def __repr__(self) -> str:
        return repr(dict(self))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """A sorted copy, in Finding.sort_key order: one stable sort per field, last field first,
    so that no key tuple is made per finding (a tuple per finding held for the sort was the
    peak of a run with hundreds of thousands of findings)."""
    out = list(findings)
    for name in ("message", "rule", "column", "line", "file"):
        out.sort(key=attrgetter(name))
    return out


INTERNAL_ERROR = "internal-error"


# The same template as rules/core/internal-error.yaml (a test keeps them equal): this finding is
# made below the rule engine, by parsers too, and is reported whatever rules are selected.
INTERNAL_ERROR_MESSAGE = "{what} failed on {file}: {error} (a bug in kubelint; rerun with --debug for the traceback)"


def internal_error(what: str, file: str, detail: str, debug: bool = False) -> Finding:
    """A failure of kubelint's own code (a check, an adjuster, a parser) on one file: reported
    like a finding so the other findings survive, and the run exits 2. `debug` prints the
    traceback of the exception being handled on stderr."""
    if debug:
        import traceback

        traceback.print_exc()
    values = {"what": what, "file": file, "error": detail}
    return Finding(rule=INTERNAL_ERROR, severity="error", message=INTERNAL_ERROR_MESSAGE.format(**values),
                   file=file, line=1, column=1, values=values)
