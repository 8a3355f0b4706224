"""Workloads that no object of a protecting kind selects: no PodDisruptionBudget for a replicated
Deployment or StatefulSet, no NetworkPolicy for a pod when its namespace has policies.

Rules: missing-pdb, missing-network-policy.
"""

from __future__ import annotations

from kubelint.index.common import should_report_missing
from kubelint.index.labels import clean_labels, label_selector
from kubelint.index.objects import ObjectIndex, index_of
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

PDB, NETPOL = "missing-pdb", "missing-network-policy"


@check("cross-coverage", rules=(PDB, NETPOL), fills=("replicas",))
def run(ctx: CheckContext):
    if not (ctx.enabled(PDB) or ctx.enabled(NETPOL)):
        return
    index = index_of(ctx)
    pdb_kinds, netpol_kinds = ctx.kinds(PDB), ctx.kinds(NETPOL)
    for obj in index.objects:
        spec = obj.pod_spec
        if spec is None or spec.partial:
            continue
        ctx.in_file(obj.file)
        labels = clean_labels(spec.labels)
        kind = index.kind(obj)
        if ctx.enabled(PDB) and (pdb_kinds is None or kind in pdb_kinds):
            replicas = obj.get("spec", "replicas")
            if isinstance(replicas, int) and not isinstance(replicas, bool) and replicas > 1 \
                    and not _selected(index, obj, "PodDisruptionBudget", ("spec", "selector"), labels):
                yield ctx.finding(PDB, obj, ("spec", "replicas"), replicas=replicas)
        if ctx.enabled(NETPOL) and (netpol_kinds is None or kind in netpol_kinds) \
                and should_report_missing(index, "NetworkPolicy", obj.namespace, obj) \
                and not _selected(index, obj, "NetworkPolicy", ("spec", "podSelector"), labels):
            yield ctx.finding(NETPOL, obj, spec.template_metadata_path, key=True)


def _selected(index: ObjectIndex, obj: KubeObject, kind: str, path: tuple, labels: dict) -> bool:
    """Whether an object of `kind` in the workload's namespace selects its pods. A selector that
    cannot be read counts as selecting (the schema rules report it)."""
    for other in index.all_of(kind, obj.namespace, obj):
        if index.is_patch(other):
            continue
        selector = label_selector(other.effective(*path))
        if selector is None or selector.matches(labels):
            return True
    return False
