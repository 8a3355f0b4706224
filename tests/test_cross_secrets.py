"""Secrets and ConfigMaps across objects, on the shop fixture (namespaces shop, billing and a
static pod under etc/kubernetes/manifests)."""

from all_rules import lint_paths, lint_text

from kubelint.engine.loader import load_rules
from kubelint.scan import Options

CROSS = {r.id for r in load_rules().values() if r.category == "cross-object"}
APP = "tests/fixtures/cross/secrets"


def cross_findings(path, **options):
    return [f for f in lint_paths([path], options=Options(**options)) if f.rule in CROSS]


def test_broken_places():
    found = cross_findings(f"{APP}/broken")
    assert [(f.file.split("/broken/")[1], f.line, f.column, f.rule) for f in found] == [
        ("api.yaml", 16, 17, "missing-secret"),
        ("api.yaml", 21, 15, "secret-as-env"),
        ("api.yaml", 22, 23, "missing-secret"),
        ("api.yaml", 26, 17, "secret-as-env"),
        ("api.yaml", 28, 24, "missing-secret-key"),
        ("api.yaml", 42, 22, "missing-configmap-key"),
        ("api.yaml", 47, 26, "secret-file-mode"),
        ("api.yaml", 52, 25, "missing-configmap"),
        ("config.yaml", 28, 3, "plaintext-secret"),
        ("etc/kubernetes/manifests/node-agent.yaml", 7, 23, "static-pod-refs"),
        ("etc/kubernetes/manifests/node-agent.yaml", 19, 15, "static-pod-refs"),
    ]


def test_broken_messages():
    found = {(f.rule, f.line): f for f in cross_findings(f"{APP}/broken")}
    config = f"{APP}/broken/config.yaml"
    assert found["missing-secret", 16].message == (
        "imagePullSecrets references Secret 'regcred', which was not found (searched 3 Secrets in "
        "namespace 'shop': api-tls, db-credentials, payment-gateway)")
    assert found["missing-secret-key", 28].message == (
        f"env DB_PASSWORD of container 'api' reads key 'pasword' of Secret 'db-credentials' ({config}:4), "
        f"which holds only: password, username")
    assert [(r.file, r.line) for r in found["missing-secret-key", 28].related] == [(config, 4)]
    assert found["missing-configmap-key", 42].message == (
        f"volume 'config' reads key 'settings.yml' of ConfigMap 'api-config' ({config}:33), which holds "
        f"only: settings.yaml")
    assert found["missing-configmap", 52].message == (
        "projected volume 'flags' references ConfigMap 'feature-flags', which was not found (searched 1 "
        "ConfigMap in namespace 'shop': api-config)")
    assert found["secret-file-mode", 47].message == (
        "secret volume 'tls' defaultMode is 0644: the files are readable by the group and other users; "
        "use 0400 (or 0440 with fsGroup)")
    assert found["secret-as-env", 26].message.startswith(
        "env DB_PASSWORD of container 'api' takes Secret 'db-credentials' as environment variables")
    assert found["plaintext-secret", 28].message == (
        "Secret 'payment-gateway' holds readable values in the repository (api-key); anyone with the "
        "repository has them")
    assert found["static-pod-refs", 19].message == (
        f"static pod 'node-agent' ({APP}/broken/etc/kubernetes/manifests/node-agent.yaml): volume 'settings' "
        "references ConfigMap 'node-agent-settings'; a static pod cannot refer to API objects (the kubelet "
        "does not fetch them for it)")


def test_billing_secrets_are_managed_elsewhere_unless_complete():
    billing = f"{APP}/broken/billing.yaml"
    assert [f for f in cross_findings(f"{APP}/broken") if f.file == billing] == []
    complete = [f for f in cross_findings(f"{APP}/broken", complete=True) if f.file == billing]
    assert [(f.line, f.column, f.rule, f.message) for f in complete] == [
        (26, 25, "missing-secret", "volume 'db' references Secret 'billing-db', which was not found "
                                   "(searched 0 Secrets in namespace 'billing' (--complete))")]


def test_fixed_is_clean():
    assert cross_findings(f"{APP}/fixed") == []
    # --complete still asks for billing's Secret, which this repository does not hold.
    assert [f.rule for f in cross_findings(f"{APP}/fixed", complete=True)] == ["missing-secret"]


def test_generated_and_run_time_secrets_count_as_present():
    text = """\
apiVersion: v1
kind: Secret
metadata: {name: other, namespace: web}
data: {a: ""}
---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: web
secretGenerator:
  - name: generated
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: tls, namespace: web}
spec: {secretName: web-tls}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: certgen, namespace: web}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: certgen, namespace: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: certgen}
subjects: [{kind: ServiceAccount, name: certgen}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: certgen, namespace: web}
spec:
  template:
    spec:
      serviceAccountName: certgen
      restartPolicy: Never
      containers:
        - {name: create, image: "example/certgen:1.0", args: [create, --secret-name=webhook-cert]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: web}
spec:
  containers:
    - name: web
      image: nginx:1.27
      volumeMounts:
        - {name: a, mountPath: /a}
        - {name: b, mountPath: /b}
        - {name: c, mountPath: /c}
        - {name: d, mountPath: /d}
        - {name: e, mountPath: /e}
  volumes:
    - {name: a, secret: {secretName: generated, defaultMode: 0400}}
    - {name: b, secret: {secretName: web-tls, defaultMode: 0400}}
    - {name: c, secret: {secretName: webhook-cert, defaultMode: 0400}}
    - {name: d, configMap: {name: kube-root-ca.crt}}
    - {name: e, secret: {secretName: "${WEB_SECRET}", defaultMode: 0400}}
"""
    assert [(f.rule, f.line) for f in lint_text(text) if f.rule in CROSS] == []


def test_plaintext_skips_binary_certificates_and_placeholders():
    text = """\
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData:
  token: "${TOKEN}"
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUexample
    -----END CERTIFICATE-----
data:
  blob: 3q2+7w==
  empty: ""
"""
    assert [f.rule for f in lint_text(text) if f.rule == "plaintext-secret"] == []


def test_bad_input_never_raises():
    text = """\
apiVersion: v1
kind: Secret
metadata: {name: s}
data: {a: 5, b: null, c: "!!notbase64", d: [1]}
stringData: [x]
---
apiVersion: v1
kind: Pod
metadata: {name: p, annotations: {kubernetes.io/config.source: file}}
spec:
  serviceAccountName: [x]
  imagePullSecrets: [null, {name: null}, "x"]
  volumes:
    - {name: a, secret: {secretName: s, defaultMode: "0644", items: [null, {key: a, mode: x}]}}
    - {name: b, projected: {sources: [null, {secret: {name: s, items: "x"}}], defaultMode: true}}
  containers:
    - name: c
      envFrom: [null, {secretRef: null}, {configMapRef: {name: 7}}]
      env: [null, {name: X, valueFrom: {secretKeyRef: {name: s, key: [1]}}}]
"""
    lint_text(text)
    lint_text(text, options=Options(complete=True))
