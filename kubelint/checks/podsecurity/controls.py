"""The Pod Security Standards controls, each as the Pod Security Admission controller checks it at
a policy version (the `enforce-version` in force) on a cluster version (the API server's own:
some allowances were added to the controller without a new policy version).

A control yields Violations: the rule, the place in the object, a message variant and its values.
`missing` marks a violation decided by a field that is not there, which a kustomize patch (it
carries only what it changes) proves nothing about."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from kubelint.model.k8s import Container, KubeObject, PodSpec

Version = tuple[int, int]


@dataclass
class Violation:
    rule: str
    path: tuple
    variant: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    key: bool = False  # point at the key (a field) rather than its value
    missing: bool = False


@dataclass
class Pod:
    obj: KubeObject
    spec: PodSpec

    @property
    def containers(self) -> list[Container]:
        """In the controller's order: init containers, containers, ephemeral containers."""
        order = {"initContainers": 0, "containers": 1, "ephemeralContainers": 2}
        return sorted(self.spec.containers, key=lambda c: order[c.group])

    @property
    def context(self) -> dict:
        return _mapping(self.spec.data.get("securityContext"))

    @property
    def context_path(self) -> tuple:
        return self.spec.path + ("securityContext",)

    @property
    def windows(self) -> bool:
        """The controller knows a Windows pod by `spec.os.name` only."""
        return _mapping(self.spec.data.get("os")).get("name") == "windows"

    @property
    def user_namespace(self) -> bool:
        return self.spec.data.get("hostUsers") is False


@dataclass(frozen=True)
class Evaluation:
    level: str  # baseline | restricted
    version: Version  # the policy version
    cluster: Version  # the API server's version


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _context(c: Container) -> dict:
    return _mapping(c.data.get("securityContext"))


def _sc(c: Container, *rest: str | int) -> tuple:
    return c.path + ("securityContext",) + rest


def _names(containers: list[Container]) -> list[str]:
    return [c.name for c in containers]


# --- baseline ---------------------------------------------------------------------------------

def host_process(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    rule = "pss-host-process"
    if _mapping(pod.context.get("windowsOptions")).get("hostProcess") is True:
        yield Violation(rule, pod.context_path + ("windowsOptions", "hostProcess"), "pod")
    for c in pod.containers:
        if _mapping(_context(c).get("windowsOptions")).get("hostProcess") is True:
            yield Violation(rule, _sc(c, "windowsOptions", "hostProcess"), values={"container": c.name})


def host_namespaces(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    for name in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.spec.data.get(name) is True:
            yield Violation("pss-host-namespaces", pod.spec.path + (name,), values={"field": name})


def privileged(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    for c in pod.containers:
        if _context(c).get("privileged") is True:
            yield Violation("pss-privileged", _sc(c, "privileged"), values={"container": c.name})


# The capabilities a container may add under Baseline (the container runtime's defaults).
BASELINE_CAPABILITIES = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})


def _added(c: Container) -> Iterator[tuple[int, str]]:
    add = _mapping(_context(c).get("capabilities")).get("add")
    if isinstance(add, list):
        for i, cap in enumerate(add):
            yield i, str(cap)


def capabilities_baseline(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    for c in pod.containers:
        for i, cap in _added(c):
            if cap not in BASELINE_CAPABILITIES:
                yield Violation("pss-capabilities-baseline", _sc(c, "capabilities", "add", i),
                                values={"container": c.name, "capability": cap})


def host_path_volumes(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    for i, volume in enumerate(pod.spec.data.get("volumes") or []):
        if isinstance(volume, dict) and volume.get("hostPath") is not None:
            yield Violation("pss-host-path-volumes", pod.spec.path + ("volumes", i, "hostPath"),
                            key=True, values={"volume": str(volume.get("name"))})


def host_ports(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    for c in pod.containers:
        for i, port in enumerate(c.data.get("ports") or []):
            host_port = port.get("hostPort") if isinstance(port, dict) else None
            if host_port not in (None, 0):
                yield Violation("pss-host-ports", c.path + ("ports", i, "hostPort"),
                                values={"container": c.name, "port": host_port})


APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"
_APPARMOR_TYPES = ("RuntimeDefault", "Localhost")


def apparmor(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    rule = "pss-apparmor"
    # The fields (Kubernetes 1.30+) are checked at every policy version by such API servers.
    if ev.cluster >= (1, 30):
        profile = pod.context.get("appArmorProfile")
        if isinstance(profile, dict) and str(profile.get("type") or "") not in _APPARMOR_TYPES:
            yield Violation(rule, pod.context_path + ("appArmorProfile", "type"), "pod-field",
                            {"profile": str(profile.get("type") or "")})
        for c in pod.containers:
            profile = _context(c).get("appArmorProfile")
            if isinstance(profile, dict) and str(profile.get("type") or "") not in _APPARMOR_TYPES:
                yield Violation(rule, _sc(c, "appArmorProfile", "type"), "container-field",
                                {"container": c.name, "profile": str(profile.get("type") or "")})
    for key, value in pod.spec.annotations.items():
        text = "" if value is None else str(value)
        if str(key).startswith(APPARMOR_ANNOTATION) and not (
                text in ("", "runtime/default") or text.startswith("localhost/")):
            yield Violation(rule, pod.spec.template_metadata_path + ("annotations", key), "annotation",
                            {"annotation": key, "profile": text})


_SELINUX_TYPES = ("", "container_t", "container_init_t", "container_kvm_t")


def selinux(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    types = _SELINUX_TYPES + (("container_engine_t",) if ev.version >= (1, 31) else ())
    owners = [(pod.context, pod.context_path, None)] + [(_context(c), _sc(c), c.name) for c in pod.containers]
    for context, path, name in owners:
        options = context.get("seLinuxOptions")
        if not isinstance(options, dict):
            continue
        setter = "pod" if name is None else "container"
        who = {} if name is None else {"container": name}
        if str(options.get("type") or "") not in types:
            yield Violation("pss-selinux", path + ("seLinuxOptions", "type"), f"{setter}-type",
                            {**who, "selinux_type": str(options.get("type"))})
        for part in ("user", "role"):
            if options.get(part):
                yield Violation("pss-selinux", path + ("seLinuxOptions", part), f"{setter}-user-role",
                                {**who, "field": part, "selinux_value": str(options.get(part))})


def proc_mount(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    # From policy 1.35 Baseline lets a pod in a user namespace (hostUsers: false) unmask /proc;
    # Restricted still does not.
    if ev.level == "baseline" and ev.version >= (1, 35) and pod.user_namespace:
        return
    for c in pod.containers:
        value = _context(c).get("procMount")
        if value is not None and value != "Default":
            yield Violation("pss-proc-mount", _sc(c, "procMount"), values={"container": c.name, "value": str(value)})


SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"
_SECCOMP_TYPES = ("RuntimeDefault", "Localhost")


def _seccomp_type(context: dict) -> str | None:
    profile = context.get("seccompProfile")
    return None if not isinstance(profile, dict) else str(profile.get("type") or "")


def seccomp_baseline(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    rule = "pss-seccomp-baseline"
    if ev.version < (1, 19):  # before the fields, the annotations
        keys = [SECCOMP_POD_ANNOTATION] + [SECCOMP_CONTAINER_ANNOTATION + c.name for c in pod.containers]
        for key in keys:
            if key in pod.spec.annotations:
                value = str(pod.spec.annotations[key])
                if not (value in ("runtime/default", "docker/default") or value.startswith("localhost/")):
                    yield Violation(rule, pod.spec.template_metadata_path + ("annotations", key), "annotation",
                                    {"annotation": key, "profile": value})
        return
    pod_type = _seccomp_type(pod.context)
    if pod_type is not None and pod_type not in _SECCOMP_TYPES:
        yield Violation(rule, pod.context_path + ("seccompProfile", "type"), "pod", {"profile": pod_type})
    for c in pod.containers:
        own = _seccomp_type(_context(c))
        if own is not None and own not in _SECCOMP_TYPES:
            yield Violation(rule, _sc(c, "seccompProfile", "type"), None, {"container": c.name, "profile": own})


_SAFE_SYSCTLS: list[tuple[Version, frozenset[str]]] = [
    ((1, 0), frozenset({"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
                        "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"})),
    ((1, 27), frozenset({"net.ipv4.ip_local_reserved_ports"})),
    ((1, 29), frozenset({"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                         "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"})),
    ((1, 32), frozenset({"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"})),
    ((1, 37), frozenset({"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"})),
]


def safe_sysctls(version: Version) -> frozenset[str]:
    out: set[str] = set()
    for since, names in _SAFE_SYSCTLS:
        if version >= since:
            out |= names
    return frozenset(out)


def sysctls(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    allowed = safe_sysctls(ev.version)
    for i, item in enumerate(pod.context.get("sysctls") or []):
        name = item.get("name") if isinstance(item, dict) else None
        if name is not None and str(name) not in allowed:
            yield Violation("pss-sysctls", pod.context_path + ("sysctls", i, "name"), values={"sysctl": str(name)})


_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


def probe_host(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    for c in pod.containers:
        handlers: list[tuple[tuple[str, ...], Any]] = [((probe,), c.data.get(probe)) for probe in _PROBES]
        lifecycle = _mapping(c.data.get("lifecycle"))
        handlers += [(("lifecycle", hook), lifecycle.get(hook)) for hook in ("postStart", "preStop")]
        for where, handler in handlers:
            for action in ("httpGet", "tcpSocket"):
                host = _mapping(_mapping(handler).get(action)).get("host")
                if host not in (None, ""):
                    yield Violation("pss-probe-host", c.path + where + (action, "host"),
                                    values={"container": c.name, "handler": ".".join(where), "host": str(host)})


# --- restricted -------------------------------------------------------------------------------

_VOLUME_TYPES = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                 "projected", "secret")


def volume_types(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    # API servers from 1.33 allow image volumes at every policy version.
    allowed = _VOLUME_TYPES + (("image",) if ev.cluster >= (1, 33) else ())
    for i, volume in enumerate(pod.spec.data.get("volumes") or []):
        if not isinstance(volume, dict):
            continue
        sources = [k for k in volume if k != "name" and volume[k] is not None]
        # A volume without a source is defaulted to emptyDir before the controller sees it.
        if sources and not any(k in allowed for k in sources):
            yield Violation("pss-volume-types", pod.spec.path + ("volumes", i, sources[0]), key=True,
                            values={"volume": str(volume.get("name")), "type": sources[0]})


def privilege_escalation(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    if ev.version >= (1, 25) and pod.windows:
        return
    for c in pod.containers:
        value = _context(c).get("allowPrivilegeEscalation")
        if value is False:
            continue
        if value is None:
            yield Violation("pss-privilege-escalation", c.path, "unset", {"container": c.name}, missing=True)
        else:
            yield Violation("pss-privilege-escalation", _sc(c, "allowPrivilegeEscalation"), None,
                            {"container": c.name, "value": value})


def _relaxed_for_user_namespace(pod: Pod, ev: Evaluation) -> bool:
    """From policy 1.35 the user checks do not apply to a pod in a user namespace."""
    return ev.version >= (1, 35) and pod.user_namespace


def run_as_non_root(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    rule = "pss-run-as-non-root"
    if _relaxed_for_user_namespace(pod, ev):
        return
    pod_value = pod.context.get("runAsNonRoot")
    if pod_value is not None and pod_value is not True:
        yield Violation(rule, pod.context_path + ("runAsNonRoot",), "pod-false", {"value": pod_value})
    unset = []
    for c in pod.containers:
        value = _context(c).get("runAsNonRoot")
        if value is None:
            unset.append(c)
        elif value is not True:
            yield Violation(rule, _sc(c, "runAsNonRoot"), "container-false", {"container": c.name, "value": value})
    # Containers that set nothing inherit the pod's value: reported once, where the pod sets it.
    if unset and pod_value is None:
        yield Violation(rule, pod.context_path, "unset", {"containers": _names(unset)}, key=True, missing=True)


def run_as_user(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    rule = "pss-run-as-non-root-user"
    if ev.version < (1, 23) or _relaxed_for_user_namespace(pod, ev):
        return
    if _is_zero(pod.context.get("runAsUser")):
        yield Violation(rule, pod.context_path + ("runAsUser",), "pod")
    for c in pod.containers:
        if _is_zero(_context(c).get("runAsUser")):
            yield Violation(rule, _sc(c, "runAsUser"), None, {"container": c.name})


def _is_zero(value: Any) -> bool:
    return value == 0 and not isinstance(value, bool)


def seccomp_restricted(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    rule = "pss-seccomp-restricted"
    if ev.version >= (1, 25) and pod.windows:
        return
    pod_type = _seccomp_type(pod.context)
    if pod_type is not None and pod_type not in _SECCOMP_TYPES:
        yield Violation(rule, pod.context_path + ("seccompProfile", "type"), "pod", {"profile": pod_type})
    unset = []
    for c in pod.containers:
        own = _seccomp_type(_context(c))
        if own is None:
            unset.append(c)
        elif own not in _SECCOMP_TYPES:
            yield Violation(rule, _sc(c, "seccompProfile", "type"), None, {"container": c.name, "profile": own})
    if unset and pod_type is None:
        yield Violation(rule, pod.context_path, "unset", {"containers": _names(unset)}, key=True, missing=True)


def capabilities_restricted(pod: Pod, ev: Evaluation) -> Iterator[Violation]:
    rule = "pss-capabilities-restricted"
    if ev.version >= (1, 25) and pod.windows:
        return
    for c in pod.containers:
        caps = _mapping(_context(c).get("capabilities"))
        drop = caps.get("drop")
        if not isinstance(drop, list):
            yield Violation(rule, _sc(c, "capabilities", "drop"), "no-drop", {"container": c.name},
                            key=True, missing=True)
        elif "ALL" not in drop:
            yield Violation(rule, _sc(c, "capabilities", "drop"), "no-drop-all", {"container": c.name}, key=True)
        for i, cap in _added(c):
            if cap != "NET_BIND_SERVICE":
                yield Violation(rule, _sc(c, "capabilities", "add", i), "add",
                                {"container": c.name, "capability": cap})


# --- the registry -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Control:
    rule: str
    level: str  # the lowest level it belongs to
    since: Version  # the first policy version that has it
    run: Callable[[Pod, Evaluation], Iterator[Violation]]
    overrides: str | None = None  # the Baseline rule it replaces under Restricted


CONTROLS: tuple[Control, ...] = (
    Control("pss-host-process", "baseline", (1, 0), host_process),
    Control("pss-host-namespaces", "baseline", (1, 0), host_namespaces),
    Control("pss-privileged", "baseline", (1, 0), privileged),
    Control("pss-capabilities-baseline", "baseline", (1, 0), capabilities_baseline),
    Control("pss-host-path-volumes", "baseline", (1, 0), host_path_volumes),
    Control("pss-host-ports", "baseline", (1, 0), host_ports),
    Control("pss-apparmor", "baseline", (1, 0), apparmor),
    Control("pss-selinux", "baseline", (1, 0), selinux),
    Control("pss-proc-mount", "baseline", (1, 0), proc_mount),
    Control("pss-seccomp-baseline", "baseline", (1, 0), seccomp_baseline),
    Control("pss-sysctls", "baseline", (1, 0), sysctls),
    Control("pss-probe-host", "baseline", (1, 34), probe_host),
    Control("pss-volume-types", "restricted", (1, 0), volume_types, overrides="pss-host-path-volumes"),
    Control("pss-privilege-escalation", "restricted", (1, 8), privilege_escalation),
    Control("pss-run-as-non-root", "restricted", (1, 0), run_as_non_root),
    Control("pss-run-as-non-root-user", "restricted", (1, 23), run_as_user),
    Control("pss-seccomp-restricted", "restricted", (1, 19), seccomp_restricted, overrides="pss-seccomp-baseline"),
    Control("pss-capabilities-restricted", "restricted", (1, 22), capabilities_restricted,
            overrides="pss-capabilities-baseline"),
)
RULES = tuple(c.rule for c in CONTROLS)


def active(ev: Evaluation, enabled: set[str]) -> list[Control]:
    """The controls of a level at a policy version, as the controller picks them: Restricted is
    Baseline plus its own controls, less the Baseline ones a Restricted control replaces."""
    wanted = ("baseline",) if ev.level == "baseline" else ("baseline", "restricted")
    chosen = [c for c in CONTROLS if c.level in wanted and ev.version >= c.since]
    replaced = {c.overrides for c in chosen if c.overrides and c.rule in enabled}
    return [c for c in chosen if c.rule not in replaced and c.rule in enabled]


def evaluate(pod: Pod, ev: Evaluation, enabled: set[str]) -> list[Violation]:
    return [v for control in active(ev, enabled) for v in control.run(pod, ev)]
