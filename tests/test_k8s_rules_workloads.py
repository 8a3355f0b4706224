"""Per-object Kubernetes rules for probes and workload hygiene, on fixtures with the edge cases
the embedded examples leave out: init containers and native sidecars, CronJob's nested template,
Jobs owned by CronJobs or deleted by hooks, autoscaled workloads, placeholders, wrong types."""

from pathlib import Path

import pytest

from all_rules import lint_text
from kubelint.checks.kubernetes.env_secrets import credential_shape, looks_literal, secret_name

FIXTURES = Path(__file__).parent / "fixtures" / "k8s" / "workloads"


def findings(name: str, rules: list[str]) -> list[tuple]:
    text = (FIXTURES / name).read_text()
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, select=rules)]


def test_probes():
    rules = ["missing-liveness-probe", "missing-readiness-probe", "identical-probes", "probe-port-not-exposed"]
    assert findings("probes.yaml", rules) == [
        # the native sidecar needs probes; the plain init container 'migrate' and the CronJob do not
        ("missing-liveness-probe", 18, 11, "container 'proxy' has no livenessProbe"),
        ("identical-probes", 30, 11,
         "container 'api': livenessProbe runs the same httpGet check as readinessProbe and gives up "
         "no later (15s vs 30s of failures), so a busy container is restarted instead of only taken "
         "out of rotation"),
        ("probe-port-not-exposed", 40, 42,
         "container 'worker': livenessProbe checks port 9001, which the container does not declare"),
        ("probe-port-not-exposed", 43, 31,
         "container 'worker': readinessProbe uses port name 'metrics', which the container does not "
         "declare; the kubelet cannot resolve it and the probe always fails"),
        ("probe-port-not-exposed", 51, 31,
         "container 'cache': readinessProbe checks port 9901, which the container does not declare "
         "(container 'proxy' declares it, so the probe checks that container)"),
        # 'sidekick': same tcpSocket check, but liveness waits 30s against readiness' 15s; and it
        # declares no ports at all, so its numeric probe ports are not judged
    ]


def test_identical_probes_points_at_the_readiness_probe_too():
    text = (FIXTURES / "probes.yaml").read_text()
    [f] = lint_text(text, select=["identical-probes"])
    assert [(r.line, r.message) for r in f.related] == [(33, "the readinessProbe")]


def test_env():
    assert findings("env.yaml", ["duplicate-env-var", "env-secret-literal"]) == [
        ("duplicate-env-var", 13, 18, "container 'setup' sets env var 'MODE' more than once; only the last value takes effect"),
        ("env-secret-literal", 19, 38, "container 'api': env var DB_PASSWORD holds a literal value; its name says it is a secret"),
        ("env-secret-literal", 25, 44, "container 'api': env var AWS_ACCESS_KEY_ID holds an AWS access key id as a literal value"),
        ("env-secret-literal", 26, 36, "container 'api': env var CACHE_URL holds a URL with an inline password as a literal value"),
    ]


@pytest.mark.parametrize("name,expected", [
    ("DB_PASSWORD", True), ("githubToken", True), ("AWS_SECRET_ACCESS_KEY", True), ("API_KEY", True),
    ("client-secret", True), ("PWD", False), ("TOKEN_URL", False), ("SECRET_NAME", False),
    ("PASSWORD_FILE", False), ("CACHE_KEY", False), ("KEY", False), ("", False),
])
def test_secret_names(name, expected):
    assert secret_name(name) is expected


@pytest.mark.parametrize("value,expected", [
    ("hunter2", True), ("", False), ("  ", False), ("$(DB_PASSWORD)", False), ("${TOKEN}", False),
    ("{{ .Values.token }}", False), ("<your token>", False), ("/var/run/secrets/token", False),
    ("True", False), ("vault:secret/data/app#password", False), ("op://vault/item/field", False),
    ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", False),
])
def test_literal_values(value, expected):
    assert looks_literal(value) is expected


@pytest.mark.parametrize("value,shape", [
    ("AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "a private key"),
    ("ghp_" + "a" * 36, "a GitHub token"),
    ("amqp://app:Zx81qPr4@rabbit:5672/", "a URL with an inline password"),
    ("postgres://app:$(DB_PASSWORD)@db/app", None),
    ("https://example.com:8443/path", None),
    ("mongodb://db-0.db:27017,db-1.db:27017/app", None),
])
def test_credential_shapes(value, shape):
    assert credential_shape(value) == shape


def test_batch():
    rules = ["job-ttl", "cronjob-deadline", "cronjob-concurrency", "restart-policy"]
    message = "restartPolicy must be OnFailure or Never for Jobs and CronJobs, and Always (the default) for other workload controllers"
    assert findings("batch.yaml", rules) == [
        ("cronjob-deadline", 7, 1, "CronJob 'report' has no startingDeadlineSeconds"),
        ("cronjob-concurrency", 9, 22, "CronJob 'report' lets a new run start while the previous one is still running (concurrencyPolicy Allow)"),
        # the CronJob's nested pod template has no restartPolicy (the pod default, Always, is rejected)
        ("restart-policy", 13, 9, f"CronJob 'report': {message}"),
        # the CronJob-owned Job and the Argo CD hook Job need no TTL
        ("job-ttl", 54, 1, "Job 'seed' has no ttlSecondsAfterFinished"),
        ("restart-policy", 57, 22, f"Job 'seed': {message}"),
    ]


def test_scaling():
    rules = ["single-replica", "no-anti-affinity", "pdb-blocks-eviction", "pdb-unhealthy-eviction-policy", "hpa-min-replicas",
             "hpa-max-replicas"]
    assert findings("scaling.yaml", rules) == [
        # 'web' sets no replicas, but an HPA owns its replica count: its minimum is reported instead
        ("hpa-min-replicas", 23, 1, "HorizontalPodAutoscaler 'web' lets its target scale down below 2 replicas"),
        ("single-replica", 33, 13, "Deployment 'admin' runs 1 replica(s), fewer than 2"),
        ("no-anti-affinity", 50, 13, "StatefulSet 'db' runs 3 replicas without podAntiAffinity or topologySpreadConstraints"),
        # 'paused' has replicas: 0 on purpose
        ("pdb-blocks-eviction", 85, 19, "PodDisruptionBudget 'db' allows no voluntary disruption (spec.maxUnavailable: 0%)"),
        ("pdb-blocks-eviction", 96, 17,
         "PodDisruptionBudget 'admin' allows no voluntary disruption: minAvailable 1 is not below the 1 pod(s) "
         "of Deployment 'admin'"),
        # the budget for 'web' is not judged against replicas: its HPA decides how many pods run
        ("pdb-unhealthy-eviction-policy", 106, 1, "PodDisruptionBudget 'web' does not set unhealthyPodEvictionPolicy"),
    ]


def test_pdb_names_the_workloads_it_blocks():
    text = (FIXTURES / "scaling.yaml").read_text()
    [f] = [f for f in lint_text(text, select=["pdb-blocks-eviction"]) if f.line == 96]
    assert [(r.line, r.message) for r in f.related] == [(28, "Deployment 'admin'")]


def test_single_replica_without_replicas_points_at_spec():
    text = (FIXTURES / "scaling.yaml").read_text().split("---")[0]
    assert [(f.line, f.column, f.message) for f in lint_text(text, select=["single-replica"])] == [
        (7, 1, "Deployment 'web' sets no replicas, so it runs one")]


def test_network():
    rules = ["ssh-port", "privileged-ports", "invalid-port-name", "invalid-target-port", "nodeport-service",
             "service-external-ips", "default-namespace"]
    iana = "is not a valid IANA service name (at most 15 lowercase letters, digits and single inner hyphens"
    assert findings("network.yaml", rules) == [
        ("default-namespace", 6, 14, "Pod 'gateway' is placed in the 'default' namespace"),
        ("privileged-ports", 12, 39, "container 'gateway' listens on privileged port 80"),
        ("privileged-ports", 13, 38, "container 'gateway' listens on privileged port 22"),
        ("ssh-port", 13, 38, "container 'gateway' exposes port 22, the SSH port"),
        ("invalid-port-name", 14, 18, f"container 'gateway' port name 'prometheus-metrics' {iana}, with at least one letter)"),
        ("invalid-port-name", 15, 18, f"container 'gateway' port name '8443' {iana}, with at least one letter)"),
        # UDP 53 is privileged but not SSH
        ("privileged-ports", 16, 38, "container 'gateway' listens on privileged port 53"),
        ("default-namespace", 22, 14, "Service 'gateway' is placed in the 'default' namespace"),
        ("nodeport-service", 24, 9, "Service 'gateway' is of type NodePort: it opens a port on every node"),
        ("service-external-ips", 25, 17, "Service 'gateway' claims external IP 198.51.100.7"),
        # targetPort 8443 (a number) and "${ADMIN_PORT}" (a placeholder) are not judged
        ("invalid-target-port", 29, 47, f"Service 'gateway' targets port name 'prometheus-metrics', which {iana})"),
    ]


def test_pod_settings():
    rules = ["deprecated-service-account-field", "automount-service-account-token", "pod-priority",
             "apparmor-unconfined", "deprecated-annotations", "invalid-label-value",
             "ingress-tls", "recommended-labels"]
    assert findings("pod-settings.yaml", rules) == [
        ("deprecated-annotations", 18, 13,
         "CronJob 'cleanup' uses the deprecated annotation 'container.apparmor.security.beta.kubernetes.io/cleanup'"),
        ("deprecated-service-account-field", 21, 27,
         "CronJob 'cleanup' sets the deprecated serviceAccount field ('cleaner'); use serviceAccountName"),
        ("automount-service-account-token", 22, 41, "CronJob 'cleanup' sets automountServiceAccountToken: true"),
        ("apparmor-unconfined", 27, 41,
         "CronJob 'cleanup' runs without AppArmor confinement "
         "(spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.appArmorProfile.type: Unconfined)"),
        ("invalid-label-value", 39, 32,
         "DaemonSet 'win-agent' has a label key or value that Kubernetes rejects: '2024.10.01+hotfix' "
         "(metadata.labels.app.kubernetes.io/version)"),
        # the HostProcess container is privileged-container's (Windows' privileged mode)
        ("deprecated-annotations", 65, 5, "Ingress 'shop' uses the deprecated annotation 'kubernetes.io/ingress.class'"),
        ("ingress-tls", 66, 1, "Ingress 'shop' has no tls section: its hosts are served over plain HTTP"),
    ]


def test_invalid_label_key_in_the_pod_template():
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
        Team_: ops
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
"""
    assert [(f.line, f.column, f.message) for f in lint_text(text, select=["invalid-label-value"])] == [
        (12, 9, "Deployment 'web' has a label key or value that Kubernetes rejects: 'Team_' "
                "(spec.template.metadata.labels.Team_)")]


def test_wrong_types_do_not_raise():
    text = (FIXTURES / "garbage.yaml").read_text()
    mine = {"missing-liveness-probe", "missing-readiness-probe", "identical-probes", "probe-port-not-exposed",
            "duplicate-env-var", "env-secret-literal", "single-replica", "invalid-port-name",
            "automount-service-account-token", "pdb-blocks-eviction", "pdb-unhealthy-eviction-policy"}
    found = {(f.rule, f.line) for f in lint_text(text) if f.rule in mine}
    # Only what can be judged: odd2's missing probes, its numeric port name, the string
    # automount value, the PDB whose spec is a list.
    assert found == {
        ("missing-liveness-probe", 23), ("missing-readiness-probe", 23), ("invalid-port-name", 31),
        ("automount-service-account-token", 13), ("pdb-unhealthy-eviction-policy", 37)}


PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          securityContext:
            privileged: true
          ports:
            - containerPort: 22
"""


def test_a_kustomize_patch_is_judged_on_the_values_it_sets_only():
    rules = ["single-replica", "missing-liveness-probe", "automount-service-account-token", "ssh-port",
             "recommended-labels"]
    as_patch = lint_text(PATCH, name="overlays/prod/web-patch.yaml", select=rules)
    assert [(f.rule, f.line, f.column) for f in as_patch] == [("ssh-port", 13, 30)]
    as_object = lint_text(PATCH, name="web.yaml", select=rules)
    assert sorted(f.rule for f in as_object) == [
        "automount-service-account-token", "missing-liveness-probe", "recommended-labels",
        "single-replica", "ssh-port"]


def test_an_autoscaler_exempts_only_the_workload_it_can_see(tmp_path):
    from kubelint.api import lint_paths

    scaling = (FIXTURES / "scaling.yaml").read_text().split("---")
    (tmp_path / "app").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "app" / "web.yaml").write_text(scaling[0].replace("  namespace: shop\n", ""))
    (tmp_path / "other" / "hpa.yaml").write_text(scaling[1].replace("  namespace: shop\n", ""))
    found = lint_paths([str(tmp_path)], select=["single-replica"])
    assert [(f.line, f.message) for f in found] == [(6, "Deployment 'web' sets no replicas, so it runs one")]
    (tmp_path / "other" / "hpa.yaml").rename(tmp_path / "app" / "hpa.yaml")
    assert lint_paths([str(tmp_path)], select=["single-replica"]) == []


SERVICE_ACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
automountServiceAccountToken: {automount}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: web
  containers:
    - name: web
      image: nginx:1.27.3
"""


def test_automount_follows_the_service_account_when_the_pod_is_silent():
    rule = ["automount-service-account-token"]
    assert lint_text(SERVICE_ACCOUNT.format(automount="false"), select=rule) == []
    [f] = lint_text(SERVICE_ACCOUNT.format(automount="true"), select=rule)
    assert (f.line, f.column, f.message) == (
        11, 1, "Pod 'web' does not set automountServiceAccountToken: false (nor does its ServiceAccount 'web')")
    assert [(r.line, r.message) for r in f.related] == [(2, "ServiceAccount 'web'")]


def test_hpa_that_cannot_scale():
    text = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 4
  maxReplicas: 3
"""
    assert [(f.rule, f.line, f.column, f.message) for f in lint_text(text, select=["hpa-max-replicas", "hpa-min-replicas"])] == [
        ("hpa-max-replicas", 8, 16,
         "HorizontalPodAutoscaler 'web' has maxReplicas 3, not above its minReplicas: it can never scale")]
