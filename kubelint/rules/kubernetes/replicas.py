"""`single-replica`: a Deployment or StatefulSet that runs one replica — unless an autoscaler in
the scan (a HorizontalPodAutoscaler, or a KEDA ScaledObject) owns its replica count, in which
case an unset `replicas` is the recommended way to write it (see `hpa-min-replicas`)."""

from __future__ import annotations

from typing import Iterable

from kubelint.crossobject.index import ObjectIndex, index_of
from kubelint.findings import Finding
from kubelint.model.numbers import small_int
from kubelint.rules.context import CheckContext
from kubelint.rules.engine import kustomize_patches

RULE = "single-replica"
KINDS = ("Deployment", "StatefulSet")
AUTOSCALERS = ("HorizontalPodAutoscaler", "ScaledObject")  # KEDA's defaults to a Deployment


def _autoscaled(index: ObjectIndex, obj) -> bool:
    """Whether an autoscaler the workload can see (the cross-object index's visibility: its
    namespace, or its directory for objects that fall into the default namespace) targets it."""
    for kind, scaler in _scalers_by_target(index).get((obj.kind, obj.name), ()):
        if any(s is scaler for s in index.find(kind, obj.namespace, str(scaler.name), obj)):
            return True
    return False


def _scalers_by_target(index: ObjectIndex) -> dict:
    """(target kind, target name) -> [(autoscaler kind, autoscaler)], built once per index: a
    scan with thousands of workloads and autoscalers must not compare every pair."""
    cached = index.memo.get("scalers-by-target")
    if cached is None:
        cached = {}
        for kind in AUTOSCALERS:
            for scaler in index.every(kind):
                ref = scaler.get("spec", "scaleTargetRef")
                if isinstance(ref, dict):
                    target = (str(ref.get("kind") or "Deployment"), str(ref.get("name")))
                    cached.setdefault(target, []).append((kind, scaler))
        index.memo["scalers-by-target"] = cached
    return cached


def _count(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return small_int(value)
    return None  # a template placeholder or garbage: nothing to judge


def run(ctx: CheckContext) -> Iterable[Finding]:
    minimum = _count(ctx.param(RULE, "min-replicas", 2)) or 2
    index = index_of(ctx)
    patches = kustomize_patches(ctx.scan)
    for obj in ctx.scan.objects:
        spec = obj.get("spec")
        if obj.kind not in KINDS or not isinstance(spec, dict):
            continue
        if _autoscaled(index, obj):
            continue
        if spec.get("replicas") is None:
            if id(obj) in patches:  # a patch that leaves replicas alone
                continue
            yield ctx.finding(RULE, obj, ("spec",), key=True,
                              message=f"{obj.kind} '{obj.name}' sets no replicas, so it runs one")
            continue
        replicas = _count(spec["replicas"])
        # replicas: 0 is a deliberate scale-down, not a single point of failure.
        if replicas is not None and 0 < replicas < minimum:
            yield ctx.finding(RULE, obj, ("spec", "replicas"),
                              message=f"{obj.kind} '{obj.name}' runs {replicas} replica(s), fewer than {minimum}")
