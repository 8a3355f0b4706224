"""`seccomp-profile`: every container must run under a seccomp profile (RuntimeDefault or
Localhost), deciding per container the way the kubelet does: the container's
`securityContext.seccompProfile`, else the pod's, else (optionally) the legacy annotations on the
pod template — the per-container one naming the container, which no rule path can express."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding
from kubelint.model.k8s import Container, KubeObject, PodSpec
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

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


@check("k8s-seccomp", rules=("seccomp-profile",))
def run(ctx: CheckContext) -> Iterable[Finding]:
    if not ctx.enabled(RULE):
        return
    allowed = [str(t) for t in ctx.param(RULE, "allowed", ["RuntimeDefault", "Localhost"]) or []]
    legacy = bool(ctx.param(RULE, "legacy-annotations", True))
    for obj in ctx.scan.objects:
        spec = obj.pod_spec
        if spec is None or is_windows(spec):
            continue
        # A bad pod-level value is reported once, naming every container that inherits it.
        inherited: dict[tuple, list[str]] = {}
        for c in spec.containers:
            verdict = _decide(spec, c, allowed, legacy)
            if verdict is None:
                continue
            path, what, own = verdict
            if own:
                yield ctx.finding(RULE, obj, path, f"container '{c.name}' {what}", key=path == c.path)
            else:
                inherited.setdefault((path, what), []).append(c.name)
        for (path, what), names in inherited.items():
            who = ", ".join(f"'{n}'" for n in names)
            verb = "inherit" if len(names) > 1 else "inherits"
            yield ctx.finding(RULE, obj, path, f"container{'s' if len(names) > 1 else ''} {who} "
                              f"{verb} {what}")


def _decide(spec: PodSpec, c: Container, allowed, legacy) -> tuple[tuple, str, bool] | None:
    """None when the container is confined, else (path of the deciding value, what is wrong,
    whether the value is the container's own)."""
    profile_path = ("securityContext", "seccompProfile", "type")
    use = f"; use one of {', '.join(allowed)}"
    own = _profile_type(c.data)
    if own is not None:
        if str(own) in allowed:
            return None
        return c.path + profile_path, f"sets seccomp profile {own}{use}", True
    from_pod = _profile_type(spec.data)
    if from_pod is not None:
        if str(from_pod) in allowed:
            return None
        return spec.path + profile_path, f"seccomp profile {from_pod} from the pod{use}", False
    if legacy:
        annotations = spec.annotations
        for key in (CONTAINER_ANNOTATION + c.name, POD_ANNOTATION):
            value = annotations.get(key)
            if value is None:
                continue
            if str(value).startswith(_CONFINED_ANNOTATION):
                return None
            path = spec.template_metadata_path + ("annotations", key)
            if key == POD_ANNOTATION:
                return path, f"seccomp profile '{value}' from the annotation {key}", False
            return path, f"runs with seccomp profile '{value}' (annotation {key})", True
    return c.path, ("has no seccomp profile and runs unconfined; set "
                    "securityContext.seccompProfile.type: RuntimeDefault on the pod or the container"), True
