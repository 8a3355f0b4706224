"""A finding: one rule's verdict at one place in one file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class ObjectRef:
    """Identity of a Kubernetes object (or a Dockerfile stage, with kind 'Stage')."""

    api_version: str | None
    kind: str | None
    namespace: str | None
    name: str | None

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
    values: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    # The edits that would fix it, for reports: {applicability, edits: [{line, column, end_line,
    # end_column, text}]} (kubelint.fix.loop.annotate); None when no fix applies.
    fix: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def sort_key(self):
        return (self.file, self.line, self.column, self.rule, self.message)


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
