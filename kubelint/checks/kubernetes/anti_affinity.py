"""`no-anti-affinity`: a replicated workload whose pods nothing keeps apart. A podAntiAffinity
counts only through a term that selects the workload's own pods (as kube-linter and kube-score
judge it): a term against another app's pods spreads nothing of this one. Spread constraints
count as they are written; invalid-topology-spread judges their selectors."""

from __future__ import annotations

from typing import Any, Iterable

from kubelint.findings import Finding
from kubelint.index.labels import clean_labels, describe_labels, label_selector
from kubelint.index.objects import generated_labels
from kubelint.index.patches import partial_objects
from kubelint.index.workloads import replica_count
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "no-anti-affinity"


@check("k8s-anti-affinity", rules=(RULE,), fills=("value", "labels"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    minimum = replica_count(ctx.param(RULE, "min-replicas", 2)) or 2
    partial = partial_objects(ctx.scan)
    for obj in ctx.objects(ctx.kinds(RULE)):
        spec = obj.pod_spec
        replicas = replica_count(obj.get("spec", "replicas"))
        # A patch carries only the fields it changes: the affinity may be in its base.
        if spec is None or replicas is None or replicas < minimum or id(obj) in partial:
            continue
        if isinstance(spec.data.get("topologySpreadConstraints"), list) and spec.data["topologySpreadConstraints"]:
            continue
        affinity = spec.data.get("affinity")
        anti = affinity.get("podAntiAffinity") if isinstance(affinity, dict) else None
        if not isinstance(anti, dict):
            yield ctx.finding(RULE, obj, ("spec", "replicas"), value=replicas)
            continue
        terms = list(_terms(anti))
        labels = clean_labels(spec.labels)
        if any(_spreads(obj, term, labels) for term in terms):
            continue
        yield ctx.finding(RULE, obj, spec.path + ("affinity", "podAntiAffinity"), key=True, variant="not-own",
                          value=replicas, labels=describe_labels(labels) if labels else "no labels")


def _terms(anti: dict) -> Iterable[dict]:
    for item in _list(anti.get("requiredDuringSchedulingIgnoredDuringExecution")):
        yield item
    for item in _list(anti.get("preferredDuringSchedulingIgnoredDuringExecution")):
        term = item.get("podAffinityTerm")
        if isinstance(term, dict):
            yield term


def _list(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _spreads(obj: KubeObject, term: dict, labels: dict) -> bool:
    """Whether the term keeps this workload's pods apart (given the benefit of the doubt when
    its selector or the pod labels cannot be read, or are templated)."""
    namespaces = term.get("namespaces")
    if isinstance(namespaces, list) and namespaces and obj.namespace and obj.namespace not in namespaces:
        return False
    if term.get("labelSelector") is None:
        # No selector matches no pods at all.
        return False
    selector = label_selector(term["labelSelector"])
    if selector is None or not labels:
        return True
    return selector.matches(labels, generated_labels(obj, obj.kind))
