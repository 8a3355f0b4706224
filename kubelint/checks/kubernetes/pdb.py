"""`pdb-blocks-eviction`: a PodDisruptionBudget that no eviction can satisfy — `maxUnavailable`
0 or 0%, `minAvailable` 100%, or a `minAvailable` number not below the replicas of the
workloads it selects (looked up with the cross-object index, so it needs those workloads in the
scan; autoscaled workloads and kinds without a fixed count are not judged).

`pdb-hpa-min-replicas`: the autoscaled case — a `minAvailable` (number or percentage) that
reaches the pods the selected workloads keep at their HorizontalPodAutoscalers' `minReplicas`,
so no eviction is possible whenever the autoscaler has scaled down to its minimum."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding, Related
from kubelint.index.labels import label_selector
from kubelint.index.objects import ObjectIndex, index_of
from kubelint.index.workloads import autoscalers_of, is_autoscaled, replica_count
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "pdb-blocks-eviction"
HPA_RULE = "pdb-hpa-min-replicas"
REPLICATED = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")


def _is_zero(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool) and value == 0) or value in ("0", "0%")


def _pods(index: ObjectIndex, obj: KubeObject, workload: KubeObject) -> int | None:
    """How many pods the workload keeps, or None when that is not fixed by the manifest."""
    if workload.kind == "Pod":
        return 1
    if workload.kind not in REPLICATED or is_autoscaled(index, workload):
        return None
    replicas = workload.get("spec", "replicas")
    return 1 if replicas is None else replica_count(replicas)


@check("k8s-pdb", rules=(RULE, HPA_RULE), fills=("value", "pods", "workloads", "needed", "hpa", "hpa_at"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    if ctx.enabled(RULE):
        yield from _blocks_eviction(ctx)
    if ctx.enabled(HPA_RULE):
        yield from _above_hpa_minimum(ctx)


def _blocks_eviction(ctx: CheckContext) -> Iterable[Finding | None]:
    index = None
    for obj in ctx.objects(ctx.kinds(RULE)):
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            continue
        max_unavailable, min_available = spec.get("maxUnavailable"), spec.get("minAvailable")
        if _is_zero(max_unavailable):
            yield ctx.finding(RULE, obj, ("spec", "maxUnavailable"), value=max_unavailable)
        elif min_available == "100%":
            yield ctx.finding(RULE, obj, ("spec", "minAvailable"), value=min_available)
        elif isinstance(min_available, int) and not isinstance(min_available, bool) and min_available > 0:
            selector = label_selector(obj.effective("spec", "selector"))
            if selector is None or selector.empty:
                continue
            index = index or index_of(ctx)
            workloads = [t.obj for t in index.matching(selector, obj.namespace, obj)]
            counts = [_pods(index, obj, w) for w in workloads]
            fixed = [c for c in counts if c is not None]
            if not workloads or len(fixed) < len(counts) or min_available < sum(fixed):
                continue
            yield ctx.finding(
                RULE, obj, ("spec", "minAvailable"), variant="replicas", value=min_available, pods=sum(fixed),
                workloads=[f"{w.kind} '{w.name}'" for w in workloads],
                related=[Related(w.file, w.locate(("kind",), key=True).line, f"{w.kind} '{w.name}'") for w in workloads])


def _min_available(value) -> tuple[int, bool] | None:
    """(number, is a percentage) of a minAvailable; None for what is not one (placeholders)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value, False
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        return int(value[:-1]), True
    return None


def _above_hpa_minimum(ctx: CheckContext) -> Iterable[Finding | None]:
    equal = bool(ctx.param(HPA_RULE, "equal", True))
    index = None
    for obj in ctx.objects(ctx.kinds(HPA_RULE)):
        raw = obj.get("spec", "minAvailable")
        parsed = _min_available(raw)
        if parsed is None or raw == "100%":  # 100% is pdb-blocks-eviction's, whatever the scale
            continue
        selector = label_selector(obj.effective("spec", "selector"))
        if selector is None or selector.empty:
            continue
        index = index or index_of(ctx)
        workloads = list({id(t.obj): t.obj for t in index.matching(selector, obj.namespace, obj)}.values())
        pods, scalers = 0, []
        for workload in workloads:
            hpas = autoscalers_of(index, workload, ("HorizontalPodAutoscaler",))
            if hpas:
                minimum = replica_count(hpas[0].get("spec", "minReplicas") or 1)
                if minimum is None:
                    break  # a placeholder: the minimum is not known
                pods += minimum
                scalers.append(hpas[0])
                continue
            fixed = _pods(index, obj, workload)
            if fixed is None:
                break  # a workload whose pod count the manifests do not fix
            pods += fixed
        else:
            if not scalers or pods <= 0:
                continue  # no autoscaler: pdb-blocks-eviction judges fixed counts
            number, percent = parsed
            # The disruption controller rounds a percentage of the expected pods up.
            needed = -(-number * pods // 100) if percent else number
            if needed > pods or (equal and needed == pods):
                hpa = scalers[0]
                yield ctx.finding(
                    HPA_RULE, obj, ("spec", "minAvailable"), variant="percent" if percent else None, value=raw,
                    needed=needed, pods=pods, hpa=str(hpa.name), hpa_at=f"{hpa.file}:{hpa.locate(('spec', 'minReplicas')).line}",
                    workloads=[f"{w.kind} '{w.name}'" for w in workloads],
                    related=[Related(h.file, h.locate(("spec", "minReplicas")).line,
                                     f"HorizontalPodAutoscaler '{h.name}' minReplicas") for h in scalers])
