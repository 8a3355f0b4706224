"""`capabilities-not-dropped`: a container that keeps some of the capabilities the container
runtime grants by default. Passing needs `drop: [ALL]` or every capability of the param list;
"every item of a param list" is not something a condition can say, and the message names the
capabilities still kept."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding
from kubelint.index.patches import partial_objects
from kubelint.model.k8s import Container, PodSpec
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "capabilities-not-dropped"


def _windows(spec: PodSpec) -> bool:
    """Capabilities are a Linux mechanism: a Windows pod has none to drop."""
    os_ = spec.data.get("os")
    selector = spec.data.get("nodeSelector")
    return ((isinstance(os_, dict) and os_.get("name") == "windows")
            or (isinstance(selector, dict) and selector.get("kubernetes.io/os") == "windows"))


def _names(value) -> set[str]:
    """Capability names as the runtime reads them: upper case, with or without CAP_."""
    out = set()
    for item in value if isinstance(value, list) else ():
        if isinstance(item, str):
            name = item.strip().upper()
            out.add(name.removeprefix("CAP_"))
    return out


@check("k8s-capabilities", rules=(RULE,), fills=("container", "kept"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    listed = [str(c).strip().upper().removeprefix("CAP_") for c in ctx.param(RULE, "capabilities", []) or []]
    partial = partial_objects(ctx.scan)
    for obj in ctx.objects(ctx.kinds(RULE)):
        spec = obj.pod_spec
        if spec is None or _windows(spec):
            continue
        for container in spec.containers:
            yield _judge(ctx, container, listed, id(obj) in partial)


def _judge(ctx: CheckContext, container: Container, listed: list[str], partial: bool) -> Finding | None:
    # A privileged container has every capability whatever it drops: privileged-container's.
    if container.get("securityContext", "privileged") is True:
        return None
    drop = container.get("securityContext", "capabilities", "drop")
    if drop is None and partial:
        return None  # a patch leaves the security context to the base it is merged into
    dropped = _names(drop)
    kept = [c for c in listed if c not in dropped]
    if "ALL" in dropped or not kept:
        return None
    path = container.path + ("securityContext", "capabilities", "drop")
    if isinstance(drop, list) and drop:
        path += (0,)
    variant = None if dropped & set(listed) else "none"
    return ctx.finding(RULE, container.obj, path, variant=variant, container=container.name, kept=kept)
