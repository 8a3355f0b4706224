"""Selectors across objects, on the shop fixture app (namespaces shop and payments): the broken
wiring gives exactly these findings, at these places, naming these objects; the fixed one none."""

from all_rules import lint_paths

from kubelint.engine.loader import load_rules
from kubelint.scan import Options

CROSS = {r.id for r in load_rules().values() if r.category == "cross-object"}
APP = "tests/fixtures/cross/selectors"


def cross_findings(path, **options):
    return [f for f in lint_paths([path], options=Options(**options)) if f.rule in CROSS]


def places(findings):
    return [(f.file.rsplit("/", 1)[-1], f.line, f.column, f.rule) for f in findings]


def by_rule(findings, rule):
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, found
    return found[0]


def test_broken_shop_places():
    assert places(cross_findings(f"{APP}/broken")) == [
        ("api.yaml", 7, 3, "selector-mismatch"),
        ("api.yaml", 34, 19, "service-target-port"),
        ("ingress.yaml", 24, 27, "ingress-no-service"),
        ("ingress.yaml", 29, 23, "ingress-no-service"),
        ("ledger.yaml", 8, 16, "statefulset-service"),
        ("ledger.yaml", 10, 3, "overlapping-selectors"),
        ("ledger.yaml", 42, 3, "overlapping-selectors"),
        ("policies.yaml", 23, 11, "hpa-no-target"),
        ("policies.yaml", 34, 3, "pdb-no-pods"),
        ("policies.yaml", 44, 3, "networkpolicy-no-pods"),
        ("web.yaml", 8, 13, "hpa-with-replicas"),
        ("web.yaml", 31, 3, "service-no-pods"),
    ]


def test_fixed_shop_is_clean():
    assert cross_findings(f"{APP}/fixed") == []
    assert cross_findings(f"{APP}/fixed", complete=True) == []


def test_messages_name_the_related_objects():
    findings = cross_findings(f"{APP}/broken")
    web = f"{APP}/broken/web.yaml"
    api = f"{APP}/broken/api.yaml"
    f = by_rule(findings, "service-no-pods")
    assert f.message == (
        f"Service 'web' selects app=webb but no pod template in namespace 'shop' matches (searched 2 pod "
        f"templates); closest: Deployment 'web' (app=web, tier=frontend) at {web}:14; "
        f"Deployment 'api' (app=api) at {api}:13")
    assert [(r.file, r.line) for r in f.related] == [(web, 14), (api, 13)]
    assert f.severity == "warning"

    f = by_rule(findings, "selector-mismatch")
    assert f.message == (f"Deployment 'api' selector app=api, track=stable does not match its pod "
                         f"template labels app=api ({api}:14)")
    assert f.severity == "error"

    f = by_rule(findings, "service-target-port")
    assert f.message == (f"Service 'api' targets port name 'grpc', which no container of the selected pods "
                         f"declares (Deployment 'api' at {api}:13; declared names: http)")

    f = by_rule(findings, "hpa-no-target")
    assert f.message == (f"HorizontalPodAutoscaler 'api' scales Deployment 'apii', which was not found "
                         f"(searched 2 Deployments in namespace 'shop': api, web); did you mean 'api' ({api}:4)?")
    assert [(r.file, r.line) for r in f.related] == [(api, 4)]

    f = by_rule(findings, "hpa-with-replicas")
    assert f.severity == "info"
    assert f.message == (f"Deployment 'web' sets replicas: 3 while HorizontalPodAutoscaler 'web' "
                         f"({APP}/broken/policies.yaml:8) scales it; each apply resets the replica count")

    f = by_rule(findings, "statefulset-service")
    assert f.message == (f"StatefulSet 'ledger' names serviceName 'ledger', but that Service "
                         f"({APP}/broken/ledger.yaml:28) is not headless (clusterIP: None)")

    # Both selectors (app=ledger) match the other's pods: each workload is reported, naming the other.
    sts, reports = [f for f in findings if f.rule == "overlapping-selectors"]
    assert sts.message == (
        f"StatefulSet 'ledger' selector app=ledger also matches the pods of Deployment 'ledger-reports' "
        f"({APP}/broken/ledger.yaml:43) in namespace 'payments': both controllers adopt the same pods")
    assert reports.message == (
        f"Deployment 'ledger-reports' selector app=ledger also matches the pods of StatefulSet 'ledger' "
        f"({APP}/broken/ledger.yaml:11) in namespace 'payments': both controllers adopt the same pods")
    assert [(r.file, r.line) for r in reports.related] == [(f"{APP}/broken/ledger.yaml", 11)]

    f = by_rule(findings, "networkpolicy-no-pods")
    assert f.severity == "info" and "selects app=api-server" in f.message

    ingress = [f for f in findings if f.rule == "ingress-no-service"]
    assert ingress[0].message == (f"Ingress 'shop' routes to port 9000 of Service 'api', which offers only "
                                  f"80 (http) ({api}:32)")
    assert ingress[1].message == ("Ingress 'shop' routes to Service 'admin', which was not found "
                                  "(searched 2 Services in namespace 'shop': api, web)")


def test_missing_targets_need_that_kind_in_the_namespace():
    from kubelint.api import lint_text
    lone = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
"""
    assert [f.rule for f in lint_text(lone) if f.rule in CROSS] == []
    found = [f for f in lint_text(lone, options=Options(complete=True)) if f.rule in CROSS]
    assert [(f.rule, f.line, f.column) for f in found] == [("ingress-no-service", 6, 21)]
    assert found[0].message == ("Ingress 'web' routes to Service 'web', which was not found "
                                "(searched 0 Services in namespace 'shop' (--complete))")


def test_controller_labels_and_operator_pods_count():
    from kubelint.api import lint_text
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis, namespace: cache}
spec:
  serviceName: redis
  replicas: 2
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers: [{name: redis, image: "redis:7.4"}]
---
apiVersion: v1
kind: Service
metadata: {name: redis-1, namespace: cache}
spec:
  selector: {statefulset.kubernetes.io/pod-name: redis-1}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: cache}
spec:
  clusterIP: None
  selector: {app: redis}
  ports: [{port: 6379}]
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: cache}
spec: {replicas: 2}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus, namespace: cache}
spec:
  selector: {prometheus: k8s}
  ports: [{port: 9090}]
---
apiVersion: v1
kind: Service
metadata: {name: redis-5, namespace: cache}
spec:
  selector: {statefulset.kubernetes.io/pod-name: redis-5}
  ports: [{port: 6379}]
"""
    found = [(f.rule, f.line) for f in lint_text(text) if f.rule in CROSS]
    assert found == [("service-no-pods", 44)]  # redis-5: the StatefulSet has two replicas


def test_bad_input_never_raises():
    from kubelint.api import lint_text
    text = """\
apiVersion: v1
kind: Service
metadata: {name: s}
spec: {selector: [a, b], ports: "80"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: [x], matchExpressions: {key: a}}
  template: {metadata: {labels: null}, spec: {containers: [null, {name: c, ports: [null, {containerPort: "x"}]}]}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec: {scaleTargetRef: [1]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec: {rules: [null, {http: {paths: [{backend: {service: {name: 5, port: []}}}]}}], defaultBackend: x}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: p}
spec: {selector: {matchExpressions: [{key: a, operator: Bogus}]}}
"""
    lint_text(text)
    lint_text(text, options=Options(complete=True))


def test_workloads_selecting_by_expressions_only_overlap():
    # A selector with matchExpressions and no matchLabels keyed its shared lookup by an empty,
    # unhashable dict: cross-selectors failed with an internal error (found by tests/test_fuzz.py).
    from kubelint.api import lint_text
    workload = """\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: {name}
spec:
  selector:
    matchExpressions:
      - {{key: tier, operator: In, values: [db, cache]}}
  template:
    metadata:
      labels: {{tier: db}}
    spec:
      containers:
        - name: db
          image: postgres:16
"""
    text = workload.format(kind="Deployment", name="a") + "---\n" + workload.format(kind="Deployment", name="b")
    found = [(f.rule, f.line, f.column, f.message) for f in lint_text(text)
             if f.rule in ("internal-error", "overlapping-selectors")]
    assert [f[:3] for f in found] == [("overlapping-selectors", 6, 3), ("overlapping-selectors", 22, 3)]
    assert "Deployment 'b'" in found[0][3] and "Deployment 'a'" in found[1][3]
