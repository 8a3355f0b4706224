"""`single-replica`: a Deployment or StatefulSet that runs one replica — unless an autoscaler in
the scan (a HorizontalPodAutoscaler, or a KEDA ScaledObject) owns its replica count, in which
case an unset `replicas` is the recommended way to write it (see `hpa-min-replicas`)."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding
from kubelint.index.objects import index_of
from kubelint.index.workloads import is_autoscaled, replica_count
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "single-replica"


@check("k8s-replicas", rules=(RULE,), fills=("replicas", "minimum"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    minimum = replica_count(ctx.param(RULE, "min-replicas", 2)) or 2
    index = index_of(ctx)
    for obj in ctx.objects(ctx.kinds(RULE)):
        spec = obj.get("spec")
        if not isinstance(spec, dict) or is_autoscaled(index, obj):
            continue
        if spec.get("replicas") is None:
            yield ctx.finding(RULE, obj, ("spec",), key=True, variant="unset", absent=True)
            continue
        replicas = replica_count(spec["replicas"])
        # replicas: 0 is a deliberate scale-down, not a single point of failure.
        if replicas is not None and 0 < replicas < minimum:
            yield ctx.finding(RULE, obj, ("spec", "replicas"), replicas=replicas, minimum=minimum)
