"""The engine: registered checks run once, each finding within its rule's declared scope, and a
check that raises becomes an internal-error finding instead of ending the run."""

from __future__ import annotations

import textwrap

import pytest

import kubelint.checks
from kubelint.engine.engine import Engine
from kubelint.engine.loader import RuleFileError, load_rule_file, load_rules
from kubelint.parse.source import SourceFile
from kubelint.ruleapi import registry
from kubelint.runner import add_yaml
from kubelint.scan import Scan

# Every built-in check registered before a test copies the registry.
kubelint.checks.load_all()

PODS = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:latest"}]
"""


def _scan(text: str = PODS, name: str = "app.yaml") -> Scan:
    scan = Scan()
    source = SourceFile(name, name, text, "yaml")
    scan.sources.append(source)
    add_yaml(scan, source)
    return scan


def _rule_file(tmp_path, body: str):
    path = tmp_path / "rule.yaml"
    path.write_text(textwrap.dedent(body))
    return path


RULE_HEAD = """\
id: {id}
severity: warning
category: test
summary: a test rule
description: d
rationale: r
remediation: x
applies-to: objects
"""


def test_a_check_that_raises_is_an_internal_error_and_other_rules_still_report(monkeypatch):
    spec = registry.check_for_rule("single-replica")

    def broken(ctx):
        for obj in ctx.objects(["Deployment"]):
            raise RuntimeError(f"boom on {obj.name}")
        yield None

    monkeypatch.setitem(registry._BY_RULE, "single-replica", registry.CheckSpec(spec.name, spec.rules, spec.fills, broken))
    rules = {k: v for k, v in load_rules().items() if k in ("single-replica", "latest-tag")}
    findings = Engine(rules).run(_scan())
    by_rule = {f.rule: f for f in findings}
    assert set(by_rule) == {"latest-tag", "internal-error"}
    error = by_rule["internal-error"]
    assert error.severity == "error" and error.file == "app.yaml"
    assert "check 'k8s-replicas' (rules single-replica) failed on app.yaml: RuntimeError: boom on web" in error.message


def test_python_check_findings_honour_the_rules_kinds(tmp_path, monkeypatch):
    def every_object(ctx):
        for obj in ctx.objects():
            yield ctx.finding("test-scoped", obj, ("metadata", "name"), what=obj.kind)

    monkeypatch.setattr(registry, "_BY_RULE", dict(registry._BY_RULE))
    monkeypatch.setattr(registry, "_CHECKS", dict(registry._CHECKS))
    registry.check("test-scoped-check", rules=("test-scoped",), fills=("what",))(every_object)
    path = _rule_file(tmp_path, RULE_HEAD.format(id="test-scoped") + """\
        check: test-scoped-check
        kinds: [Service]
        message: "{what} '{name}' seen"
        """.replace("        ", ""))
    rule = load_rule_file(path, builtin=False, validate=True)
    findings = Engine({rule.id: rule}).run(_scan())
    assert [(f.rule, f.line, f.message) for f in findings] == [("test-scoped", 3, "Service 'web' seen")]


@pytest.mark.parametrize("extra, line, column, text", [
    # a built-in check serves only the rule ids it declares
    ("check: dockerfile-packages\n", 9, 1, "check 'dockerfile-packages' does not make findings for rule 'my-rule'"),
    ("check: no-such-check\n", 9, 1, "no code registers a check named 'no-such-check'"),
    # fields a Python-backed rule would silently ignore
    ("check: k8s-replicas\nfor-each: containers[*]\n", 10, 1, "'for-each' does nothing in a rule with a check"),
    ("condition: {path: spec, exists: true}\nmessages: {a: b}\n", 10, 1, "'messages' does nothing in a rule with a condition"),
    # a placeholder nobody fills
    ("condition: {path: spec, exists: true}\nmessage: \"{kind} {nmae}\"\n", 10, 1,
     "message placeholder '{nmae}' is not filled by this rule"),
])
def test_loader_rejects_what_would_do_nothing(tmp_path, extra, line, column, text):
    path = _rule_file(tmp_path, RULE_HEAD.format(id="my-rule") + extra)
    with pytest.raises(RuleFileError) as err:
        load_rule_file(path, builtin=False, validate=True)
    assert f"{path}:{line}:{column}: {text}" in str(err.value)


def test_every_builtin_check_rule_is_served_by_registered_code():
    rules = load_rules()
    for rule in rules.values():
        if rule.check:
            spec = registry.check_for_rule(rule.id)
            assert spec is not None and spec.name == rule.check, rule.id


def test_no_check_writes_message_text():
    """Messages are templates in the rule files: a `message=` passed by a check would be a value
    no template reads, so the text the check wrote would be silently lost."""
    import re
    from pathlib import Path

    root = Path(kubelint.checks.__file__).parent
    offenders = [f"{p.relative_to(root)}:{n}" for p in sorted(root.rglob("*.py"))
                 for n, line in enumerate(p.read_text().splitlines(), 1)
                 if re.search(r"\bmessage=", line)]
    assert offenders == []


def test_internal_error_text_is_its_rule_template():
    from kubelint.findings import INTERNAL_ERROR_MESSAGE

    assert load_rules()["internal-error"].message == INTERNAL_ERROR_MESSAGE


def test_condition_findings_carry_their_values_as_a_mapping():
    from kubelint.api import lint_text

    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\n"
            "spec:\n  containers:\n  - {name: c, image: nginx, securityContext: {privileged: true}}\n")
    f = next(f for f in lint_text(text) if f.rule == "privileged-container")
    assert dict(f.values) == {"value": "true", "path": "spec.containers[0].securityContext.privileged",
                              "container": "c", "kind": "Pod", "name": "p", "namespace": "ns"}
    assert f.values["kind"] == "Pod" and f.values.get("param.x") is None and len(f.values) == 6
    assert {**f.values, "kind": "X"}["kind"] == "X"  # adjusters merge them into a dict


def test_object_values_list_the_rule_params_after_the_common_ones():
    from kubelint.findings import ObjectValues

    values = ObjectValues("1", "a.b", None, "Pod", "p", None, {"param.max": "2"})
    assert list(values.items()) == [("value", "1"), ("path", "a.b"), ("container", None), ("kind", "Pod"),
                                    ("name", "p"), ("namespace", None), ("param.max", "2")]
    with pytest.raises(KeyError):
        values["other"]
