"""RBAC aggregation: a ClusterRole labelled aggregate-to-admin/edit/view adds its rules to those
built-in roles (and view's to edit and admin); a ClusterRole with an aggregationRule holds the
rules of the ClusterRoles it selects. aggregated-role-escalation reports privileged permissions
that flow that way; bindings are judged with the aggregated rules."""

from kubelint.api import lint_text

LEAKY_VIEW = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widgets-view
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
  - apiGroups: [example.com]
    resources: [widgets]
    verbs: [get, list, watch]
  - apiGroups: [""]
    resources: [pods/exec]
    verbs: [create]
"""
VIEWERS = """\
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone-views
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - kind: Group
    name: system:authenticated
    apiGroup: rbac.authorization.k8s.io
"""


def found(text: str, rules: list[str]) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message, [(r.line, r.message) for r in f.related])
            for f in lint_text(text, select=rules)]


def test_a_privileged_rule_aggregated_into_view_is_reported_at_the_rule():
    assert found(LEAKY_VIEW, ["aggregated-role-escalation"]) == [
        ("aggregated-role-escalation", 11, 5, "ClusterRole 'widgets-view' is aggregated into the built-in admin, edit, "
         "view ClusterRole(s) and grants 'create' on 'pods/exec' (running commands inside pods) to every subject "
         "bound to them", [])]


def test_a_binding_to_view_sees_the_aggregated_rules():
    # view alone grants no exec: only the aggregated role makes this binding privileged.
    assert found(VIEWERS.removeprefix("---\n"), ["privileged-role-binding"]) == []
    assert found(LEAKY_VIEW + VIEWERS, ["privileged-role-binding"]) == [
        ("privileged-role-binding", 22, 9, "ClusterRoleBinding 'everyone-views' binds ClusterRole 'view', which grants "
         "'create' on 'pods/exec' (running commands inside pods)", [(2, "ClusterRole 'widgets-view' aggregated into 'view'")])]


def test_an_aggregation_rule_collects_the_roles_it_selects():
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: {example.com/aggregate-to-monitoring: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-secrets
  labels: {example.com/aggregate-to-monitoring: "true"}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: prometheus
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: monitoring
subjects:
  - kind: ServiceAccount
    name: prometheus
    namespace: monitoring
"""
    assert found(text, ["privileged-role-binding", "aggregated-role-escalation"]) == [
        ("privileged-role-binding", 27, 9, "ClusterRoleBinding 'prometheus' binds ClusterRole 'monitoring', which can "
         "read every Secret in its scope", [(2, "ClusterRole 'monitoring'"),
                                            (11, "ClusterRole 'monitoring-secrets' aggregated into 'monitoring'")])]
    # Without the label the selector selects nothing: reading pods only.
    assert found(text.replace("labels: {example.com/aggregate-to-monitoring: \"true\"}", "labels: {}"),
                 ["privileged-role-binding"]) == []
