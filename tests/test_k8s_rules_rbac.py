"""RBAC rules: one finding per offending rule entry of a Role or ClusterRole, at the value that
decided it; bindings to cluster-admin; malformed rules never raise."""

from pathlib import Path

from kubelint.api import lint_text

FIXTURE = Path(__file__).parent / "fixtures" / "k8s" / "rbac" / "roles.yaml"
RULES = ["cluster-admin-binding", "wildcard-rbac", "secrets-access", "pod-exec-access",
         "create-pods-access", "escalate-bind-impersonate"]


def findings(text: str, rules=RULES) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, select=rules)]


def test_roles_and_bindings():
    assert findings(FIXTURE.read_text()) == [
        # rules[0]: reading all Secrets; rules[1] is narrowed to one named Secret
        ("secrets-access", 8, 29, "ClusterRole 'operator' can read every Secret in its scope (get, list or watch on secrets)"),
        ("create-pods-access", 15, 17,
         "ClusterRole 'operator' can create deployments, and so run any pod as any service account of its scope"),
        ("pod-exec-access", 18, 17, "ClusterRole 'operator' grants pods/exec (running commands inside pods)"),
        # rules[4]: bind limited to the 'view' role by resourceNames passes
        # rules[5] has wildcards in apiGroups and resources: one wildcard-rbac finding for the
        # rule entry; `get` on every resource covers secrets and pods/exec too
        ("pod-exec-access", 25, 17, "ClusterRole 'operator' grants * (running commands inside pods)"),
        ("secrets-access", 25, 17, "ClusterRole 'operator' can read every Secret in its scope (get, list or watch on secrets)"),
        ("wildcard-rbac", 25, 17, "ClusterRole 'operator' grants '*' in rules[5].resources[0]"),
        ("wildcard-rbac", 27, 23, "ClusterRole 'operator' grants '*' in rules[6].nonResourceURLs[0]"),
        ("escalate-bind-impersonate", 41, 13,
         "Role 'reader' grants the 'impersonate' verb, which bypasses RBAC's escalation checks"),
        # a RoleBinding to the ClusterRole cluster-admin; the one to a Role of that name is not it
        ("cluster-admin-binding", 48, 73, "RoleBinding 'shop-admins' binds the 'cluster-admin' ClusterRole"),
    ]


def test_reading_without_create_is_not_pod_creation():
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: viewer
  namespace: shop
rules:
  - apiGroups: ["", apps, batch]
    resources: [pods, deployments, jobs, pods/log]
    verbs: [get, list, watch]
"""
    assert findings(text) == []


def test_star_verbs_count_for_secrets_exec_and_creation():
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: operator
rules:
  - apiGroups: [""]
    resources: [secrets, pods, pods/attach]
    verbs: ["*"]
"""
    assert findings(text) == [
        ("secrets-access", 7, 17, "ClusterRole 'operator' can read every Secret in its scope (get, list or watch on secrets)"),
        ("create-pods-access", 7, 26, "ClusterRole 'operator' can create pods, and so run any pod as any service account of its scope"),
        ("pod-exec-access", 7, 32, "ClusterRole 'operator' grants pods/attach (running commands inside pods)"),
        ("wildcard-rbac", 8, 13, "ClusterRole 'operator' grants '*' in rules[0].verbs[0]"),
    ]


def test_cluster_role_binding_to_cluster_admin():
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - {kind: ServiceAccount, name: ci, namespace: ci}
"""
    assert findings(text) == [("cluster-admin-binding", 8, 9, "ClusterRoleBinding 'ci' binds the 'cluster-admin' ClusterRole")]


def test_malformed_rules_do_not_raise():
    text = FIXTURE.read_text().split("---", 4)[4]
    assert findings(text) == []


BINDINGS = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debugger, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [pods/exec]
    verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-debug, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: debugger}
subjects:
  - {kind: ServiceAccount, name: default, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployer-edit}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: ServiceAccount, name: deployer, namespace: ci}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: unknown, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: not-in-scan}
subjects:
  - {kind: ServiceAccount, name: app, namespace: shop}
"""


def test_bindings_are_judged_through_the_role_they_bind():
    found = lint_text(BINDINGS, select=["privileged-role-binding", "default-service-account-binding",
                                        "cluster-admin-binding"])
    assert [(f.rule, f.line, f.message) for f in found] == [
        ("privileged-role-binding", 12, "RoleBinding 'ci-debug' binds Role 'debugger', which grants "
         "'create' on 'pods/exec' (running commands inside pods)"),
        ("default-service-account-binding", 14, "RoleBinding 'ci-debug' grants Role 'debugger' (which grants "
         "'create' on 'pods/exec') to the default ServiceAccount of namespace 'shop', and so to every pod "
         "there that names no ServiceAccount"),
        # the built-in edit ClusterRole impersonates ServiceAccounts: reported without a manifest
        ("privileged-role-binding", 19, "ClusterRoleBinding 'deployer-edit' binds ClusterRole 'edit', which "
         "grants the 'impersonate' verb (bypasses RBAC's escalation checks)"),
        # a role neither in the scan nor built in is not judged
    ]
    # the role found in the scan is related, at its kind line
    assert [(r.line, r.message) for r in found[0].related] == [(2, "Role 'debugger'")]
    assert found[2].related == ()


def test_a_role_granting_everything_is_cluster_admin_equivalent():
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: all, namespace: shop}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: shop-all, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: all}
subjects: [{kind: Group, name: shop-devs}]
"""
    found = lint_text(text, select=["cluster-admin-binding", "privileged-role-binding"])
    assert [(f.rule, f.line, f.message) for f in found] == [
        ("cluster-admin-binding", 10, "RoleBinding 'shop-all' binds Role 'all', which grants every verb on "
         "every resource (cluster-admin-equivalent)")]


PARITY = Path(__file__).parent / "fixtures" / "parity" / "polaris"


def test_bindings_judged_through_the_role_they_bind():
    # Polaris' binding checks: the finding is at the binding's roleRef.name, the role related.
    def at(check: str) -> list[tuple]:
        return [(f.rule, f.line, f.column, f.message, [r.line for r in f.related])
                for f in lint_text((PARITY / check / "fail.yaml").read_text(),
                                   select=["privileged-role-binding", "cluster-admin-binding"])]

    assert at("clusterrolebindingPodExecAttach") == [
        ("privileged-role-binding", 19, 9, "ClusterRoleBinding 'debuggers' binds ClusterRole 'debugger', which grants "
         "'get' on 'pods/attach' (running commands inside pods)", [3])]
    assert at("rolebindingClusterRolePodExecAttach") == [
        ("privileged-role-binding", 19, 9, "RoleBinding 'ci-shell' binds ClusterRole 'shell', which grants "
         "'create' on 'pods/exec' (running commands inside pods)", [3])]
    assert at("rolebindingRolePodExecAttach") == [
        # `*` resources cover pods/exec (create only: it reads no Secrets)
        ("privileged-role-binding", 20, 9, "RoleBinding 'deployer' binds Role 'everything-in-pods', which grants "
         "'create' on '*' (running commands inside pods)", [3])]
    assert at("rolebindingClusterAdminRole") == [
        ("cluster-admin-binding", 20, 9, "RoleBinding 'owners' binds Role 'owner', which grants every verb on every "
         "resource (cluster-admin-equivalent)", [3])]
