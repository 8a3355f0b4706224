"""Fixes of Kubernetes findings: safe ones (the same object, written the current way) and unsafe
hardening ones (the settings the rule asks for; they may stop an app that needs what they take
away, so they apply only with --unsafe-fixes)."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML

from kubelint.fix.context import FixContext
from kubelint.fix.edits import SAFE, UNSAFE, Edit, Fix
from kubelint.fix.registry import fixer

# --- safe ---------------------------------------------------------------------------------------


@fixer("deprecated-service-account-field", applicability=SAFE)
def service_account(ctx: FixContext):
    """serviceAccount -> serviceAccountName (the old field is only an alias of the new one)."""
    path = ctx.path
    if ctx.yaml is None or path is None or path[-1] != "serviceAccount":
        return None
    full = ctx.prefix + path
    spec = ctx.yaml.get(full[:-1])
    if not isinstance(spec, dict):
        return None
    if "serviceAccountName" not in spec:
        return ctx.yaml.rename_key(full, "serviceAccountName")
    if str(spec["serviceAccountName"]) == str(spec["serviceAccount"]):
        return ctx.yaml.delete_entry(full, prune=False)
    return None  # they disagree: which one was meant is the user's call


# apiVersion changes that need no field change: the same schema under the new version. Those whose
# defaults or validation differ (apps/v1 needs spec.selector, policy/v1 reads an empty PDB
# selector as "every pod") are unsafe, and only offered when the fields they need are there.
_SAME_SCHEMA = {
    ("batch/v1beta1", "CronJob"): "batch/v1",
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "autoscaling/v2",
    ("networking.k8s.io/v1beta1", "IngressClass"): "networking.k8s.io/v1",
    ("extensions/v1beta1", "NetworkPolicy"): "networking.k8s.io/v1",
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): "scheduling.k8s.io/v1",
    ("scheduling.k8s.io/v1alpha1", "PriorityClass"): "scheduling.k8s.io/v1",
    ("coordination.k8s.io/v1beta1", "Lease"): "coordination.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "StorageClass"): "storage.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): "storage.k8s.io/v1",
    **{(v, k): "rbac.authorization.k8s.io/v1"
       for v in ("rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1")
       for k in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")},
}
_WORKLOADS = {("extensions/v1beta1", k) for k in ("DaemonSet", "Deployment", "ReplicaSet")} \
    | {("apps/v1beta1", k) for k in ("Deployment", "StatefulSet", "ReplicaSet")} \
    | {("apps/v1beta2", k) for k in ("DaemonSet", "Deployment", "StatefulSet", "ReplicaSet")}


def _api_fix(ctx: FixContext):
    if ctx.yaml is None or ctx.obj is None:
        return None
    key = (ctx.obj.api_version, ctx.obj.kind)
    path = ctx.prefix + ("apiVersion",)
    if key in _SAME_SCHEMA:
        return ctx.yaml.replace_value(path, _SAME_SCHEMA[key])
    if key == ("policy/v1beta1", "PodDisruptionBudget"):
        selector = ctx.obj.get("spec", "selector")
        edits = ctx.yaml.replace_value(path, "policy/v1")
        if edits is None:
            return None
        # An empty selector selects nothing in v1beta1 and every pod in v1.
        return edits if selector else Fix("", UNSAFE, tuple(edits))
    if key in _INGRESSES:
        return _ingress_fix(ctx, path)
    if key in _WORKLOADS and isinstance(ctx.obj.get("spec", "selector"), dict) and ctx.obj.get("spec", "selector"):
        # apps/v1 defaults differ (DaemonSet updateStrategy, revisionHistoryLimit,
        # progressDeadlineSeconds): the object behaves differently once applied.
        edits = ctx.yaml.replace_value(path, "apps/v1")
        return None if edits is None else Fix("", UNSAFE, tuple(edits))
    return None


_INGRESSES = {("extensions/v1beta1", "Ingress"), ("networking.k8s.io/v1beta1", "Ingress")}


def _ingress_fix(ctx: FixContext, api_path: tuple):
    """Ingress -> networking.k8s.io/v1 with the fields v1 renamed: spec.backend ->
    spec.defaultBackend, each `serviceName/servicePort` backend -> `service: {name, port:
    {number|name}}`, and `pathType: ImplementationSpecific` (the v1beta1 default, now required)
    on each path without one. Unsafe: the object is rewritten beyond its apiVersion, and
    controllers may read a v1 Ingress differently. Refused when any backend is not a plain
    service backend written in a way it can rewrite in place."""
    assert ctx.yaml is not None and ctx.obj is not None
    yaml, spec = ctx.yaml, ctx.obj.get("spec")
    edits = yaml.replace_value(api_path, "networking.k8s.io/v1")
    if edits is None or not isinstance(spec, dict):
        return None
    spec_path = ctx.prefix + ("spec",)
    backends: list[tuple] = []
    if "backend" in spec:
        if "defaultBackend" in spec:
            return None
        renamed = yaml.rename_key(spec_path + ("backend",), "defaultBackend")
        if renamed is None:
            return None
        edits += renamed
        backends.append(spec_path + ("backend",))
    for i, rule in enumerate(spec.get("rules") or []):
        paths = rule.get("http", {}).get("paths") if isinstance(rule, dict) and isinstance(rule.get("http"), dict) else None
        for j, item in enumerate(paths if isinstance(paths, list) else []):
            if not isinstance(item, dict):
                return None
            at = spec_path + ("rules", i, "http", "paths", j)
            if "backend" in item:
                backends.append(at + ("backend",))
            if "pathType" not in item:
                added = yaml.set(at + ("pathType",), "ImplementationSpecific")
                if added is None:
                    return None
                edits += added
    for backend in backends:
        rewritten = _service_backend(yaml, backend)
        if rewritten is None:
            return None
        edits += rewritten
    return Fix("", UNSAFE, tuple(edits))


def _service_backend(yaml, path: tuple):
    """`serviceName: web` + `servicePort: 80|http` rewritten where they stand as
    `service: {name: web, port: {number: 80}|{name: http}}`; the written values are kept. A
    `resource` backend is the same in v1 (no edit)."""
    backend = yaml.get(path)
    if not isinstance(backend, dict) or not yaml.editable(path):
        return None
    if set(backend) == {"resource"}:
        return []
    if set(backend) != {"serviceName", "servicePort"}:
        return None
    port = backend["servicePort"]
    written = {k: _written(yaml, path + (k,)) for k in backend}
    if None in written.values() or isinstance(port, bool) or not isinstance(port, (int, str)):
        return None
    kind = "number" if isinstance(port, int) else "name"
    if isinstance(port, str) and port.isdigit():
        kind, written["servicePort"] = "number", port  # "80": a number in quotes
    span = yaml.value_span(path)
    text = yaml.text
    if span is not None and text[span[0]:span[0] + 1] == "{":
        if "#" in text[span[0]:span[1]] or "\n" in text[span[0]:span[1]]:
            return None
        new = f"{{service: {{name: {written['serviceName']}, port: {{{kind}: {written['servicePort']}}}}}}}"
        return [Edit(span[0], span[1], new)]
    keys = sorted((yaml.key_span(path + (k,)), k) for k in backend)
    (first, _), (second, last_key) = keys
    end = yaml.value_span(path + (last_key,))
    line_start = yaml.index.line_start(first[0])
    if text[line_start:first[0]].strip(" ") or end is None:
        return None
    between = text[yaml.value_span(path + (keys[0][1],))[1]:second[0]]
    if between.strip():  # a comment between the two entries would be lost
        return None
    pad, step, nl = " " * (first[0] - line_start), " " * yaml.step, yaml.newline
    new = (f"service:{nl}{pad}{step}name: {written['serviceName']}{nl}"
           f"{pad}{step}port:{nl}{pad}{step}{step}{kind}: {written['servicePort']}")
    return [Edit(first[0], end[1], new)]


def _written(yaml, path: tuple) -> str | None:
    """A scalar as it is written in the file (quotes kept); None for a multi-line one."""
    span = yaml.value_span(path)
    if span is None or span[0] == span[1]:
        return None
    written = yaml.text[span[0]:span[1]]
    return None if "\n" in written or "\r" in written else written


fixer("removed-api", applicability=SAFE)(_api_fix)
fixer("deprecated-api", applicability=SAFE)(_api_fix)


@fixer("duplicate-key", applicability=UNSAFE)
def duplicate_key(ctx: FixContext):
    """Keep the last occurrence, the value Kubernetes uses; the earlier entry goes with its lines.
    Unsafe: the earlier one may be the one that was meant."""
    first_line, key = ctx.values.get("first_line"), ctx.values.get("key")
    if ctx.yaml is None or not isinstance(first_line, int) or key is None:
        return None
    start = ctx.offset(first_line, ctx.finding.column)
    written = ctx.text[start:ctx.index.line_end(start)]
    m = re.match(r"""(?:"([^"\\]*)"|'([^']*)'|([^\s:#'"][^:#]*?))\s*:(?:\s|$)""", written)
    if m is None or next(g for g in m.groups() if g is not None) != str(key):
        return None
    return ctx.yaml.delete_lines_at(start)


# Legacy annotation values -> the securityContext profile that replaced them.
def _profile(value: Any, runtime_default: tuple[str, ...]) -> dict | None:
    text = str(value)
    if text in runtime_default:
        return {"type": "RuntimeDefault"}
    if text == "unconfined":
        return {"type": "Unconfined"}
    if text.startswith("localhost/") and len(text) > len("localhost/"):
        return {"type": "Localhost", "localhostProfile": text[len("localhost/"):]}
    return None


_SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
_SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/"
_APPARMOR_CONTAINER = "container.apparmor.security.beta.kubernetes.io/"
_RENAMED = {"storageclass.beta.kubernetes.io/is-default-class": "storageclass.kubernetes.io/is-default-class"}


@fixer("deprecated-annotations", applicability=SAFE)
def deprecated_annotation(ctx: FixContext):
    """An annotation replaced by the field that took its place: seccomp and AppArmor profiles
    (on the pod's own metadata: elsewhere they never did anything), the default StorageClass
    marker, a PVC's storage class."""
    path, obj, yaml = ctx.path, ctx.obj, ctx.yaml
    if path is None or obj is None or yaml is None or len(path) < 2 or path[-2] != "annotations":
        return None
    name, value = path[-1], obj.get(*path)
    full = ctx.prefix + path
    if name in _RENAMED:
        return yaml.rename_key(full, _RENAMED[name])
    if name == "volume.beta.kubernetes.io/storage-class" and obj.kind == "PersistentVolumeClaim" \
            and path == ("metadata", "annotations", name):
        return _move(ctx, full, ("spec", "storageClassName"), value)
    spec = obj.pod_spec
    if spec is None or path[:-2] != spec.template_metadata_path:
        return None
    if name == _SECCOMP_POD:
        profile = _profile(value, ("runtime/default", "docker/default"))
        return None if profile is None else _move(ctx, full, spec.path + ("securityContext", "seccompProfile"), profile)
    for prefix, field, defaults in ((_SECCOMP_CONTAINER, "seccompProfile", ("runtime/default", "docker/default")),
                                    (_APPARMOR_CONTAINER, "appArmorProfile", ("runtime/default",))):
        if name.startswith(prefix):
            container = next((c for c in spec.containers if c.name == name[len(prefix):]), None)
            profile = _profile(value, defaults)
            if container is None or profile is None:
                return None
            return _move(ctx, full, container.path + ("securityContext", field), profile)
    return None


def _move(ctx: FixContext, annotation: tuple, field: tuple, value: Any):
    """Remove the annotation and set the field; when the field is set already it must agree."""
    assert ctx.yaml is not None
    current = ctx.obj.get(*field) if ctx.obj is not None else None
    if current is not None and current != value:
        return None
    removed = ctx.yaml.delete_entry(annotation)
    added = [] if current is not None else ctx.set(field, value)
    if removed is None or added is None:
        return None
    return removed + added


@fixer("deprecated-node-labels", applicability=SAFE)
def node_label(ctx: FixContext):
    """The GA label where the beta one is written: a nodeSelector key renamed (or dropped when
    the GA key says the same already), a matchExpressions key or topologyKey replaced. Safe:
    nodes of every supported version carry both labels with the same value."""
    path, replacement, label = ctx.path, ctx.values.get("replacement"), ctx.values.get("label")
    if ctx.yaml is None or ctx.obj is None or path is None or not replacement or path[-1:] == ():
        return None
    full = ctx.prefix + path
    if path[-1] == label and len(path) >= 2 and path[-2] == "nodeSelector":
        selector = ctx.obj.get(*path[:-1])
        if not isinstance(selector, dict):
            return None
        if replacement not in selector:
            return ctx.yaml.rename_key(full, replacement)
        if str(selector[replacement]) == str(selector[label]):
            return ctx.yaml.delete_entry(full, prune=False)
        return None  # both, with different values: the user's call
    if ctx.obj.get(*path) != label:
        return None
    return ctx.yaml.replace_value(full, replacement)


# --- unsafe: hardening ----------------------------------------------------------------------------


def _container_set(ctx: FixContext, rel: tuple, value: Any):
    container = ctx.container_path()
    return None if container is None else ctx.set(container + rel, value)


@fixer("privilege-escalation", applicability=UNSAFE)
def privilege_escalation(ctx: FixContext):
    return _container_set(ctx, ("securityContext", "allowPrivilegeEscalation"), False)


@fixer("writable-root-fs", applicability=UNSAFE)
def writable_root_fs(ctx: FixContext):
    return _container_set(ctx, ("securityContext", "readOnlyRootFilesystem"), True)


@fixer("run-as-root", applicability=UNSAFE)
def run_as_root(ctx: FixContext):
    """runAsNonRoot: true on the container; not when it (or its pod) says runAsUser: 0, which
    would make the kubelet refuse to start it."""
    container, pod = ctx.container_path(), ctx.pod_spec_path()
    if container is None or pod is None or ctx.obj is None:
        return None
    own = ctx.obj.get(*container, "securityContext", "runAsUser")
    inherited = ctx.obj.get(*pod, "securityContext", "runAsUser")
    if own == 0 or (own is None and inherited == 0):
        return None
    return ctx.set(container + ("securityContext", "runAsNonRoot"), True)


@fixer("drop-net-raw", applicability=UNSAFE)
def drop_all(ctx: FixContext):
    """`capabilities.drop: [ALL]` (what the restricted Pod Security Standard asks); a container
    that adds NET_RAW back is left alone: it asked for it."""
    container = ctx.container_path()
    if container is None or ctx.obj is None or ctx.yaml is None:
        return None
    caps = ctx.obj.get(*container, "securityContext", "capabilities")
    if isinstance(caps, dict):
        added = caps.get("add")
        if isinstance(added, list) and any(str(a).upper() in ("NET_RAW", "CAP_NET_RAW", "ALL") for a in added):
            return None
        drop = caps.get("drop")
        if isinstance(drop, list) and drop:
            return ctx.yaml.append_item(ctx.prefix + container + ("securityContext", "capabilities", "drop"), "ALL")
        if drop is not None:
            return None
    return ctx.set(container + ("securityContext", "capabilities", "drop"), ["ALL"])


@fixer("seccomp-profile", applicability=UNSAFE)
def seccomp_profile(ctx: FixContext):
    """RuntimeDefault: at pod level when nothing is set (one edit, however many containers),
    where it stands when a profile outside the allowed ones is set. Legacy annotations are
    deprecated-annotations' to replace."""
    allowed = ctx.params.get("allowed") or ["RuntimeDefault", "Localhost"]
    pod = ctx.pod_spec_path()
    if "RuntimeDefault" not in allowed or pod is None:
        return None
    profile = {"type": "RuntimeDefault"}
    if ctx.variant is None:
        return ctx.set(pod + ("securityContext", "seccompProfile"), profile)
    if ctx.variant in ("pod-profile", "pod-profile-many"):
        return ctx.set(pod + ("securityContext", "seccompProfile", "type"), "RuntimeDefault")
    if ctx.variant == "container-profile":
        return _container_set(ctx, ("securityContext", "seccompProfile", "type"), "RuntimeDefault")
    return None


@fixer("automount-service-account-token", applicability=UNSAFE)
def automount(ctx: FixContext):
    pod = ctx.pod_spec_path()
    return None if pod is None else ctx.set(pod + ("automountServiceAccountToken",), False)


@fixer("image-pull-policy", applicability=UNSAFE)
def image_pull_policy(ctx: FixContext):
    return _container_set(ctx, ("imagePullPolicy",), "Always")


# --- unsafe: the Pod Security restricted controls that have one correct value ----------------


@fixer("pss-privilege-escalation", applicability=UNSAFE)
def pss_privilege_escalation(ctx: FixContext):
    return _container_set(ctx, ("securityContext", "allowPrivilegeEscalation"), False)


@fixer("pss-capabilities-restricted", applicability=UNSAFE)
def pss_capabilities(ctx: FixContext):
    """`drop: [ALL]` (or ALL added to the drop list); an added capability is the user's to remove."""
    return drop_all(ctx) if ctx.variant in ("no-drop", "no-drop-all") else None


@fixer("pss-seccomp-restricted", applicability=UNSAFE)
def pss_seccomp(ctx: FixContext):
    """RuntimeDefault: at pod level when nothing is set, where a disallowed profile is set otherwise."""
    pod = ctx.pod_spec_path()
    if pod is None:
        return None
    if ctx.variant == "unset":
        return ctx.set(pod + ("securityContext", "seccompProfile"), {"type": "RuntimeDefault"})
    if ctx.variant == "pod":
        return ctx.set(pod + ("securityContext", "seccompProfile", "type"), "RuntimeDefault")
    return _container_set(ctx, ("securityContext", "seccompProfile", "type"), "RuntimeDefault")


@fixer("pss-run-as-non-root", applicability=UNSAFE)
def pss_run_as_non_root(ctx: FixContext):
    """runAsNonRoot: true where it is false, or on the pod when nothing sets it; never where the
    pod or a container says runAsUser: 0 (the kubelet would refuse to start it)."""
    pod, spec = ctx.pod_spec_path(), ctx.obj.pod_spec if ctx.obj is not None else None
    if pod is None or spec is None:
        return None
    users = [spec.data.get("securityContext", {}).get("runAsUser") if isinstance(spec.data.get("securityContext"), dict)
             else None]
    users += [c.data["securityContext"].get("runAsUser") for c in spec.containers
              if isinstance(c.data.get("securityContext"), dict)]
    if 0 in users:
        return None
    if ctx.variant in ("unset", "pod-false"):
        return ctx.set(pod + ("securityContext", "runAsNonRoot"), True)
    return _container_set(ctx, ("securityContext", "runAsNonRoot"), True)


@fixer("image-healthcheck-ignored", applicability=UNSAFE)
def healthcheck_probe(ctx: FixContext):
    """The livenessProbe equivalent to the image's HEALTHCHECK (the one the message shows), on a
    container that has neither probe. Unsafe: a failing check now restarts the container."""
    shown = ctx.values.get("probe")
    container = ctx.container_path()
    if not isinstance(shown, str) or container is None or ctx.obj is None:
        return None
    data = ctx.obj.get(*container)
    if not isinstance(data, dict) or data.get("livenessProbe") is not None or data.get("readinessProbe") is not None:
        return None
    try:
        probe = YAML(typ="safe", pure=True).load(shown)
    except Exception:  # noqa: BLE001 - a probe the check could not write readably is not offered
        return None
    if not isinstance(probe, dict) or not isinstance(probe.get("livenessProbe"), dict):
        return None
    return ctx.set(container + ("livenessProbe",), probe["livenessProbe"])


@fixer("job-ttl", applicability=UNSAFE)
def job_ttl(ctx: FixContext):
    seconds = ctx.params.get("fix-seconds")
    return None if not isinstance(seconds, int) else ctx.set(("spec", "ttlSecondsAfterFinished"), seconds)


@fixer("cronjob-concurrency", applicability=UNSAFE)
def cronjob_concurrency(ctx: FixContext):
    return ctx.set(("spec", "concurrencyPolicy"), "Forbid")


@fixer("cronjob-deadline", applicability=UNSAFE)
def cronjob_deadline(ctx: FixContext):
    seconds = ctx.params.get("fix-seconds")
    return None if not isinstance(seconds, int) else ctx.set(("spec", "startingDeadlineSeconds"), seconds)


