"""`invalid-topology-spread`: a topologySpreadConstraints entry the scheduler cannot use as
written. One finding per constraint, with a variant naming what is wrong, so the message says
which field to fix (a condition rule has one message for all of them).

Missing required fields (maxSkew, topologyKey, whenUnsatisfiable) are schema-invalid's; this
check judges the values that are set, and the labelSelector, which the schema leaves optional
but without which the constraint counts no pods at all."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding
from kubelint.index.labels import clean_labels, label_selector
from kubelint.index.objects import generated_labels
from kubelint.index.patches import partial_objects
from kubelint.model.k8s import KubeObject, PodSpec
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "invalid-topology-spread"
WHEN = ("DoNotSchedule", "ScheduleAnyway")


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@check("k8s-topology-spread", rules=(RULE,), fills=("index", "value", "selector"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    partial = partial_objects(ctx.scan)
    for obj in ctx.objects(ctx.kinds(RULE)):
        spec = obj.pod_spec
        if spec is None:
            continue
        items = spec.data.get("topologySpreadConstraints")
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict):
                yield _judge(ctx, obj, spec, i, item, id(obj) in partial)


def _judge(ctx: CheckContext, obj: KubeObject, spec: PodSpec, i: int, item: dict, partial: bool) -> Finding | None:
    """The first problem of one constraint (its fields in the order a reader fixes them)."""
    here = spec.path + ("topologySpreadConstraints", i)
    skew = _int(item.get("maxSkew"))
    if skew is not None and skew < 1:
        return ctx.finding(RULE, obj, here + ("maxSkew",), variant="max-skew", index=i, value=skew)
    key = item.get("topologyKey")
    if isinstance(key, str) and not key.strip():
        return ctx.finding(RULE, obj, here + ("topologyKey",), variant="topology-key", index=i, value=key)
    when = item.get("whenUnsatisfiable")
    if isinstance(when, str) and when not in WHEN:
        return ctx.finding(RULE, obj, here + ("whenUnsatisfiable",), variant="when", index=i, value=when)
    domains = item.get("minDomains")
    count = _int(domains)
    if count is not None and count < 1:
        return ctx.finding(RULE, obj, here + ("minDomains",), variant="min-domains", index=i, value=domains)
    if domains is not None and when == "ScheduleAnyway":
        return ctx.finding(RULE, obj, here + ("minDomains",), variant="min-domains-anyway", index=i, value=domains)
    raw = item.get("labelSelector")
    if raw is None:
        # A patch may leave the selector to the base it is merged into.
        return None if partial else ctx.finding(RULE, obj, here, variant="no-selector", index=i)
    selector = label_selector(raw)
    labels = clean_labels(spec.labels)
    if selector is None or selector.empty or partial or not labels:
        return None
    if selector.matches(labels, generated_labels(obj, obj.kind)):
        return None
    return ctx.finding(RULE, obj, here + ("labelSelector",), key=True, variant="not-own", index=i,
                       selector=selector.describe())
