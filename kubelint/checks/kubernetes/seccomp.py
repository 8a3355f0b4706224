"""`seccomp-profile`: every container must run under a seccomp profile (RuntimeDefault or
Localhost), deciding per container the way the kubelet does: the container's
`securityContext.seccompProfile`, else the pod's, else (optionally) the legacy annotations on the
pod template — the per-container one naming the container, which no rule path can express."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from kubelint.findings import Finding
from kubelint.model.k8s import Container, PodSpec
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


@dataclass(frozen=True)
class _Verdict:
    """Why a container runs unconfined: the deciding value's path, which message variant tells
    it, and whether the value is the container's own (else the pod's, shared by its containers)."""

    path: tuple
    variant: str | None
    own: bool
    profile: str | None = None
    annotation: str | None = None


@check("k8s-seccomp", rules=(RULE,), fills=("container", "containers", "profile", "annotation", "allowed"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    allowed = [str(t) for t in ctx.param(RULE, "allowed", ["RuntimeDefault", "Localhost"]) or []]
    legacy = bool(ctx.param(RULE, "legacy-annotations", True))
    for obj in ctx.objects(ctx.kinds(RULE)):
        spec = obj.pod_spec
        if spec is None or is_windows(spec):
            continue
        # A bad pod-level value is reported once, naming every container that inherits it.
        inherited: dict[_Verdict, list[str]] = {}
        for c in spec.containers:
            verdict = _decide(spec, c, allowed, legacy)
            if verdict is None:
                continue
            if verdict.own:
                # No profile anywhere (variant None) is decided by absence: a patch leaves it alone.
                yield ctx.finding(RULE, obj, verdict.path, key=verdict.path == c.path, variant=verdict.variant,
                                  absent=verdict.variant is None,
                                  container=c.name, profile=verdict.profile, annotation=verdict.annotation,
                                  allowed=allowed)
            else:
                inherited.setdefault(verdict, []).append(c.name)
        for verdict, names in inherited.items():
            many = len(names) > 1
            yield ctx.finding(RULE, obj, verdict.path, variant=f"{verdict.variant}{'-many' if many else ''}",
                              container=names[0], containers=[f"'{n}'" for n in names],
                              profile=verdict.profile, annotation=verdict.annotation, allowed=allowed)


def _decide(spec: PodSpec, c: Container, allowed: list[str], legacy: bool) -> _Verdict | None:
    """None when the container is confined, else why not."""
    profile_path = ("securityContext", "seccompProfile", "type")
    own = _profile_type(c.data)
    if own is not None:
        if str(own) in allowed:
            return None
        return _Verdict(c.path + profile_path, "container-profile", True, profile=str(own))
    from_pod = _profile_type(spec.data)
    if from_pod is not None:
        if str(from_pod) in allowed:
            return None
        return _Verdict(spec.path + profile_path, "pod-profile", False, profile=str(from_pod))
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
                return _Verdict(path, "pod-annotation", False, profile=str(value), annotation=key)
            return _Verdict(path, "container-annotation", True, profile=str(value), annotation=key)
    return _Verdict(c.path, None, True)
