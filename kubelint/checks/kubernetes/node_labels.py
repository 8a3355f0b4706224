"""`deprecated-node-labels`: a node label Kubernetes replaced by a GA one, where a pod (or a
PersistentVolume, a StorageClass) selects nodes or spreads over them by that label: nodeSelector
keys, node affinity expressions, the topologyKey of pod (anti-)affinity and of topology spread
constraints. Each occurrence is one finding, at the label as written."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from kubelint.findings import Finding
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "deprecated-node-labels"

# The beta labels and the GA ones nodes have carried instead (kubelet: arch/os since 1.14,
# instance-type and topology zone/region since 1.17).
REPLACEMENTS = {
    "beta.kubernetes.io/arch": "kubernetes.io/arch",
    "beta.kubernetes.io/os": "kubernetes.io/os",
    "beta.kubernetes.io/instance-type": "node.kubernetes.io/instance-type",
    "failure-domain.beta.kubernetes.io/zone": "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region": "topology.kubernetes.io/region",
}

# (path, is the label a mapping key, where), "*" standing for each item of a list.
_TERMS = ("nodeSelectorTerms", "*", "matchExpressions", "*", "key")
_POD_PLACES = (
    (("nodeSelector", "*"), True, "nodeSelector"),
    (("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution") + _TERMS, False, "node affinity"),
    (("affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", "*", "preference",
      "matchExpressions", "*", "key"), False, "node affinity"),
    *((("affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution", "*", "topologyKey"), False, where)
      for kind, where in (("podAffinity", "pod affinity"), ("podAntiAffinity", "pod anti-affinity"))),
    *((("affinity", kind, "preferredDuringSchedulingIgnoredDuringExecution", "*", "podAffinityTerm", "topologyKey"),
       False, where) for kind, where in (("podAffinity", "pod affinity"), ("podAntiAffinity", "pod anti-affinity"))),
    (("topologySpreadConstraints", "*", "topologyKey"), False, "topologySpreadConstraints"),
)
_POD_KEYS = frozenset(p[0][0] for p in _POD_PLACES)
_KIND_PLACES = {
    "PersistentVolume": ((("spec", "nodeAffinity", "required") + _TERMS, False, "node affinity"),),
    "StorageClass": ((("allowedTopologies", "*", "matchLabelExpressions", "*", "key"), False, "allowedTopologies"),),
}


@check("k8s-node-labels", rules=(RULE,), fills=("label", "replacement", "where"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    for obj in ctx.objects(ctx.kinds(RULE)):
        # (base path, the data there, pattern, is_key, where); the pod spec is looked up once.
        places: list[tuple[tuple, Any, tuple, bool, str]] = []
        spec = obj.pod_spec
        if spec is not None:
            pod = obj.get(*spec.path)
            if isinstance(pod, dict) and not _POD_KEYS.isdisjoint(pod):  # most pods place nothing
                places += [(spec.path, pod, p, k, w) for p, k, w in _POD_PLACES]
        places += [((), obj.data, p, k, w) for p, k, w in _KIND_PLACES.get(obj.kind, ())]
        for base, data, pattern, is_key, where in places:
            for path, label in _walk(data, pattern, is_key):
                if isinstance(label, str) and label in REPLACEMENTS:
                    yield ctx.finding(RULE, obj, base + path, key=is_key, label=label,
                                      replacement=REPLACEMENTS[label], where=where)


def _walk(data: Any, pattern: tuple, is_key: bool, at: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, label) for each place the pattern names: with is_key, the last "*" is the keys of
    a mapping; other "*"s are the items of a list."""
    if not pattern:
        yield at, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*" and not rest and is_key:
        if isinstance(data, dict):
            for key in data:
                yield at + (key,), key
        return
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _walk(item, rest, is_key, at + (i,))
        return
    if isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest, is_key, at + (head,))
