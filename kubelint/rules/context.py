"""What a Python check sees: the scan, the enabled rules with their params, and helpers that
turn a place in an object into a Finding with the rule's severity and docs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from kubelint.findings import Finding, ObjectRef, Related
from kubelint.model.k8s import KubeObject
from kubelint.rules.rule import Rule
from kubelint.scan import Scan


@dataclass
class CheckContext:
    scan: Scan
    rules: dict[str, Rule]  # enabled rules by id

    def enabled(self, rule_id: str) -> bool:
        return rule_id in self.rules

    def param(self, rule_id: str, name: str, default: Any = None) -> Any:
        rule = self.rules.get(rule_id)
        return rule.params.get(name, default) if rule else default

    def finding(self, rule_id: str, obj: KubeObject, path: Iterable = (), message: str = "",
                key: bool = False, related: Iterable[Related] = (), severity: str | None = None) -> Finding | None:
        """A finding at `path` inside `obj` (its key when key=True; the nearest existing parent
        when the path is missing). None when the rule is not enabled."""
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        path = tuple(path)
        pos = obj.locate(path, key=key)
        return Finding(
            rule=rule_id, severity=severity or rule.severity, message=message,
            file=obj.file, line=pos.line, column=pos.column,
            end_line=pos.end_line, end_column=pos.end_column,
            object=obj.ref, path=obj.dotted(path) or None,
            remediation=rule.remediation, doc_url=rule.doc_url, related=tuple(related))

    def file_finding(self, rule_id: str, file: str, line: int, column: int, message: str,
                     end_line: int | None = None, end_column: int | None = None,
                     obj: ObjectRef | None = None, path: str | None = None,
                     related: Iterable[Related] = (), severity: str | None = None) -> Finding | None:
        """A finding at an explicit place (Dockerfiles, whole files)."""
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        return Finding(
            rule=rule_id, severity=severity or rule.severity, message=message,
            file=file, line=line, column=column, end_line=end_line, end_column=end_column,
            object=obj, path=path, remediation=rule.remediation, doc_url=rule.doc_url,
            related=tuple(related))
