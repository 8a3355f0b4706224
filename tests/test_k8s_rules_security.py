"""Security rules of the Kubernetes per-object family: host namespaces, security context, host
access and image pull policy — positions and messages, inheritance between pod and container,
container groups, CronJob templates, Windows pods and malformed input."""

from pathlib import Path

import pytest
from all_rules import lint_text

FIXTURES = Path(__file__).parent / "fixtures" / "k8s" / "security"
SECURITY_RULES = {
    "host-network", "host-pid", "host-ipc", "host-port", "share-process-namespace", "host-users",
    "privileged-container", "privilege-escalation", "run-as-root", "writable-root-fs",
    "dangerous-capabilities", "drop-net-raw", "seccomp-profile", "proc-mount", "unsafe-sysctls",
    "host-path-volume", "docker-socket", "sensitive-host-mount", "image-pull-policy",
}


def findings(text: str, rules=SECURITY_RULES) -> list[tuple]:
    rules = {rules} if isinstance(rules, str) else set(rules)
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, "yaml") if f.rule in rules]


def fixture(name: str, rules=SECURITY_RULES) -> list[tuple]:
    return findings((FIXTURES / name).read_text(), rules)


def pod(spec: str) -> str:
    """A Pod manifest whose spec keys start at line 6, column 3."""
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n" + spec


ROOT_HINT = "may run as root: set runAsNonRoot: true or a non-zero runAsUser (container or pod securityContext)"


# --- run-as-root: inheritance ------------------------------------------------------------------
def test_run_as_root_respects_pod_and_container_inheritance():
    assert fixture("inheritance.yaml", "run-as-root") == [
        # overrides the pod's runAsNonRoot: true with false: points at its own false
        ("run-as-root", 26, 27, f"container 'debug' {ROOT_HINT}"),
        # root explicitly, even though the pod sets runAsNonRoot: true
        ("run-as-root", 30, 24, f"container 'fixer' {ROOT_HINT}"),
        # inherits the pod's runAsUser: 0: points at the pod's value
        ("run-as-root", 38, 16, f"container 'inherits-root' {ROOT_HINT}"),
    ]
    # not reported: 'migrate' (init) and 'api' inherit runAsNonRoot, 'own-uid' overrides the pod's
    # UID 0 with 1000, and the 'uid-only' pod sets a non-zero UID without runAsNonRoot.


def test_run_as_root_points_at_the_container_when_nothing_is_set():
    text = pod("  containers:\n    - name: app\n      image: example.com/app:1.0.0\n")
    assert findings(text, "run-as-root") == [("run-as-root", 7, 7, f"container 'app' {ROOT_HINT}")]


# --- a CronJob's nested template, init containers ------------------------------------------------
def test_cronjob_template_and_init_containers():
    rules = SECURITY_RULES - {"privilege-escalation", "run-as-root", "writable-root-fs", "drop-net-raw"}
    assert fixture("cronjob.yaml", rules) == [
        ("host-pid", 12, 20, "CronJob 'backup' runs its pods in the node's process namespace (hostPID: true)"),
        # one finding for the pod-level value, naming every container that inherits it
        ("seccomp-profile", 16, 21, "containers 'backup', 'prepare' inherit seccomp profile Unconfined "
                                    "from the pod; use one of RuntimeDefault, Localhost"),
        ("unsafe-sysctls", 18, 23, "CronJob 'backup' sets the unsafe sysctl kernel.msgmax"),
        ("privileged-container", 24, 29, "container 'prepare' runs privileged, with full access to the node"),
        ("proc-mount", 32, 28, "container 'backup' sets procMount: Unmasked, exposing the node's /proc paths"),
        ("dangerous-capabilities", 35, 25, "container 'backup' adds the capability SYS_PTRACE"),
        ("host-path-volume", 39, 23, "CronJob 'backup' keeps data in the node's /srv/backup (hostPath); "
                                     "it stays behind when the pod moves to another node"),
    ]


def test_windows_host_process_counts_as_privileged():
    text = pod("  os: {name: windows}\n  hostNetwork: true\n"
               "  securityContext:\n    windowsOptions: {hostProcess: true, runAsUserName: 'NT AUTHORITY\\\\SYSTEM'}\n"
               "  containers:\n    - name: agent\n      image: example.com/agent:1.0.0\n"
               "    - name: opt-out\n      image: example.com/agent:1.0.0\n"
               "      securityContext: {windowsOptions: {hostProcess: false}}\n")
    assert findings(text, "privileged-container") == [
        ("privileged-container", 9, 35, "container 'agent' runs privileged, with full access to the node")]


def test_privileged_container_is_not_also_reported_for_escalation_or_net_raw():
    # A privileged container always escalates and keeps every capability: one finding says it.
    found = fixture("cronjob.yaml", {"privilege-escalation", "drop-net-raw", "privileged-container"})
    assert [(r, line) for r, line, _, _ in found] == [("privileged-container", 24)]


def test_hardened_container_passes_the_container_rules():
    # 'backup' in the CronJob drops ALL, is read-only, non-root and cannot escalate.
    found = fixture("cronjob.yaml", {"privilege-escalation", "run-as-root", "writable-root-fs", "drop-net-raw"})
    assert {m.split("'")[1] for _, _, _, m in found} == {"prepare"}


# --- Windows pods -----------------------------------------------------------------------------------
def test_linux_only_rules_skip_windows_pods():
    # by spec.os.name and by the kubernetes.io/os node selector; host-port still applies.
    assert fixture("windows.yaml") == [
        ("host-port", 32, 25, "container 'app' binds port 8080 on the node (hostPort)"),
    ]


# --- host access ----------------------------------------------------------------------------------
def test_host_access_rules():
    rules = {"host-network", "host-port", "host-users", "host-path-volume", "docker-socket",
             "sensitive-host-mount"}
    assert fixture("host-access.yaml", rules) == [
        ("host-network", 12, 20, "DaemonSet 'log-agent' runs its pods in the node's network namespace (hostNetwork: true)"),
        ("docker-socket", 22, 19, "DaemonSet 'log-agent' mounts the container runtime socket "
                                  "/run/containerd/containerd.sock, which gives root on the node"),
        ("sensitive-host-mount", 26, 19, "DaemonSet 'log-agent' mounts the node's /etc (hostPath)"),
        ("host-users", 41, 5, "Deployment 'uploads' runs its pods in the node's user namespace; set hostUsers: false"),
        ("host-port", 47, 25, "container 'web' binds port 80 on the node (hostPort)"),
        ("host-path-volume", 52, 19, "Deployment 'uploads' keeps data in the node's /data/uploads (hostPath); "
                                     "it stays behind when the pod moves to another node"),
    ]
    # Not reported: the DaemonSet's hostPort (implied by hostNetwork), its host-users (a host
    # namespace excludes a user namespace), its /var/log (node-local by design), and the
    # Deployment's /lib/modules (host access, not stored data, and not in the sensitive list).


def test_sensitive_host_mount_paths_come_from_the_param_and_match_exactly():
    volume = "  containers: [{name: a, image: 'b:1'}]\n  volumes:\n    - name: v\n      hostPath: {path: %s}\n"
    assert findings(pod(volume % "/var/lib/kubelet"), "sensitive-host-mount") == [
        ("sensitive-host-mount", 9, 24, "Pod 'p' mounts the node's /var/lib/kubelet (hostPath)")]
    assert findings(pod(volume % "/etc/ssl/certs"), "sensitive-host-mount") == []


def test_docker_socket_is_reported_in_every_pod_bearing_kind():
    text = """\
apiVersion: v1
kind: ReplicationController
metadata:
  name: builder
spec:
  template:
    spec:
      containers:
        - name: b
          image: docker:27.3.1
      volumes:
        - name: d
          hostPath:
            path: /var/run/docker.sock
"""
    assert findings(text, "docker-socket") == [
        ("docker-socket", 14, 19, "ReplicationController 'builder' mounts the container runtime socket "
                                  "/var/run/docker.sock, which gives root on the node")]


# --- security context details ----------------------------------------------------------------------
def test_drop_net_raw_accepts_all_and_reports_net_raw_added_back():
    def sc(caps):
        return pod(f"  containers:\n    - name: c\n      image: example.com/c:1.0.0\n"
                   f"      securityContext:\n        capabilities: {caps}\n")
    assert findings(sc("{drop: [ALL]}"), "drop-net-raw") == []
    assert findings(sc("{drop: [NET_RAW, CHOWN]}"), "drop-net-raw") == []
    assert findings(sc("{drop: [ALL], add: [NET_BIND_SERVICE, NET_RAW]}"), "drop-net-raw") == [
        ("drop-net-raw", 10, 61, "container 'c' keeps NET_RAW; add ALL or NET_RAW to securityContext.capabilities.drop")]
    assert findings(sc("{drop: [CHOWN]}"), "drop-net-raw") == [
        ("drop-net-raw", 10, 31, "container 'c' keeps NET_RAW; add ALL or NET_RAW to securityContext.capabilities.drop")]


def test_dangerous_capabilities_one_finding_per_capability():
    text = pod("  containers:\n    - name: c\n      image: example.com/c:1.0.0\n"
               "      securityContext:\n        capabilities:\n          add: [CHOWN, NET_ADMIN, ALL]\n")
    assert findings(text, "dangerous-capabilities") == [
        ("dangerous-capabilities", 11, 24, "container 'c' adds the capability NET_ADMIN"),
        ("dangerous-capabilities", 11, 35, "container 'c' adds the capability ALL"),
    ]


def test_privilege_escalation_points_at_an_explicit_true():
    text = pod("  containers:\n    - name: c\n      image: example.com/c:1.0.0\n"
               "      securityContext:\n        allowPrivilegeEscalation: true\n")
    assert findings(text, "privilege-escalation") == [
        ("privilege-escalation", 10, 35, "container 'c' allows privilege escalation; "
                                         "set securityContext.allowPrivilegeEscalation: false")]


def test_writable_root_fs_covers_ephemeral_containers():
    text = pod("  containers:\n    - name: c\n      image: example.com/c:1.0.0\n"
               "      securityContext: {readOnlyRootFilesystem: true}\n"
               "  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n")
    assert findings(text, "writable-root-fs") == [
        ("writable-root-fs", 11, 7, "container 'debug' has a writable root filesystem; "
                                    "set securityContext.readOnlyRootFilesystem: true")]


def test_seccomp_legacy_annotations():
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy
spec:
  selector:
    matchLabels: {app: legacy}
  template:
    metadata:
      labels: {app: legacy}
      annotations:
        seccomp.security.alpha.kubernetes.io/pod: runtime/default
        container.seccomp.security.alpha.kubernetes.io/tool: unconfined
    spec:
      containers:
        - name: app
          image: example.com/app:1.0.0
        - name: tool
          image: example.com/tool:1.0.0
"""
    assert findings(text, "seccomp-profile") == [
        ("seccomp-profile", 13, 62, "container 'tool' runs with seccomp profile 'unconfined' "
                                    "(annotation container.seccomp.security.alpha.kubernetes.io/tool)")]


def test_seccomp_container_profile_overrides_the_pod():
    text = pod("  securityContext:\n    seccompProfile: {type: Unconfined}\n"
               "  containers:\n    - name: a\n      image: example.com/a:1.0.0\n"
               "      securityContext:\n        seccompProfile: {type: Localhost, localhostProfile: a.json}\n"
               "    - name: b\n      image: example.com/b:1.0.0\n")
    assert findings(text, "seccomp-profile") == [
        ("seccomp-profile", 7, 28, "container 'b' inherits seccomp profile Unconfined from the pod; "
                                   "use one of RuntimeDefault, Localhost")]


def test_unsafe_sysctls_reports_each_unsafe_name():
    text = pod("  securityContext:\n    sysctls:\n      - {name: net.ipv4.tcp_syncookies, value: '1'}\n"
               "      - {name: net.core.somaxconn, value: '1024'}\n      - {name: kernel.sem, value: '1'}\n"
               "  containers: [{name: a, image: 'a:1'}]\n")
    assert findings(text, "unsafe-sysctls") == [
        ("unsafe-sysctls", 9, 16, "Pod 'p' sets the unsafe sysctl net.core.somaxconn"),
        ("unsafe-sysctls", 10, 16, "Pod 'p' sets the unsafe sysctl kernel.sem"),
    ]


# --- images ---------------------------------------------------------------------------------------
PULL = "may run a stale copy of its mutable image; set imagePullPolicy: Always"


@pytest.mark.parametrize("image,policy,expected", [
    ("quay.io/x/app:main", None, (8, 14)),               # moving tag, default IfNotPresent: at the image
    ("quay.io/x/app:nightly", "IfNotPresent", (9, 24)),   # at the policy
    ("app:1.0-SNAPSHOT", None, (8, 14)),
    ("registry:5000/app", "Never", (9, 24)),              # no tag behind a registry port
    ("app:latest", "IfNotPresent", (9, 24)),
    ("app:latest", None, None),                           # latest defaults to Always
    ("app", None, None),
    ("quay.io/x/app:main", "Always", None),
    ("app:v2.3.1", "IfNotPresent", None),                 # a release tag
    ("app:main@sha256:" + "a" * 64, "IfNotPresent", None),  # pinned by digest
    ("{IMAGE}", "Never", None),                           # a template placeholder, not an image
])
def test_image_pull_policy(image, policy, expected):
    spec = f"  containers:\n    - name: c\n      image: '{image}'\n"
    if policy:
        spec += f"      imagePullPolicy: {policy}\n"
    found = findings(pod(spec), "image-pull-policy")
    if expected is None:
        assert found == []
    else:
        assert found == [("image-pull-policy", *expected, f"container 'c' {PULL}")]


# --- malformed input ------------------------------------------------------------------------------
def test_malformed_manifests_do_not_crash_and_report_nothing_absurd():
    found = fixture("bad-input.yaml")
    assert found  # the rules ran
    # Strings, nulls and numbers where mappings or lists belong are not findings of these rules:
    # no hostNetwork "yes", no docker socket from `hostPath: <string>`, no host port "eighty".
    assert {r for r, *_ in found} <= SECURITY_RULES - {"host-network", "docker-socket", "host-port"}
