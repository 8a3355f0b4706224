"""`seccomp-profile`: every container must run under a seccomp profile (RuntimeDefault or
Localhost), deciding per container the way the kubelet does: the container's
`securityContext.seccompProfile`, else the pod's, else (optionally) the legacy annotations on the
pod template — the per-container one naming the container, which no rule path can express."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding
from kubelint.model.k8s import Container, KubeObject, PodSpec
from kubelint.rules.context import CheckContext

RULE = "seccomp-profile"
POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"
# Legacy annotation values that confine the container (docker/default predates runtime/default).
_CONFINED_ANNOTATION = ("runtime/default", "docker/default", "localhost/")


def is_windows(spec: PodSpec) -> bool:
    """A Windows pod, by `spec.os.name` or by the older `kubernetes.io/os` node selector."""
    os_field = spec.data.get("os")
    if isinstance(os_field, dict) and os_field.get("name") == "windows":
        return True
    selector = spec.data.get("nodeSelector")
    return isinstance(selector, dict) and selector.get("kubernetes.io/os") == "windows"


def _profile_type(context_owner: dict) -> object:
    sc = context_owner.get("securityContext")
    profile = sc.get("seccompProfile") if isinstance(sc, dict) else None
    return profile.get("type") if isinstance(profile, dict) else None


def run(ctx: CheckContext) -> Iterable[Finding]:
    if not ctx.enabled(RULE):
        return
    allowed = [str(t) for t in ctx.param(RULE, "allowed", ["RuntimeDefault", "Localhost"]) or []]
    legacy = bool(ctx.param(RULE, "legacy-annotations", True))
    for obj in ctx.scan.objects:
        spec = obj.pod_spec
        if spec is None or is_windows(spec):
            continue
        for container in spec.containers:
            finding = _check(ctx, obj, spec, container, allowed, legacy)
            if finding is not None:
                yield finding


def _check(ctx, obj: KubeObject, spec: PodSpec, c: Container, allowed, legacy) -> Finding | None:
    profile_path = ("securityContext", "seccompProfile", "type")
    own = _profile_type(c.data)
    if own is not None:
        return _unless_allowed(ctx, obj, own, allowed, c.path + profile_path,
                               f"container '{c.name}' sets seccomp profile {own}")
    inherited = _profile_type(spec.data)
    if inherited is not None:
        return _unless_allowed(ctx, obj, inherited, allowed, spec.path + profile_path,
                               f"container '{c.name}' inherits seccomp profile {inherited} from the pod")
    if legacy:
        annotations = spec.annotations
        for key in (CONTAINER_ANNOTATION + c.name, POD_ANNOTATION):
            value = annotations.get(key)
            if value is None:
                continue
            if str(value).startswith(_CONFINED_ANNOTATION):
                return None
            return ctx.finding(RULE, obj, spec.template_metadata_path + ("annotations", key),
                               f"container '{c.name}' runs with seccomp profile '{value}' "
                               f"(annotation {key})")
    return ctx.finding(RULE, obj, c.path, f"container '{c.name}' has no seccomp profile and runs "
                       "unconfined; set securityContext.seccompProfile.type: RuntimeDefault "
                       "on the pod or the container", key=True)


def _unless_allowed(ctx, obj, value, allowed, path, message) -> Finding | None:
    if str(value) in allowed:
        return None
    return ctx.finding(RULE, obj, path, message + f"; use one of {', '.join(allowed)}")
