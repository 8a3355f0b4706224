"""Pod and workload checks of kube-linter, kube-score, Polaris and checkov that kubelint had no
rule for (issue 12): spread constraints, writable host mounts, default capabilities, fail-open
webhooks, ExternalName Services, long-lived projected tokens, startup probes, PDBs without a
policy, digests, deletecollection. Each asserts rule, line, column and text."""

from kubelint.api import lint_text


def found(text: str, rule: str) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, select=[rule])]


def test_topology_spread_reports_each_unusable_constraint_at_its_field():
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      topologySpreadConstraints:
        - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: Sometimes, labelSelector: {matchLabels: {app: web}}}
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2, labelSelector: {matchLabels: {app: web}}}
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: api}}
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchExpressions: [{key: pod-template-hash, operator: Exists}], matchLabels: {app: web}}}
      containers: [{name: web, image: "web:1"}]
"""
    assert found(text, "invalid-topology-spread") == [
        ("invalid-topology-spread", 10, 21,
         "Deployment 'web': topologySpreadConstraints[0] has maxSkew 0; it must be 1 or more"),
        ("invalid-topology-spread", 11, 62,
         "Deployment 'web': topologySpreadConstraints[1] has whenUnsatisfiable 'Sometimes'; "
         "it must be DoNotSchedule or ScheduleAnyway"),
        ("invalid-topology-spread", 12, 90,
         "Deployment 'web': topologySpreadConstraints[2] sets minDomains with whenUnsatisfiable ScheduleAnyway; "
         "minDomains is allowed only with DoNotSchedule"),
        ("invalid-topology-spread", 13, 11,
         "Deployment 'web': topologySpreadConstraints[3] has no labelSelector, so it counts no pods and spreads nothing"),
        ("invalid-topology-spread", 17, 11,
         "Deployment 'web': topologySpreadConstraints[4] selects app=api, which does not match the pod's own labels; "
         "it spreads these pods relative to other pods"),
    ]


def test_topology_spread_leaves_patches_and_unset_constraints_alone():
    patch = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
"""
    plain = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: "c:1"}]
"""
    assert found(patch, "invalid-topology-spread") == []
    assert found(plain, "invalid-topology-spread") == []


def test_writable_host_mount_per_mount_not_for_sockets_or_read_only():
    text = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      initContainers:
        - name: setup
          image: "agent:1"
          volumeMounts: [{name: logs, mountPath: /logs, readOnly: false}]
      containers:
        - name: agent
          image: "agent:1"
          volumeMounts:
            - {name: logs, mountPath: /logs}
            - {name: etc, mountPath: /host/etc, readOnly: true}
            - {name: sock, mountPath: /var/run/docker.sock}
            - {name: scratch, mountPath: /tmp}
      volumes:
        - {name: logs, hostPath: {path: /var/log}}
        - {name: etc, hostPath: {path: /etc}}
        - {name: sock, hostPath: {path: /var/run/docker.sock}}
        - {name: scratch, emptyDir: {}}
"""
    assert found(text, "writable-host-mount") == [
        ("writable-host-mount", 12, 67,
         "container 'setup' mounts the node's /var/log (hostPath volume 'logs') writable at /logs; "
         "set readOnly: true on the volumeMount"),
        ("writable-host-mount", 17, 15,
         "container 'agent' mounts the node's /var/log (hostPath volume 'logs') writable at /logs; "
         "set readOnly: true on the volumeMount"),
    ]


def test_capabilities_not_dropped_lists_what_is_kept():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: none
      image: "c:1"
    - name: some
      image: "c:1"
      securityContext:
        capabilities:
          drop: [net_raw, CAP_CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_ADMIN, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
    - name: all
      image: "c:1"
      securityContext: {capabilities: {drop: [All], add: [NET_BIND_SERVICE]}}
    - name: priv
      image: "c:1"
      securityContext: {privileged: true}
"""
    assert found(text, "capabilities-not-dropped") == [
        ("capabilities-not-dropped", 6, 7,
         "container 'none' drops none of the default capabilities; add ALL to securityContext.capabilities.drop"),
        ("capabilities-not-dropped", 12, 18,
         "container 'some' keeps the capabilities AUDIT_WRITE, NET_BIND_SERVICE; "
         "add ALL to securityContext.capabilities.drop"),
    ]


def test_capabilities_not_dropped_skips_windows_pods():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  os: {name: windows}
  containers: [{name: c, image: "c:1"}]
"""
    assert found(text, "capabilities-not-dropped") == []


def test_webhook_fails_open_explicit_and_v1beta1_default():
    text = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy}
webhooks:
  - name: a.example.com
    failurePolicy: Fail
  - name: b.example.com
    failurePolicy: Ignore
  - name: c.example.com
---
apiVersion: admissionregistration.k8s.io/v1beta1
kind: MutatingWebhookConfiguration
metadata: {name: old}
webhooks:
  - name: d.example.com
"""
    assert found(text, "webhook-fails-open") == [
        ("webhook-fails-open", 8, 20,
         "ValidatingWebhookConfiguration 'policy' fails open at webhooks[1].failurePolicy (failurePolicy Ignore): "
         "requests are admitted unchecked while the webhook is unreachable"),
        ("webhook-fails-open", 15, 5,
         "MutatingWebhookConfiguration 'old' fails open at webhooks[0] (failurePolicy Ignore): "
         "requests are admitted unchecked while the webhook is unreachable"),
    ]


def test_externalname_service():
    text = """\
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  type: ExternalName
  externalName: db.example.com
"""
    assert found(text, "externalname-service") == [
        ("externalname-service", 6, 17,
         "Service 'db' is an ExternalName alias for db.example.com: clients that call it reach whatever that name "
         "resolves to")]


def test_long_lived_projected_token_in_a_cronjob():
    text = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: sync}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: "c:1"}]
          volumes:
            - name: token
              projected:
                sources:
                  - serviceAccountToken: {path: t, expirationSeconds: 86400}
                  - serviceAccountToken: {path: u, expirationSeconds: 604800}
"""
    assert found(text, "long-lived-projected-token") == [
        ("long-lived-projected-token", 17, 71,
         "CronJob 'sync' projects a service account token valid for 604800 seconds (more than 86400)")]


def test_missing_startup_probe_app_containers_of_long_running_kinds():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers: [{name: init, image: "c:1"}]
  containers:
    - {name: slow, image: "c:1"}
    - name: ok
      image: "c:1"
      startupProbe: {tcpSocket: {port: 80}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: once, image: "c:1"}]
"""
    assert found(text, "missing-startup-probe") == [
        ("missing-startup-probe", 7, 7, "container 'slow' has no startupProbe")]


def test_pdb_no_policy_but_not_on_a_patch():
    text = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: db}}
"""
    assert found(text, "pdb-no-policy") == [
        ("pdb-no-policy", 4, 1, "PodDisruptionBudget 'web' sets neither minAvailable nor maxUnavailable, so it protects nothing")]


def test_image_digest_skips_pinned_and_placeholders():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - {name: tag, image: "nginx:1.27.3"}
    - {name: both, image: "nginx:1.27.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
    - {name: env, image: "${IMAGE}"}
    - {name: doc, image: "<YOUR_IMAGE>"}
    - {name: project, image: "REGION-docker.pkg.dev/PROJECT_ID/repo/app:v1"}
    - {name: ko, image: "ko://github.com/example/app"}
"""
    assert found(text, "image-digest") == [
        ("image-digest", 6, 26, "container 'tag' uses image 'nginx:1.27.3' without a digest; pin it as nginx:1.27.3@sha256:...")]


def test_deletecollection_on_listed_resources_only():
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cleaner}
rules:
  - apiGroups: [""]
    resources: [events, secrets]
    verbs: [deletecollection]
  - apiGroups: [""]
    resources: [events]
    verbs: [deletecollection]
  - apiGroups: [""]
    resources: [pods]
    verbs: ["*"]
"""
    assert found(text, "deletecollection-access") == [
        ("deletecollection-access", 6, 25,
         "ClusterRole 'cleaner' grants deletecollection on secrets: one request deletes every object of that type it selects")]
