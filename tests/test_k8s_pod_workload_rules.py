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
