"""What a Python check sees: the scan, the enabled rules with their params, and helpers that
turn a place in an object or a file into a Finding with the rule's severity, docs and message
template."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator

from kubelint.findings import Finding, ObjectRef, Related
from kubelint.index.patches import partial_objects
from kubelint.model.k8s import UNNAMED, Container, KubeObject
from kubelint.ruleapi.messages import OBJECT_VALUES, render
from kubelint.ruleapi.rule import Rule
from kubelint.scan import Scan


@dataclass
class CheckContext:
    scan: Scan
    rules: dict[str, Rule]  # enabled rules by id
    # The file a check is working on, for the internal-error finding if it raises (set by
    # `objects()` and `in_file()`).
    current_file: str | None = None

    def objects(self, kinds: Iterable[str] | None = None) -> Iterator[KubeObject]:
        """The scan's objects (of `kinds`), remembering which one is being checked."""
        wanted = set(kinds) if kinds is not None else None
        for obj in self.scan.objects:
            if wanted is None or obj.kind in wanted:
                self.current_file = obj.file
                yield obj

    def containers(self, kinds: Iterable[str] | None = None) -> Iterator[Container]:
        """Every container (app, init, ephemeral) of the pod specs of the scan's objects (of
        `kinds`); each knows its object (`Container.obj`)."""
        for obj in self.objects(kinds):
            spec = obj.pod_spec
            if spec is not None:
                yield from spec.containers

    def kinds(self, *rule_ids: str) -> set[str] | None:
        """The kinds the enabled ones of these rules apply to (their `kinds:`), None for any kind:
        a check iterates `ctx.objects(ctx.kinds(RULE))` instead of re-declaring the list."""
        wanted: set[str] = set()
        for rule_id in rule_ids:
            rule = self.rules.get(rule_id)
            if rule is None:
                continue
            if rule.kinds is None:
                return None
            wanted.update(rule.kinds)
        return wanted

    def in_file(self, file: str) -> None:
        """Say which file the check is working on now (see `current_file`)."""
        self.current_file = file

    def enabled(self, rule_id: str) -> bool:
        return rule_id in self.rules

    def note(self, text: str) -> None:
        """A line for the run's summary (once per text): what a check could not do, and why."""
        notes = self.scan.options.extra.setdefault("notes", [])
        if text not in notes:
            notes.append(text)

    def param(self, rule_id: str, name: str, default: Any = None) -> Any:
        rule = self.rules.get(rule_id)
        return rule.params.get(name, default) if rule else default

    def message(self, rule: Rule, variant: str | None, values: dict[str, Any]) -> str:
        """The rule's template for `variant` (its `message:` when None), filled with `values`
        and the rule's params as `{param.NAME}`."""
        template = rule.messages[variant] if variant is not None else rule.message
        filled = {f"param.{k}": v for k, v in rule.params.items()}
        filled.update(values)
        # An object without a name (or namespace) keeps `{name}` as written, as condition rules
        # do: the object is broken (schema-invalid says so), the check is not.
        unknown = [k for k in OBJECT_VALUES if k in filled and filled[k] is None]
        return render(template, filled, optional=unknown)

    def finding(self, rule_id: str, obj: KubeObject, path: Iterable = (), *, key: bool = False,
                related: Iterable[Related] = (), severity: str | None = None,
                variant: str | None = None, absent: bool = False, **values: Any) -> Finding | None:
        """A finding at `path` inside `obj` (its key when key=True; the nearest existing parent
        when the path is missing), its message the rule's template filled with `values` plus
        kind, name, namespace and path. None when the rule is not enabled.

        `absent=True`: the finding is decided by something the object leaves out (no profile,
        no replicas, no port declared). On a partial object (a kustomize patch, a pod spec
        without containers: see kubelint.index.patches.partial_objects) that proves nothing, so
        the finding is dropped here, the same way for every check, as the engine drops a
        condition decided by a missing path."""
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        if absent and id(obj) in partial_objects(self.scan):
            return None
        path = tuple(path)
        pos = obj.locate(path, key=key)
        dotted = obj.dotted(path) or None
        name = obj.name if obj.name is not None else UNNAMED
        common = {"kind": obj.kind, "name": name, "namespace": obj.namespace, "path": dotted}
        values = {**{k: v for k, v in common.items() if k in OBJECT_VALUES}, **values}
        return Finding(
            rule=rule_id, severity=severity or rule.severity,
            message=self.message(rule, variant, values),
            file=obj.file, line=pos.line, column=pos.column,
            end_line=pos.end_line, end_column=pos.end_column,
            object=obj.ref, path=dotted,
            remediation=rule.remediation, doc_url=rule.doc_url, related=tuple(related),
            variant=variant, values=values)

    def file_finding(self, rule_id: str, file: str, line: int, column: int,
                     end_line: int | None = None, end_column: int | None = None, *,
                     obj: ObjectRef | None = None, path: str | None = None,
                     related: Iterable[Related] = (), severity: str | None = None,
                     variant: str | None = None, **values: Any) -> Finding | None:
        """A finding at an explicit place (Dockerfiles, whole files)."""
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        return Finding(
            rule=rule_id, severity=severity or rule.severity,
            message=self.message(rule, variant, values),
            file=file, line=line, column=column, end_line=end_line, end_column=end_column,
            object=obj, path=path, remediation=rule.remediation, doc_url=rule.doc_url,
            related=tuple(related), variant=variant, values=values)

    def restate(self, finding: Finding, variant: str | None = None, **values: Any) -> Finding:
        """The same finding told with another variant of its rule's message and more values
        (for adjusters: they change structured data, never message text)."""
        rule = self.rules[finding.rule]
        merged = {**(finding.values or {}), **values}
        return replace(finding, message=self.message(rule, variant, merged), variant=variant, values=merged)

    def user_severity(self, rule_id: str) -> bool:
        """True when the user set this rule's severity (config or --severity): adjusters leave
        such a severity alone."""
        rule = self.rules.get(rule_id)
        return bool(rule and rule.severity_from_user)
