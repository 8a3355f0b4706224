"""prometheus-operator's ServiceMonitor and PodMonitor: their selectors judged against the
Services and pod templates of the namespaces they search (servicemonitor-no-service,
podmonitor-no-pods): rule, place and message text."""

from kubelint.api import lint_text
from kubelint.scan import Options

RULES = ["servicemonitor-no-service", "podmonitor-no-pods"]

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app.kubernetes.io/name: web}
spec:
  selector: {app: web}
  ports: [{name: metrics, port: 9090}]
"""


def monitor(kind: str, selector: str, namespace_selector: str = "") -> str:
    return f"""\
apiVersion: monitoring.coreos.com/v1
kind: {kind}
metadata: {{name: web, namespace: shop}}
spec:
  selector: {selector}
{namespace_selector}  endpoints: [{{port: metrics}}]
---
"""


def found(text, **options):
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, select=RULES, options=Options(**options))]


def test_servicemonitor_selecting_the_pod_labels_instead_of_the_service_labels():
    text = monitor("ServiceMonitor", "{matchLabels: {app: web}}") + SERVICE
    assert found(text) == [(
        "servicemonitor-no-service", 5, 3,
        "ServiceMonitor 'web' selects Services labelled app=web but no Service in namespace 'shop' has "
        "those labels (searched 1 Service); closest: Service 'web' (app.kubernetes.io/name=web) at "
        "manifest.yaml:13")]


def test_servicemonitor_matching_the_service_labels_passes():
    assert found(monitor("ServiceMonitor", "{matchLabels: {app.kubernetes.io/name: web}}") + SERVICE) == []


def test_match_expressions_are_honoured():
    exists = "{matchExpressions: [{key: app.kubernetes.io/name, operator: Exists}]}"
    not_in = "{matchExpressions: [{key: app.kubernetes.io/name, operator: NotIn, values: [web]}]}"
    assert found(monitor("ServiceMonitor", exists) + SERVICE) == []
    assert [f[0] for f in found(monitor("ServiceMonitor", not_in) + SERVICE)] == ["servicemonitor-no-service"]


def test_match_names_search_those_namespaces_only():
    text = monitor("ServiceMonitor", "{matchLabels: {app.kubernetes.io/name: web}}",
                   "  namespaceSelector: {matchNames: [payments]}\n") + SERVICE + "---\n" \
        + SERVICE.replace("namespace: shop", "namespace: payments").replace("name: web}", "name: ledger}")
    assert found(text) == [(
        "servicemonitor-no-service", 5, 3,
        "ServiceMonitor 'web' selects Services labelled app.kubernetes.io/name=web but no Service in "
        "namespace 'payments' has those labels (searched 1 Service); closest: Service 'web' "
        "(app.kubernetes.io/name=ledger) at manifest.yaml:24")]


def test_any_namespace_is_judged_with_complete_only():
    text = monitor("ServiceMonitor", "{matchLabels: {app: nothing}}", "  namespaceSelector: {any: true}\n") + SERVICE
    assert found(text) == []
    assert found(text, complete=True) == [(
        "servicemonitor-no-service", 5, 3,
        "ServiceMonitor 'web' selects Services labelled app=nothing but no Service in any namespace has "
        "those labels (searched 1 Service)")]


def test_templated_namespace_names_are_not_judged():
    text = monitor("ServiceMonitor", "{matchLabels: {app: nothing}}",
                   "  namespaceSelector: {matchNames: ['{{ .Release.Namespace }}']}\n") + SERVICE
    assert found(text, complete=True) == []


def test_cluster_services_exist_without_a_manifest():
    text = monitor("ServiceMonitor", "{matchLabels: {k8s-app: kube-dns}}",
                   "  namespaceSelector: {matchNames: [kube-system]}\n")
    assert found(text, complete=True) == []


def test_a_controller_that_may_create_services_makes_them_at_run_time():
    maker = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: operator, namespace: shop}
spec:
  selector: {matchLabels: {app: operator}}
  template:
    metadata: {labels: {app: operator}}
    spec:
      serviceAccountName: operator
      containers: [{name: operator, image: "example/operator:1.2.3"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: make-services, namespace: shop}
rules: [{apiGroups: [""], resources: [services], verbs: [create, get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: operator, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: make-services}
subjects: [{kind: ServiceAccount, name: operator, namespace: shop}]
---
"""
    text = monitor("ServiceMonitor", "{matchLabels: {app: made-at-run-time}}") + maker + SERVICE
    assert found(text) == []
    read_only = text.replace("verbs: [create, get]", "verbs: [get]")
    assert [f[0] for f in found(read_only)] == ["servicemonitor-no-service"]
    cluster_wide = text.replace("kind: Role\n", "kind: ClusterRole\n").replace("kind: RoleBinding", "kind: ClusterRoleBinding") \
        .replace("kind: Role, name", "kind: ClusterRole, name")
    assert "kind: ClusterRoleBinding" in cluster_wide and "kind: ClusterRole, name" in cluster_wide
    assert found(cluster_wide) == []
    elsewhere = cluster_wide.replace("namespace: shop}]", "namespace: ops}]")  # the operator's account is another's
    assert [f[0] for f in found(elsewhere)] == ["servicemonitor-no-service"]


def test_podmonitor_selects_pod_templates():
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27.3"}]
"""
    assert found(monitor("PodMonitor", "{matchLabels: {app: web}}") + deployment) == []
    assert found(monitor("PodMonitor", "{matchLabels: {app: webb}}") + deployment) == [(
        "podmonitor-no-pods", 5, 3,
        "PodMonitor 'web' selects app=webb but no pod template in namespace 'shop' matches (searched 1 pod "
        "template); closest: Deployment 'web' (app=web) at manifest.yaml:14")]


def test_other_groups_monitor_kinds_are_left_alone():
    text = monitor("ServiceMonitor", "{matchLabels: {app: nothing}}").replace(
        "monitoring.coreos.com/v1", "example.com/v1") + SERVICE
    assert found(text, complete=True) == []
