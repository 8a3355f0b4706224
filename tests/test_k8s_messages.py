"""Messages of the kubernetes, schema and syntax families: each is its rule's YAML template (or a
named variant of it) filled by the check, and reads as before the templates existed.

Each case lints a small file and asserts rule, line:column and the full message; the loader
tests check that a template naming a value its check does not fill is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kubelint.api import lint_text
from kubelint.engine.loader import RuleFileError, load_rule_file
from kubelint.scan import Options

REPO = Path(__file__).resolve().parents[1]


def shown(findings, rule: str) -> list[str]:
    return [f"{f.line}:{f.column} {f.message}" for f in findings if f.rule == rule]


def lint(text: str, rule: str, also=(), **options) -> list[str]:
    return shown(lint_text(text, select=[rule, *also], options=Options(**options)), rule)


def pod(spec: str, name: str = "web", annotations: str = "") -> str:
    meta = f"  annotations:\n{annotations}" if annotations else ""
    return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n{meta}spec:\n{spec}"


# --- kubernetes ----------------------------------------------------------------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {{app: api}}
spec:
  {replicas}selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers:
        - {{name: api, image: "nginx:1.27"}}
"""


def test_single_replica_unset_and_below_the_minimum():
    assert lint(DEPLOYMENT.format(replicas=""), "single-replica") == [
        "6:1 Deployment 'api' sets no replicas, so it runs one"]  # variant unset, at spec
    assert lint(DEPLOYMENT.format(replicas="replicas: 1\n  "), "single-replica") == [
        "7:13 Deployment 'api' runs 1 replica(s), fewer than 2"]


def test_an_object_without_a_name_is_named_as_such():
    text = DEPLOYMENT.format(replicas="").replace("  name: api\n", "")
    assert lint(text, "single-replica") == ["5:1 Deployment '(no name)' sets no replicas, so it runs one"]


PDB = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: api}}
spec:
  {budget}
  selector: {{matchLabels: {{app: api}}}}
"""


def test_pdb_blocks_eviction_variants():
    assert lint(PDB.format(budget="maxUnavailable: 0"), "pdb-blocks-eviction") == [
        "5:19 PodDisruptionBudget 'api' allows no voluntary disruption (spec.maxUnavailable: 0)"]
    assert lint(PDB.format(budget='minAvailable: "100%"'), "pdb-blocks-eviction") == [
        "5:17 PodDisruptionBudget 'api' allows no voluntary disruption (spec.minAvailable: 100%)"]
    text = PDB.format(budget="minAvailable: 2") + "---\n" + DEPLOYMENT.format(replicas="replicas: 2\n  ")
    assert lint(text, "pdb-blocks-eviction") == [
        "5:17 PodDisruptionBudget 'api' allows no voluntary disruption: minAvailable 2 is not below "
        "the 2 pod(s) of Deployment 'api'"]


def test_env_secret_literal_by_shape_and_by_name():
    text = pod("  containers:\n    - name: app\n      image: nginx:1.27\n      env:\n"
               "        - {name: KEY_ID, value: AKIAABCDEFGHIJKLMNOP}\n"
               "        - {name: DB_PASSWORD, value: hunter2}\n")
    assert lint(text, "env-secret-literal") == [
        "10:33 container 'app': env var KEY_ID holds an AWS access key id as a literal value",
        "11:38 container 'app': env var DB_PASSWORD holds a literal value; its name says it is a secret"]


def test_extended_resource_limits_missing_and_unequal():
    text = pod("  containers:\n    - name: gpu\n      image: nginx:1.27\n      resources:\n"
               "        requests: {nvidia.com/gpu: 1, hugepages-2Mi: 1Gi}\n"
               "        limits: {hugepages-2Mi: 2Gi}\n")
    assert lint(text, "extended-resource-limits") == [
        "10:36 container 'gpu' requests 1 nvidia.com/gpu but sets no limit for it; nvidia.com/gpu cannot "
        "be overcommitted, so the limit is required (requests default to it)",
        "10:54 container 'gpu' requests 1Gi hugepages-2Mi but limits it to 2Gi; for hugepages-2Mi the "
        "request must equal the limit"]


def test_identical_probes():
    text = pod("  containers:\n    - name: app\n      image: nginx:1.27\n"
               "      livenessProbe: {httpGet: {path: /h, port: 80}}\n"
               "      readinessProbe: {httpGet: {path: /h, port: 80}, periodSeconds: 20}\n")
    assert lint(text, "identical-probes") == [
        "9:7 container 'app': livenessProbe runs the same httpGet check as readinessProbe and gives up no "
        "later (30s vs 60s of failures), so a busy container is restarted instead of only taken out of "
        "rotation"]


def test_probe_port_not_exposed_variants():
    text = pod("  containers:\n    - name: app\n      image: nginx:1.27\n"
               "      ports: [{containerPort: 80, name: http}]\n"
               "      livenessProbe: {httpGet: {path: /h, port: metrics}}\n"
               "      readinessProbe: {tcpSocket: {port: 9090}}\n"
               "      startupProbe: {tcpSocket: {port: 8080}}\n"
               "    - name: side\n      image: nginx:1.27\n      ports: [{containerPort: 8080}]\n")
    assert lint(text, "probe-port-not-exposed") == [
        "10:49 container 'app': livenessProbe uses port name 'metrics', which the container does not "
        "declare; the kubelet cannot resolve it and the probe always fails",
        "11:42 container 'app': readinessProbe checks port 9090, which the container does not declare",
        "12:40 container 'app': startupProbe checks port 8080, which the container does not declare "
        "(container 'side' declares it, so the probe checks that container)"]


def test_seccomp_profile_variants():
    two = ("  securityContext: {seccompProfile: {type: Unconfined}}\n  containers:\n"
           "    - {name: a, image: 'nginx:1.27'}\n    - {name: b, image: 'nginx:1.27'}\n")
    assert lint(pod(two), "seccomp-profile") == [
        "6:44 containers 'a', 'b' inherit seccomp profile Unconfined from the pod; use one of "
        "RuntimeDefault, Localhost"]
    own = ("  containers:\n    - name: a\n      image: nginx:1.27\n"
           "      securityContext: {seccompProfile: {type: Unconfined}}\n")
    assert lint(pod(own), "seccomp-profile") == [
        "9:48 container 'a' sets seccomp profile Unconfined; use one of RuntimeDefault, Localhost"]
    annotated = pod("  containers:\n    - {name: a, image: 'nginx:1.27'}\n",
                    annotations="    seccomp.security.alpha.kubernetes.io/pod: unconfined\n")
    assert lint(annotated, "seccomp-profile") == [
        "6:47 container 'a' inherits seccomp profile 'unconfined' from the annotation "
        "seccomp.security.alpha.kubernetes.io/pod"]


def test_automount_service_account_token_variants():
    assert lint(pod("  automountServiceAccountToken: true\n  containers: [{name: a, image: 'nginx:1.27'}]\n"),
                "automount-service-account-token") == [
        "6:33 Pod 'web' sets automountServiceAccountToken: true"]
    account = ("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n---\n"
               + pod("  serviceAccountName: robot\n  containers: [{name: a, image: 'nginx:1.27'}]\n"))
    assert lint(account, "automount-service-account-token") == [
        "9:1 Pod 'web' does not set automountServiceAccountToken: false (nor does its ServiceAccount "
        "'robot')"]


# --- schema --------------------------------------------------------------------------------------

def test_unknown_field_variants():
    text = pod("  containers:\n    - name: a\n      image: nginx:1.27\n      imagePullPolicyy: Always\n"
               "      resources: {limits: {cpu: 1}, bogus: {}}\n")
    assert lint(text, "unknown-field") == [
        "9:7 unknown field spec.containers[0].imagePullPolicyy (did you mean 'imagePullPolicy'?)",
        "10:37 unknown field spec.containers[0].resources.bogus (allowed: claims, limits, requests)"]


def test_schema_invalid_variants():
    text = pod("  volumes: [{name: v, configMap: {name: c, defaultMode: 644}}]\n"
               "  restartPolicy: always\n  containers:\n    - name: a\n      image: nginx:1.27\n"
               "      tty: 'true'\n    - image: nginx:1.27\n")
    assert lint(text, "schema-invalid") == [
        "6:57 spec.volumes[0].configMap.defaultMode: 644 is not a valid file mode (0 to 0777, i.e. 511); "
        "YAML reads 644 as a decimal number: write 0644 for the octal mode",
        "7:18 spec.restartPolicy: 'always' is not one of 'Always', 'OnFailure', 'Never' (did you mean "
        "'Always'?)",
        "11:12 spec.containers[0].tty: expected boolean, got string 'true'; remove the quotes: true",
        "12:7 missing required field spec.containers[1].name"]


def test_invalid_quantity_names_and_labels():
    text = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\n  labels:\n"
            f"    tier: {'x' * 70}\nspec:\n  ports: [{{port: 80}}]\n"
            "---\n" + pod("  containers:\n    - name: a\n      image: nginx:1.27\n"
                          "      resources: {requests: {memory: 2 Gi}}\n"))
    assert lint(text, "invalid-quantity") == [
        "4:9 metadata.name: '1web' is not a valid Service name: a DNS-1035 label has at most 63 "
        "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
        f"6:11 metadata.labels.tier: label value '{'x' * 40}...' is 70 characters long; the limit is 63",
        "18:38 spec.containers[0].resources.requests.memory: '2 Gi' is not a valid Kubernetes quantity; "
        "no spaces inside a quantity: 2Gi"]


def test_removed_and_deprecated_apis():
    text = DEPLOYMENT.format(replicas="").replace("apps/v1", "extensions/v1beta1")
    assert lint(text, "removed-api", kubernetes_version="1.16") == [
        "1:13 extensions/v1beta1 Deployment was removed in Kubernetes 1.16 (target 1.16); use apps/v1"]
    status = "apiVersion: v1\nkind: ComponentStatus\nmetadata: {name: cs}\n"
    assert lint(status, "deprecated-api") == [
        "1:13 v1 ComponentStatus is deprecated since Kubernetes 1.19; ComponentStatus is deprecated with "
        "no replacement"]


def test_unknown_kind_variants():
    assert lint("apiVersion: v1\nkind: Deployment\nmetadata: {name: d}\n", "unknown-kind") == [
        "1:13 v1 has no kind Deployment; Deployment is served as apps/v1"]
    assert lint("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: d}\n", "unknown-kind") == [
        "2:7 apps/v1 has no kind Deploymnet (did you mean Deployment?)"]
    assert lint("apiVersion: resource.k8s.io/v1alpha1\nkind: ResourceClass\nmetadata: {name: r}\n",
                "unknown-kind", kubernetes_version="1.30") == [
        "1:13 resource.k8s.io/v1alpha1 ResourceClass is not served by Kubernetes 1.30; it exists in 1.26"]


# --- syntax --------------------------------------------------------------------------------------

def test_yaml_syntax_variants():
    assert lint("a: b: c\n", "yaml-syntax") == ["1:5 YAML syntax error: mapping values are not allowed in this context"]
    assert lint("a: {b: 1,\n  c: 2\n\nd: [\n", "yaml-syntax") == [
        "4:2 YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping started at line 1)"]
    assert lint("a:\n\t- b\n", "yaml-syntax") == [
        "2:1 YAML syntax error: found character that cannot start any token (while scanning for the next token)"]


def test_dockerfile_syntax_variants():
    def docker(text: str) -> list[str]:
        return shown(lint_text(text, "dockerfile", select=["dockerfile-syntax"]), "dockerfile-syntax")

    assert docker("FROM alpine:3.22\nECHO hi\n") == ["2:1 unknown instruction 'ECHO'"]
    assert docker("FROM alpine:3.22\nENV ONLYKEY\n") == ["2:5 ENV ONLYKEY has no value: write ENV ONLYKEY=value"]
    assert docker("# escape=x\nFROM alpine:3.22\n") == ["1:1 invalid escape character 'x': use \\ or `"]


def test_unused_suppression_variants():
    text = ("# kubelint: ignore\n# kubelint: ignore=not-a-rule,latest-tag\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert lint(text, "unused-suppression", also=["latest-tag"]) == [
        "1:1 comment kubelint: ignore names no rules: write ignore=RULE[,RULE...]",
        "2:1 comment kubelint: ignore: 'latest-tag' suppressed nothing; remove it",
        "2:1 comment kubelint: ignore: 'not-a-rule' is not a rule, category or peer id"]


# --- the loader refuses a template its check does not fill ---------------------------------------

@pytest.mark.parametrize("family,rule,old,new", [
    ("kubernetes", "single-replica", "fewer than {minimum}", "fewer than {minimun}"),
    ("schema", "unknown-field", "did you mean '{suggestion}'", "did you mean '{guess}'"),
    ("core", "yaml-syntax", "({context})", "({contxt})"),
])
def test_loader_rejects_an_unfilled_placeholder(tmp_path, family, rule, old, new):
    original = REPO / "rules" / family / f"{rule}.yaml"
    copy = tmp_path / original.name
    shutil.copy(original, copy)
    load_rule_file(copy, builtin=True, validate=True)  # the copy as it is loads
    text = copy.read_text()
    assert text.count(old) == 1
    copy.write_text(text.replace(old, new))
    line = next(i for i, row in enumerate(text.splitlines(), 1) if old in row)
    with pytest.raises(RuleFileError) as err:
        load_rule_file(copy, builtin=True, validate=True)
    placeholder = new[new.index("{"):new.index("}") + 1]
    assert str(err.value).startswith(f"{copy}:{line}:")
    assert f"message placeholder '{placeholder}' is not filled by this rule" in str(err.value)
