"""ServiceAccounts, RBAC bindings, claims and storage classes across objects, on the fixture with
namespaces shop and ci."""

from all_rules import lint_paths, lint_text

from kubelint.engine.loader import load_rules
from kubelint.scan import Options

CROSS = {r.id for r in load_rules().values() if r.category == "cross-object"}
APP = "tests/fixtures/cross/identity"


def cross_findings(path, **options):
    return [f for f in lint_paths([path], options=Options(**options)) if f.rule in CROSS]


def test_broken_places_and_messages():
    broken = f"{APP}/broken"
    found = cross_findings(broken)
    assert [(f.file, f.line, f.column, f.rule, f.severity, f.message) for f in found] == [
        (f"{broken}/api.yaml", 15, 27, "missing-service-account", "error",
         "Deployment 'api' runs as ServiceAccount 'api-server', which was not found (searched 1 "
         "ServiceAccount in namespace 'shop': api)"),
        (f"{broken}/api.yaml", 25, 24, "missing-pvc", "error",
         "volume 'uploads' claims PersistentVolumeClaim 'upload', which was not found (searched 1 "
         f"PersistentVolumeClaim in namespace 'shop': uploads); did you mean 'uploads' ({broken}/storage.yaml:12)?"),
        (f"{broken}/rbac.yaml", 9, 9, "rolebinding-missing-role", "warning",
         "RoleBinding 'read-pods' grants Role 'pods-reader', which was not found (searched 1 Role in "
         f"namespace 'shop': pod-reader); did you mean 'pod-reader' ({broken}/accounts.yaml:16)?"),
        (f"{broken}/rbac.yaml", 24, 11, "rolebinding-missing-subject", "warning",
         "ClusterRoleBinding 'ci-deployer' binds ServiceAccount 'deploy-bot', which was not found "
         "(searched 1 ServiceAccount in namespace 'ci': deployer)"),
        (f"{broken}/storage.yaml", 15, 21, "missing-storage-class", "info",
         "PersistentVolumeClaim 'uploads' asks for StorageClass 'fast', which was not found (searched 1 "
         "StorageClass in the scan: fast-ssd)"),
    ]
    assert [(r.file, r.line, r.message) for r in found[2].related] == [
        (f"{broken}/accounts.yaml", 16, "Role 'pod-reader' has a similar name")]


def test_fixed_is_clean():
    assert cross_findings(f"{APP}/fixed") == []
    assert cross_findings(f"{APP}/fixed", complete=True) == []


def test_built_in_roles_accounts_and_classes_are_present():
    text = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: mine, namespace: kube-system}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: auth-reader, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
subjects: [{kind: ServiceAccount, name: default}]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local}
provisioner: example.com/local
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: kube-system}
spec: {storageClassName: standard-rwo, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""
    assert [f.rule for f in lint_text(text, options=Options(complete=True)) if f.rule in CROSS] == []


def test_bad_input_never_raises():
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b}
roleRef: [Role]
subjects: {kind: ServiceAccount}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: c}
roleRef: {kind: ClusterRole, name: null}
subjects: [null, {kind: ServiceAccount, name: [x]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: p, annotations: {volume.beta.kubernetes.io/storage-class: [x]}}
spec: [1]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec:
  volumeClaimTemplates: [null, {metadata: [x]}, {spec: {storageClassName: 5}}]
  template: {spec: {containers: [{name: c}], volumes: [{name: v, ephemeral: {volumeClaimTemplate: null}}]}}
"""
    lint_text(text)
    lint_text(text, options=Options(complete=True))
