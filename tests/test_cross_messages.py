"""Cross-object messages come from the rules' YAML templates: variants render from structured
values, an object without a name is named '(no name)' (never an internal error), and no check of
the family builds its message in code."""

import re
from pathlib import Path

from kubelint.api import lint_text
from kubelint.engine.loader import load_rules

ROOT = Path(__file__).resolve().parents[1]
CROSS = {r.id: r for r in load_rules().values() if r.category == "cross-object"}

NAMELESS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  namespace: shop
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers: [{name: c, image: "x:1"}]
"""


def cross(text: str):
    return sorted((f.line, f.column, f.rule, f.message) for f in lint_text(text) if f.rule in CROSS
                  or f.rule == "internal-error")


def test_object_without_a_name_is_named_in_the_message():
    assert cross(NAMELESS) == [
        (5, 1, "statefulset-service", "StatefulSet '(no name)' names no serviceName: its pods get no stable DNS names"),
        (6, 3, "selector-mismatch",
         "StatefulSet '(no name)' selector app=a does not match its pod template labels app=b (manifest.yaml:8)"),
    ]


SUBPATHS = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: "x:1"
      volumeMounts:
        - {name: data, mountPath: /a, subPath: ../up}
        - {name: data, mountPath: /b, subPath: /abs}
        - {name: dta, mountPath: /c}
  volumes:
    - {name: data, emptyDir: {}}
"""


def test_variants_and_values():
    found = {(f.line, f.rule): f for f in lint_text(SUBPATHS) if f.rule in CROSS}
    climbs, absolute, typo = found[(9, "subpath-traversal")], found[(10, "subpath-traversal")], \
        found[(11, "undefined-volume")]
    assert (climbs.variant, climbs.values["sub_path"]) == ("climbs", "../up")
    assert climbs.message == ("container 'c' mounts volume 'data' with subPath '../up', which climbs out of the "
                              "volume with ..; the API server rejects it")
    assert (absolute.variant, absolute.message) == (None, (
        "container 'c' mounts volume 'data' with subPath '/abs', which is absolute; the API server rejects it"))
    assert (typo.variant, typo.values["similar"], typo.values["volumes"]) == ("similar", "data", ["data"])
    assert typo.message == ("container 'c' mounts volume 'dta', which the pod does not declare "
                            "(volumes: data at manifest.yaml:13); did you mean 'data'?")


def test_every_cross_rule_has_its_own_message():
    for rule in CROSS.values():
        assert "message" in rule.raw, rule.id


def test_no_message_text_in_the_checks():
    for path in (ROOT / "kubelint" / "checks" / "crossobject").glob("*.py"):
        assert not re.search(r"\bmessage=|\.message\b", path.read_text()), path.name
