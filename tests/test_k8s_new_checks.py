"""Checks added for issue 12's list of what users expect: ConfigMap credentials, runAsGroup 0,
deprecated node labels, CronJob TTL. Each asserts rule, line, column and text."""

from kubelint.api import lint_text


def found(text: str, rule: str) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, select=[rule])]


def test_configmap_credentials_by_key_and_by_shape():
    text = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data:
  apiKey: abcdef0123456789
  token.conf: |
    # a file whose name has a secret word: judged by its content only
    mode = strict
  settings.ini: |
    [db]
    url = postgres://app:hunter22@db:5432/app
  TOKEN_URL: https://auth.example.com/token
  password: ""
"""
    assert found(text, "configmap-credentials") == [
        ("configmap-credentials", 5, 11, "ConfigMap 'app': key 'apiKey' holds a literal value; its name says it is a secret"),
        ("configmap-credentials", 9, 17, "ConfigMap 'app': key 'settings.ini' holds a URL with an inline password"),
    ]


def test_run_as_group_root_inherited_and_overridden():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsUser: 1000, runAsGroup: 0}
  containers:
    - name: inherits
      image: app:1
    - name: overrides
      image: app:1
      securityContext: {runAsGroup: 2000}
    - name: own
      image: app:1
      securityContext: {runAsGroup: 0}
"""
    assert found(text, "run-as-group-root") == [
        ("run-as-group-root", 5, 50, "container 'inherits' runs with group ID 0 (runAsGroup: 0)"),
        ("run-as-group-root", 14, 37, "container 'own' runs with group ID 0 (runAsGroup: 0)"),
    ]


def test_deprecated_node_labels_in_affinity_and_spread():
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - {key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [a]}
      containers: [{name: db, image: "db:1"}]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  topologySpreadConstraints:
    - {maxSkew: 1, topologyKey: beta.kubernetes.io/instance-type, whenUnsatisfiable: DoNotSchedule}
  nodeSelector: {kubernetes.io/os: linux}
  containers: [{name: c, image: "c:1"}]
"""
    assert found(text, "deprecated-node-labels") == [
        ("deprecated-node-labels", 15, 27,
         "StatefulSet 'db' uses the deprecated node label 'failure-domain.beta.kubernetes.io/zone' in node affinity; "
         "use 'topology.kubernetes.io/zone'"),
        ("deprecated-node-labels", 23, 33,
         "Pod 'p' uses the deprecated node label 'beta.kubernetes.io/instance-type' in topologySpreadConstraints; "
         "use 'node.kubernetes.io/instance-type'"),
    ]


def test_cronjob_ttl_points_at_the_job_template():
    text = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: r, image: "r:1"}]
"""
    assert found(text, "cronjob-ttl") == [
        ("cronjob-ttl", 7, 5, "CronJob 'report' creates Jobs without ttlSecondsAfterFinished")]
