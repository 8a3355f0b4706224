"""Schema validation of built-in kinds: unknown fields, wrong types, enums, required fields,
YAML 1.1 traps, quantities, names and labels, at exact lines and columns."""

from schema_helpers import FIXTURES, lint, lint_files, show


def fixture(name: str):
    return lint_files({name: (FIXTURES / name).read_text()})


def test_deployment_mistakes_are_all_reported_at_their_values():
    assert show(fixture("deployment-mistakes.yaml")) == [
        "9:13 schema-invalid spec.replicas: expected integer, got string '3'; remove the quotes: 3",
        "14:11 schema-invalid spec.strategy.type: 'Rollingupdate' is not one of 'Recreate', 'RollingUpdate' "
        "(did you mean 'RollingUpdate'?)",
        "23:11 unknown-field unknown field spec.template.spec.containers[0].imagePullpolicy "
        "(did you mean 'imagePullPolicy'?)",
        "25:30 schema-invalid spec.template.spec.containers[0].ports[0].containerPort: expected integer, "
        "got string '8080'; remove the quotes: 8080",
        "28:22 schema-invalid spec.template.spec.containers[0].env[0].value: expected string, got boolean true; "
        "YAML 1.1 (which Kubernetes uses) reads unquoted yes as the boolean true; quote it: \"yes\"",
        "31:23 invalid-quantity spec.template.spec.containers[0].resources.limits.memory: '1Gb' is not a valid "
        "Kubernetes quantity; did you mean 1G or 1Gi? (Ki/Mi/Gi are powers of 1024, k/M/G of 1000)",
        "32:20 invalid-quantity spec.template.spec.containers[0].resources.limits.cpu: '1.5 cores' is not a valid "
        "Kubernetes quantity; CPU is counted in cores without a unit: write 1.5 (or 1500m)",
        "40:26 schema-invalid spec.template.spec.volumes[0].configMap.defaultMode: 644 is not a valid file mode "
        "(0 to 0777, i.e. 511); YAML reads 644 as a decimal number: write 0644 for the octal mode",
        "47:3 unknown-field unknown field spec.clusterIp (did you mean 'clusterIP'?)",
        "48:9 schema-invalid spec.type: 'Loadbalancer' is not one of 'ClusterIP', 'NodePort', 'LoadBalancer', "
        "'ExternalName' (did you mean 'LoadBalancer'?)",
    ]


def test_findings_carry_rule_severity_path_and_object():
    findings = fixture("deployment-mistakes.yaml")
    unknown = [f for f in findings if f.rule == "unknown-field"][0]
    assert unknown.severity == "error"
    assert unknown.path == "spec.template.spec.containers[0].imagePullpolicy"
    assert (unknown.line, unknown.column, unknown.end_column) == (23, 11, 26)
    assert unknown.object.kind == "Deployment" and unknown.object.name == "web"


def test_yaml11_hints_in_configmap_data():
    assert show(fixture("configmap-yaml11.yaml")) == [
        '6:20 schema-invalid data.MAX_CONNECTIONS: expected string, got integer 100; '
        'ConfigMap data values must be strings; quote it: "100"',
        '7:10 schema-invalid data.DEBUG: expected string, got boolean true; '
        'YAML 1.1 (which Kubernetes uses) reads unquoted on as the boolean true; quote it: "on"',
        '9:14 schema-invalid data.FILE_MODE: expected string, got integer 493; '
        'YAML 1.1 reads 0755 as the octal number 493; quote it: "0755"',
        '10:10 schema-invalid data.RATIO: expected string, got number 0.5; '
        'ConfigMap data values must be strings; quote it: "0.5"',
    ]


def test_names_labels_and_storage_quantities():
    assert show(fixture("names-labels.yaml")) == [
        "4:9 invalid-quantity metadata.name: '1st-service' is not a valid Service name: a DNS-1035 label has at "
        "most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
        "6:29 invalid-quantity metadata.labels.app.kubernetes.io/name: label value 'web server' must be at most "
        "63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)",
        "7:5 invalid-quantity metadata.labels: label key 'Example.com/tier': the prefix before '/' must be a "
        "DNS-1123 subdomain (lowercase letters, digits, '-' and '.')",
        "17:9 invalid-quantity metadata.name: 'team.alpha' is not a valid Namespace name: a DNS-1123 label has "
        "at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
        "33:16 invalid-quantity spec.resources.requests.storage: '10GB' is not a valid Kubernetes quantity; "
        "did you mean 10G or 10Gi? (Ki/Mi/Gi are powers of 1024, k/M/G of 1000)",
    ]


def test_missing_required_fields_point_at_the_mapping_that_lacks_them():
    assert show(fixture("missing-required.yaml")) == [
        "5:1 schema-invalid missing required field spec.selector",
        "12:11 schema-invalid missing required field spec.template.spec.containers[0].name",
    ]


def test_valid_objects_produce_nothing():
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, "example.com/team": a-team}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 8080, protocol: TCP}]
          env: [{name: A, value: "yes"}, {name: B}]
          resources:
            requests: {cpu: 250m, memory: 64Mi}
            limits: {cpu: 1, memory: 1e9}
          livenessProbe: {httpGet: {path: /, port: http}}
      volumes:
        - name: c
          configMap: {name: c, defaultMode: 0644}
      nodeSelector: null
"""
    assert show(lint(text)) == []


def test_strict_off_reports_no_unknown_fields():
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  clusterIp: None\n"
    assert show(lint(text, strict=False)) == []
    assert show(lint(text)) == ["6:3 unknown-field unknown field spec.clusterIp (did you mean 'clusterIP'?)"]


def test_disabled_rules_produce_nothing():
    findings = fixture("deployment-mistakes.yaml")
    assert {f.rule for f in findings} == {"schema-invalid", "unknown-field", "invalid-quantity"}
    only_quantities = lint_files({"d.yaml": (FIXTURES / "deployment-mistakes.yaml").read_text()},
                                 only={"invalid-quantity"})
    assert {f.rule for f in only_quantities} == {"invalid-quantity"}


def test_list_items_are_validated_with_their_own_positions():
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
    data:
      PORT: 8080
"""
    assert show(lint(text)) == [
        '9:13 schema-invalid data.PORT: expected string, got integer 8080; '
        'ConfigMap data values must be strings; quote it: "8080"']


def test_templated_values_are_not_judged():
    text = """\
apiVersion: v1
kind: Service
metadata:
  name: ${NAME}
spec:
  ports:
    - port: ${PORT}
"""
    assert show(lint(text)) == []


def test_bad_input_never_raises():
    for text in ("apiVersion: v1\nkind: Pod\nspec: [1, 2]\n",
                 "apiVersion: v1\nkind: Pod\nmetadata: 3\nspec:\n  containers: {a: 1}\n",
                 "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: [a]\n",
                 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, labels: [a]}\n"):
        assert all(f.rule in {"schema-invalid", "unknown-field"} for f in lint(text))
    assert show(lint("apiVersion: v1\nkind: Pod\nspec: [1, 2]\n")) == [
        "3:7 schema-invalid spec: expected object, got array"]


def test_quoted_booleans_and_null_fields():
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostNetwork: "true"
  nodeSelector:
  containers:
    - name: c
      image: busybox:1.36
      securityContext:
        privileged: "false"
        capabilities:
"""
    assert show(lint(text)) == [
        "6:16 schema-invalid spec.hostNetwork: expected boolean, got string 'true'; remove the quotes: true",
        "12:21 schema-invalid spec.containers[0].securityContext.privileged: expected boolean, got string "
        "'false'; remove the quotes: false",
    ]


def test_a_boolean_quantity_is_one_type_error_not_two():
    text = """\
apiVersion: v1
kind: ResourceQuota
metadata:
  name: q
spec:
  hard:
    pods: yes
    requests.cpu: "2"
"""
    assert show(lint(text)) == ["7:11 schema-invalid spec.hard.pods: expected string or number, got boolean true"]
