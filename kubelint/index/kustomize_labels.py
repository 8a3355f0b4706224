"""The labels a Kustomization writes on the objects it builds: `commonLabels`, and `labels:`
entries (`pairs`, with `includeSelectors` and `includeTemplates`), as `kustomize build` applies
them, so that selector rules judge the selectors and pod labels of the built objects.

Which fields get the labels follows kustomize's built-in field specs: `metadata.labels` of every
object; with `commonLabels` or `includeSelectors: true` also the selectors and pod template labels
of Services, ReplicationControllers, Deployments, ReplicaSets, DaemonSets and StatefulSets
(created when missing), and of Jobs, CronJobs, PodDisruptionBudgets and NetworkPolicies (only
where the selector's `matchLabels` is already written); with `includeTemplates: true` the pod
template labels (`spec.template.metadata.labels`, where written). Pod affinity terms and
volumeClaimTemplates, which no rule reads as a selector, are left out.

A Kustomization listed by another (a base) is built as part of it: the labels of every
Kustomization on the way from the top one down to the file apply, the outer ones last (they win
a conflict). A file that two top-level Kustomizations build (one base, two overlays) gets only
the labels on which every build agrees. A component's labels reach every resource of the
Kustomization that lists it (its own labels win a conflict).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Iterator

from kubelint.index.patches import KUSTOMIZE_GROUP, kustomization_entries, logical_path
from kubelint.model.k8s import KubeObject

# (kinds, API groups or None for any, path with "*" for list items, created when missing)
_SELECTOR_SPECS: tuple[tuple[tuple[str, ...], tuple[str, ...] | None, tuple, bool], ...] = (
    (("Service", "ReplicationController"), ("",), ("spec", "selector"), True),
    (("Deployment", "ReplicaSet", "DaemonSet"), None, ("spec", "selector", "matchLabels"), True),
    (("StatefulSet",), ("apps",), ("spec", "selector", "matchLabels"), True),
    (("Job",), ("batch",), ("spec", "selector", "matchLabels"), False),
    (("CronJob",), ("batch",), ("spec", "jobTemplate", "spec", "selector", "matchLabels"), False),
    (("PodDisruptionBudget",), ("policy",), ("spec", "selector", "matchLabels"), False),
    (("NetworkPolicy",), ("networking.k8s.io",), ("spec", "podSelector", "matchLabels"), False),
    (("NetworkPolicy",), ("networking.k8s.io",), ("spec", "ingress", "*", "from", "*", "podSelector", "matchLabels"), False),
    (("NetworkPolicy",), ("networking.k8s.io",), ("spec", "egress", "*", "to", "*", "podSelector", "matchLabels"), False),
)
_TEMPLATE_SPECS: tuple[tuple[tuple[str, ...], tuple[str, ...] | None, tuple, bool], ...] = (
    (("ReplicationController",), ("",), ("spec", "template", "metadata", "labels"), True),
    (("Deployment", "ReplicaSet", "DaemonSet"), None, ("spec", "template", "metadata", "labels"), True),
    (("StatefulSet",), ("apps",), ("spec", "template", "metadata", "labels"), True),
    (("Job",), ("batch",), ("spec", "template", "metadata", "labels"), True),
    (("CronJob",), ("batch",), ("spec", "jobTemplate", "metadata", "labels"), True),
    (("CronJob",), ("batch",), ("spec", "jobTemplate", "spec", "template", "metadata", "labels"), True),
)


@dataclass
class Labels:
    """Labels one build writes, by where they go."""

    meta: dict = field(default_factory=dict)
    selector: dict = field(default_factory=dict)  # selectors and pod templates
    template: dict = field(default_factory=dict)  # pod templates only, where written

    def __bool__(self) -> bool:
        return bool(self.meta or self.selector or self.template)

    def under(self, outer: "Labels") -> "Labels":
        """These labels, then `outer`'s written over them (an overlay over its base)."""
        return Labels({**self.meta, **outer.meta}, {**self.selector, **outer.selector},
                      {**self.template, **outer.template})

    def agreed(self, other: "Labels") -> "Labels":
        return Labels(_common(self.meta, other.meta), _common(self.selector, other.selector),
                      _common(self.template, other.template))


def _common(a: dict, b: dict) -> dict:
    return {k: v for k, v in a.items() if b.get(k) == v}


def labels_of(data: dict) -> Labels:
    """What one Kustomization's `commonLabels` and `labels:` write."""
    out = Labels()
    common = data.get("commonLabels")
    if isinstance(common, dict):
        pairs = _text_map(common)
        out.meta.update(pairs)
        out.selector.update(pairs)
    entries = data.get("labels")
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("pairs"), dict):
            continue
        pairs = _text_map(entry["pairs"])
        out.meta.update(pairs)
        if entry.get("includeSelectors") is True:
            out.selector.update(pairs)
        elif entry.get("includeTemplates") is True:
            out.template.update(pairs)
    return out


def _text_map(value: dict) -> dict:
    return {str(k): ("true" if v is True else "false" if v is False else "" if v is None else str(v))
            for k, v in value.items()}


def apply_kustomize_labels(scan) -> None:
    """Once per scan, before any rule runs: see place_kustomize_labels."""
    scan.cached("index.kustomize-labels", lambda scan: place_kustomize_labels(scan.objects))


def place_kustomize_labels(objects: list[KubeObject]) -> bool:
    """Give each object the labels the Kustomizations that build its file write
    (`KubeObject.kustomize_labels`, read through `KubeObject.effective`)."""
    kustomizations: dict[str, dict] = {}
    for obj in objects:
        if obj.group == KUSTOMIZE_GROUP and obj.kind in ("Kustomization", "Component"):
            kustomizations[posixpath.dirname(logical_path(obj.doc.source.path))] = obj.data
    if not any(labels_of(data) for data in kustomizations.values()):
        return False
    listed = {d for directory in kustomizations for d in _listed_dirs(directory, kustomizations)}
    builds: dict[str, list[Labels]] = {}
    for root in kustomizations:
        if root not in listed:
            for path, labels in _files(root, kustomizations, Labels(), ()):
                builds.setdefault(path, []).append(labels)
    for obj in objects:
        found = builds.get(logical_path(obj.doc.source.path))
        if not found or obj.group == KUSTOMIZE_GROUP:
            continue
        agreed = found[0]
        for other in found[1:]:
            agreed = agreed.agreed(other)
        if agreed:
            obj.kustomize_labels = placed_labels(obj, agreed)
    return True


def placed_labels(obj: KubeObject, labels: Labels) -> dict[tuple, dict]:
    """path of a label map in the object -> the labels kustomize writes there."""
    out: dict[tuple, dict] = {}
    if labels.meta:
        out[("metadata", "labels")] = dict(labels.meta)
    kind, group = obj.kind, obj.group
    if labels.selector:
        for kinds, groups, path, create in _SELECTOR_SPECS + _TEMPLATE_SPECS:
            if kind in kinds and (groups is None or group in groups):
                for concrete in _expand(obj.data, path, create):
                    out.setdefault(concrete, {}).update(labels.selector)
    # includeTemplates writes pod labels where they are written (in the file, or by selector labels)
    template = ("spec", "template", "metadata", "labels")
    if labels.template and (template in out or _get(obj.data, template) is not None):
        out.setdefault(template, {}).update(labels.template)
    return out


def _expand(data: Any, path: tuple, create: bool) -> Iterator[tuple]:
    """The concrete paths of a field spec in the object: list items for "*"; a missing field is
    a place only when the spec creates it (and not below a list)."""
    if not path:
        yield ()
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for i, item in enumerate(data if isinstance(data, list) else ()):
            for tail in _expand(item, rest, create):
                yield (i,) + tail
        return
    value = data.get(head) if isinstance(data, dict) else None
    if value is None:
        if create and (data is None or isinstance(data, dict)) and "*" not in rest:
            yield path
        return
    for tail in _expand(value, rest, create):
        yield (head,) + tail


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _listed_dirs(directory: str, kustomizations: dict) -> Iterator[str]:
    for path, is_file in kustomization_entries(directory, kustomizations[directory]):
        if not is_file and path in kustomizations:
            yield path


def _files(directory: str, kustomizations: dict, outer: Labels, stack: tuple) -> Iterator[tuple[str, Labels]]:
    """(file, the labels written on its objects) for every resource file a build reaches."""
    if directory in stack:
        return  # kustomize refuses a cycle; so do we, quietly
    data = kustomizations[directory]
    own = labels_of(data)
    # A component's transformers run on everything its parent has gathered, before the parent's own.
    components = data.get("components")
    for entry in components if isinstance(components, list) else ():
        path = posixpath.normpath(posixpath.join(directory, entry)) if isinstance(entry, str) else None
        if path in kustomizations and path not in stack:
            own = labels_of(kustomizations[path]).under(own)
    labels = own.under(outer)
    for path, is_file in kustomization_entries(directory, kustomizations[directory]):
        if path in kustomizations:
            yield from _files(path, kustomizations, labels, stack + (directory,))
        elif is_file:
            yield path, labels
