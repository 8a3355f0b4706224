"""The object index of a scan: objects by (kind, namespace, name) and pod templates by label,
built once per scan (`ctx.scan.cached`) and shared by every cross-object check.

Visibility. Objects that name their namespace meet by namespace across the whole scan. Objects
that name none get `--namespace` when applied, usually with `kubectl apply -n NS -f DIR`, so two
such files in different directories are not known to land together: unless the scan is
`--complete`, they meet only objects of their own directory (and explicitly namespaced ones).
This keeps unrelated example apps that all fall into `default` from matching each other.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from kubelint.crossobject.labels import Selector, clean_labels
from kubelint.model.k8s import KubeObject

# Built-in kinds by the API groups that define them. A kind of the same name from another group
# (Knative's Service, Calico's NetworkPolicy) is indexed as "Kind.group" and never confused.
BUILTIN_GROUPS = {
    "Pod": ("",), "Service": ("",), "Secret": ("",), "ConfigMap": ("",), "ServiceAccount": ("",),
    "PersistentVolumeClaim": ("",), "LimitRange": ("",), "ReplicationController": ("",),
    "Namespace": ("",), "Endpoints": ("",),
    "Deployment": ("apps", "extensions"), "DaemonSet": ("apps", "extensions"),
    "ReplicaSet": ("apps", "extensions"), "StatefulSet": ("apps",),
    "Job": ("batch",), "CronJob": ("batch",),
    "HorizontalPodAutoscaler": ("autoscaling",), "PodDisruptionBudget": ("policy",),
    "NetworkPolicy": ("networking.k8s.io", "extensions"), "Ingress": ("networking.k8s.io", "extensions"),
    "Role": ("rbac.authorization.k8s.io",), "ClusterRole": ("rbac.authorization.k8s.io",),
    "RoleBinding": ("rbac.authorization.k8s.io",), "ClusterRoleBinding": ("rbac.authorization.k8s.io",),
    "StorageClass": ("storage.k8s.io",),
}


def kind_of(obj: KubeObject) -> str:
    kind, group = obj.kind, obj.group
    groups = BUILTIN_GROUPS.get(kind)
    if groups is None or group in groups:
        return kind
    return f"{kind}.{group}"


def is_builtin(obj: KubeObject) -> bool:
    return obj.kind in BUILTIN_GROUPS and kind_of(obj) == obj.kind


@dataclass
class PodTemplate:
    """The pods an object makes: their labels and spec (a Pod is its own template)."""

    obj: KubeObject
    labels: dict

    @property
    def where(self) -> str:
        return f"{self.obj.file}:{self.obj.locate(self.obj.pod_spec.template_metadata_path).line}"


@dataclass
class Provided:
    """A Secret or ConfigMap that something else makes (a kustomize generator, a cert-manager
    Certificate, a SealedSecret...): it exists, but its keys are not known."""

    obj: KubeObject
    path: tuple
    how: str


@dataclass
class _Bucket:
    named: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))  # kind -> name -> [obj]
    pods: list = field(default_factory=list)
    by_label: dict = field(default_factory=lambda: defaultdict(list))  # (key, value) -> [PodTemplate]
    provided: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))  # kind -> name -> [Provided]


class ObjectIndex:
    def __init__(self, objects: Iterable[KubeObject], complete: bool):
        self.complete = complete
        self._buckets: dict[tuple, _Bucket] = defaultdict(_Bucket)
        for obj in objects:
            self._add(obj)

    # visibility -----------------------------------------------------------------------------
    def scope_of(self, obj: KubeObject) -> str | None:
        if self.complete or obj.namespace is None or obj.metadata.get("namespace"):
            return None
        return os.path.dirname(obj.doc.source.path)

    def _visible(self, namespace: str | None, seen_from: KubeObject) -> list[_Bucket]:
        keys = [(namespace, None)]
        scope = self.scope_of(seen_from)
        if scope is not None:
            keys.append((namespace, scope))
        return [self._buckets[k] for k in keys if k in self._buckets]

    # building -------------------------------------------------------------------------------
    def _add(self, obj: KubeObject) -> None:
        name = obj.name
        bucket = self._buckets[(obj.namespace, self.scope_of(obj))]
        if name is not None:
            bucket.named[kind_of(obj)][name].append(obj)
        spec = obj.pod_spec
        if spec is not None and obj.kind != "PodTemplate":
            template = PodTemplate(obj, clean_labels(spec.labels))
            bucket.pods.append(template)
            for pair in template.labels.items():
                bucket.by_label[pair].append(template)
        for kind, provided_name, path, how, namespace in _provides(obj):
            # A kustomization's own `namespace:` field places what it generates.
            target = bucket if namespace is None else self._buckets[(namespace, None)]
            target.provided[kind][provided_name].append(Provided(obj, path, how))

    # lookups ----------------------------------------------------------------------------------
    def find(self, kind: str, namespace: str | None, name: str, seen_from: KubeObject) -> list[KubeObject]:
        out = []
        for b in self._visible(namespace, seen_from):
            out.extend(b.named.get(kind, {}).get(name, ()))
        return out

    def provided(self, kind: str, namespace: str | None, name: str, seen_from: KubeObject) -> list[Provided]:
        out = []
        for b in self._visible(namespace, seen_from):
            out.extend(b.provided.get(kind, {}).get(name, ()))
        return out

    def all_of(self, kind: str, namespace: str | None, seen_from: KubeObject) -> list[KubeObject]:
        out = []
        for b in self._visible(namespace, seen_from):
            for objs in b.named.get(kind, {}).values():
                out.extend(objs)
        return out

    def count(self, kind: str, namespace: str | None, seen_from: KubeObject) -> int:
        return sum(len(objs) for b in self._visible(namespace, seen_from)
                   for objs in b.named.get(kind, {}).values())

    def names(self, kind: str, namespace: str | None, seen_from: KubeObject) -> list[str]:
        out = set()
        for b in self._visible(namespace, seen_from):
            out.update(b.named.get(kind, {}))
            out.update(b.provided.get(kind, {}))
        return sorted(out)

    def pods(self, namespace: str | None, seen_from: KubeObject) -> list[PodTemplate]:
        out = []
        for b in self._visible(namespace, seen_from):
            out.extend(b.pods)
        return out

    def matching(self, selector: Selector, namespace: str | None, seen_from: KubeObject) -> list[PodTemplate]:
        """Pod templates in the namespace whose labels the selector selects."""
        out = []
        for b in self._visible(namespace, seen_from):
            if selector.match_labels:
                # Start from the rarest matchLabels pair, then check the whole selector.
                candidates = min((b.by_label.get(pair, ()) for pair in selector.match_labels.items()), key=len)
            else:
                candidates = b.pods
            out.extend(t for t in candidates if selector.matches(t.labels))
        return out

    @cached_property
    def namespaces(self) -> set:
        return {ns for ns, _ in self._buckets}


def index_of(ctx) -> ObjectIndex:
    """The scan's index, built on first use."""
    return ctx.scan.cached("crossobject.index",
                           lambda scan: ObjectIndex(scan.objects, scan.options.complete))


# What makes Secrets and ConfigMaps besides the objects themselves ------------------------------
def _provides(obj: KubeObject):
    """(kind, name, path, how, namespace) for each Secret/ConfigMap an object generates;
    namespace None means the object's own."""
    kind, group = obj.kind, obj.group
    if kind == "Kustomization" and group.startswith("kustomize.config.k8s.io"):
        namespace = obj.get("namespace")
        namespace = str(namespace) if isinstance(namespace, str) and namespace else None
        for field_name, made in (("secretGenerator", "Secret"), ("configMapGenerator", "ConfigMap")):
            items = obj.get(field_name)
            for i, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, dict) and item.get("name"):
                    yield made, str(item["name"]), (field_name, i, "name"), f"kustomize {field_name}", namespace
    elif kind == "Certificate" and group.startswith("cert-manager.io"):
        name = obj.get("spec", "secretName")
        if name:
            yield "Secret", str(name), ("spec", "secretName"), "cert-manager Certificate", None
    elif kind == "SealedSecret" and group.startswith("bitnami.com"):
        name = obj.get("spec", "template", "metadata", "name") or obj.name
        if name:
            yield "Secret", str(name), ("metadata", "name"), "SealedSecret", None
    elif kind == "ExternalSecret":
        name = obj.get("spec", "target", "name") or obj.name
        if name:
            yield "Secret", str(name), ("spec", "target", "name"), "ExternalSecret", None
