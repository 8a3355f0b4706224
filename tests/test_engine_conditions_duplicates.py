"""Condition language extensions: `duplicates` (a value repeats) and `key-regex` (a mapping key
matches), and the `sidecars` container group."""

import pytest
from all_rules import lint_text

from kubelint.engine.conditions import ConditionError, compile_condition

CONTAINER = {
    "name": "app",
    "env": [{"name": "A", "value": "1"}, {"name": "B"}, {"name": "A", "value": "2"}, "junk", None],
    "ports": [{"containerPort": 80}, {"containerPort": "80"}],
}
OBJECT = {"metadata": {"annotations": {"team": "x", "scheduler.alpha.kubernetes.io/critical-pod": ""}}}


def check(cond, root, params=None):
    return compile_condition(cond, params or {})(root, {})


def test_duplicates_points_at_the_repeat():
    v = check({"path": "env[*].name", "duplicates": True}, CONTAINER)
    assert v.broken and v.path == ("env", 2, "name") and v.value == "A"


def test_duplicates_compares_numbers_and_numeric_strings_alike():
    v = check({"path": "ports[*].containerPort", "duplicates": True}, CONTAINER)
    assert v.broken and v.path == ("ports", 1, "containerPort")


def test_duplicates_false_when_all_values_differ_or_nothing_is_there():
    assert not check({"path": "env[*].value", "duplicates": True}, CONTAINER).broken
    v = check({"path": "volumeMounts[*].name", "duplicates": True}, CONTAINER)
    assert not v.broken and v.missing and v.path == ()
    assert check({"path": "env[*].value", "duplicates": False}, CONTAINER).broken


def test_duplicates_from_a_param_and_bad_arguments():
    assert check({"path": "env[*].name", "duplicates": {"param": "on"}}, CONTAINER, {"on": True}).broken
    with pytest.raises(ConditionError):
        compile_condition({"path": "env[*].name", "duplicates": "yes"}, {})


def test_key_regex_points_at_the_key_and_reports_it_as_value():
    v = check({"path": "metadata.annotations", "key-regex": r"\.alpha\.kubernetes\.io/"}, OBJECT)
    assert v.broken and v.key
    assert v.path == ("metadata", "annotations", "scheduler.alpha.kubernetes.io/critical-pod")
    assert v.value == "scheduler.alpha.kubernetes.io/critical-pod"


def test_key_regex_is_false_on_missing_and_non_mappings():
    assert not check({"path": "metadata.annotations", "key-regex": "^owner$"}, OBJECT).broken
    v = check({"path": "metadata.labels", "key-regex": "."}, OBJECT)
    assert not v.broken and v.missing
    assert not check({"path": "metadata", "key-regex": "."}, {"metadata": ["a", "b"]}).broken
    assert check({"path": "metadata.*", "key-regex": "^team$"}, OBJECT).broken
    with pytest.raises(ConditionError):
        compile_condition({"path": "x", "key-regex": "("}, {})


def test_not_key_regex_keeps_pointing_at_the_key():
    v = check({"not": {"path": "metadata.annotations", "key-regex": "^team$"}}, OBJECT)
    assert not v.broken and v.key


def _rule(tmp_path, groups):
    (tmp_path / "r.yaml").write_text(f"""
id: needs-probe
severity: warning
category: test
summary: a long-running container without a liveness probe
applies-to: containers
container-groups: {groups}
condition: {{path: livenessProbe, absent: true}}
message: "container '{{container}}' has no liveness probe"
""")
    return str(tmp_path)


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
    - name: setup
      image: busybox:1.36
    - name: proxy
      image: envoy:1.30
      restartPolicy: Always
  containers:
    - name: app
      image: app:1
"""


def test_sidecars_group_adds_native_sidecars_only(tmp_path):
    found = [f for f in lint_text(POD, rules_dirs=[_rule(tmp_path, "[containers, sidecars]")])
             if f.rule == "needs-probe"]
    assert [(f.line, f.column, f.message) for f in found] == [
        (9, 7, "container 'proxy' has no liveness probe"),
        (13, 7, "container 'app' has no liveness probe")]


def test_without_sidecars_group_init_containers_stay_out(tmp_path):
    found = [f for f in lint_text(POD, rules_dirs=[_rule(tmp_path, "[containers]")]) if f.rule == "needs-probe"]
    assert [f.line for f in found] == [13]
