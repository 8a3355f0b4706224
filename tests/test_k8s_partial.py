"""Partial pod specs and kustomize patches: what they set is judged, what they leave out is not."""

from kubelint.api import lint_text
from kubelint.engine.conditions import compile_condition

FRAGMENT = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      hostPID: true
      automountServiceAccountToken: true
      volumes:
        - name: root
          hostPath: {path: /var}
"""


def test_a_pod_spec_without_containers_is_checked_for_what_it_sets():
    found = [(f.rule, f.line) for f in lint_text(FRAGMENT, select=["all"]) if f.rule != "schema-invalid"]
    # Not unused-volume: the containers that mount it are elsewhere (schema-invalid says the
    # fragment cannot be applied as it stands).
    assert sorted(found) == [("automount-service-account-token", 9), ("host-pid", 8), ("pss-host-namespaces", 8),
                             ("pss-volume-types", 12), ("sensitive-host-mount", 12)]


def test_a_custom_kind_needs_containers_to_count_as_pod_bearing():
    text = FRAGMENT.replace("kind: DaemonSet", "kind: Widget").replace("apps/v1", "example.com/v1")
    assert [f.rule for f in lint_text(text, select=["host-pid"])] == []


PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  template:
    spec:
      containers:
        - name: web
          resources:
            limits: {memory: 1Gi}
"""


def test_a_patch_leaves_absent_fields_alone_even_when_a_set_value_decides():
    rules = ["no-anti-affinity", "missing-requests", "seccomp-profile", "missing-ephemeral-storage"]
    assert lint_text(PATCH, name="overlays/prod/web-patch.yaml", select=rules) == []
    as_object = sorted((f.rule, f.line) for f in lint_text(PATCH, name="web.yaml", select=rules))
    assert as_object == [("missing-ephemeral-storage", 11), ("missing-requests", 11),
                         ("no-anti-affinity", 6), ("seccomp-profile", 10)]


def test_absence_required_by_all_is_absent_based_but_a_default_under_any_is_not():
    required = compile_condition({"all": [{"path": "a", "absent": True}, {"path": "b", "equals": 1}]}, {})
    assert required({"b": 1}, {}).absent_field
    default = compile_condition({"all": [{"any": [{"path": "a", "absent": True}, {"path": "a", "equals": "TCP"}]},
                                         {"path": "b", "equals": 1}]}, {})
    verdict = default({"b": 1}, {})
    assert verdict.broken and not verdict.absent_field


def test_ignore_case():
    cond = compile_condition({"path": "x", "in": ["SYS_ADMIN"], "ignore-case": True}, {})
    assert cond({"x": "sys_Admin"}, {}).broken
    assert not compile_condition({"path": "x", "in": ["SYS_ADMIN"]}, {})({"x": "sys_admin"}, {}).broken
