"""`pdb-blocks-eviction`: a PodDisruptionBudget that no eviction can satisfy — `maxUnavailable`
0 or 0%, `minAvailable` 100%, or a `minAvailable` number not below the replicas of the
workloads it selects (looked up with the cross-object index, so it needs those workloads in the
scan; autoscaled workloads and kinds without a fixed count are not judged)."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding, Related
from kubelint.index.labels import label_selector
from kubelint.index.objects import ObjectIndex, index_of
from kubelint.index.workloads import is_autoscaled, replica_count
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "pdb-blocks-eviction"
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


@check("k8s-pdb", rules=(RULE,), fills=("value", "pods", "workloads"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
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
