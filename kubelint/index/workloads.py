"""Workloads and what scales them: shared by the rules about replicas and disruption budgets."""

from __future__ import annotations

from kubelint.index.objects import ObjectIndex
from kubelint.model.numbers import small_int

AUTOSCALERS = ("HorizontalPodAutoscaler", "ScaledObject")  # KEDA's defaults to a Deployment


def is_autoscaled(index: ObjectIndex, obj) -> bool:
    """Whether an autoscaler the workload can see (the cross-object index's visibility: its
    namespace, or its directory for objects that fall into the default namespace) targets it."""
    return bool(autoscalers_of(index, obj))


def autoscalers_of(index: ObjectIndex, obj, kinds: tuple[str, ...] = AUTOSCALERS) -> list:
    """The autoscalers (of `kinds`) the workload can see that target it."""
    return [scaler for kind, scaler in _scalers_by_target(index).get((obj.kind, obj.name), ())
            if kind in kinds and any(s is scaler for s in index.find(kind, obj.namespace, str(scaler.name), obj))]


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


def replica_count(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return small_int(value)
    return None  # a template placeholder or garbage: nothing to judge
