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
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import AbstractSet

from kubelint.index.labels import Selector, clean_labels
from kubelint.index.patches import kustomize_patches
from kubelint.index.provided import (
    Provided,
    covers,
    grants,
    is_operator_resource,
    mentions,
    provides,
    strings,
)
from kubelint.index.refs import config_refs
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


@dataclass
class PodTemplate:
    """The pods an object makes: their labels and spec (a Pod is its own template)."""

    obj: KubeObject
    labels: dict
    generated: dict = field(default_factory=dict)  # labels the controller adds (key -> values | None)

    @property
    def where(self) -> str:
        return f"{self.obj.file}:{self.obj.locate(self.obj.pod().template_metadata_path).line}"


def generated_labels(obj: KubeObject, kind: str) -> dict:
    """Labels a built-in controller puts on the pods it makes, beside the template's own."""
    name = obj.name or ""
    if kind == "Deployment":
        return {"pod-template-hash": None}
    if kind == "StatefulSet":
        replicas = obj.get("spec", "replicas")
        count = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 1
        count = max(0, min(count, 1000))
        return {"statefulset.kubernetes.io/pod-name": {f"{name}-{i}" for i in range(count)},
                "apps.kubernetes.io/pod-index": {str(i) for i in range(count)},
                "controller-revision-hash": None}
    if kind == "DaemonSet":
        return {"controller-revision-hash": None, "pod-template-generation": None}
    if kind == "Job":
        return {"job-name": {name}, "batch.kubernetes.io/job-name": {name}, "controller-uid": None,
                "batch.kubernetes.io/controller-uid": None, "batch.kubernetes.io/job-completion-index": None}
    if kind == "CronJob":  # its Jobs are named after it plus a schedule suffix
        return {"job-name": None, "batch.kubernetes.io/job-name": None, "controller-uid": None,
                "batch.kubernetes.io/controller-uid": None}
    return {}


@dataclass
class _Bucket:
    named: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))  # kind -> name -> [obj]
    pods: list = field(default_factory=list)
    by_label: dict = field(default_factory=lambda: defaultdict(list))  # (key, value) -> [PodTemplate]
    by_generated_key: dict = field(default_factory=lambda: defaultdict(list))  # key -> [PodTemplate]
    provided: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))  # kind -> name -> [Provided]
    operator_resources: list = field(default_factory=list)
    services: list = field(default_factory=list)  # [(Service, its labels)]
    services_by_label: dict = field(default_factory=lambda: defaultdict(list))  # (key, value) -> [(Service, labels)]


class ObjectIndex:
    def __init__(self, objects: Iterable[KubeObject], complete: bool, default_namespace: str = "default",
                 patches: AbstractSet[int] = frozenset()):
        # A kustomize patch carries only what it changes: it is no object of the application to
        # look up or select, and what it leaves out proves nothing; what it sets is still checked.
        self.all_objects = list(objects)
        self._patches = patches
        self.objects = [obj for obj in self.all_objects if id(obj) not in patches]
        self.complete = complete
        self.default_namespace = default_namespace
        self._buckets: dict[tuple, _Bucket] = defaultdict(_Bucket)
        self.memo: dict = {}  # lookups that checks derive from the index, built once per scan
        self._kinds: dict[int, str] = {}  # id(obj) -> kind_of(obj), asked for again and again
        self._config_refs: dict[int, list] = {}
        self._creators: dict[tuple, list] = {}
        self._directories: dict[int, str] = {}  # id(source file) -> its directory
        for obj in self.objects:
            self._add(obj)

    def is_patch(self, obj: KubeObject) -> bool:
        return id(obj) in self._patches

    def kind(self, obj: KubeObject) -> str:
        kind = self._kinds.get(id(obj))
        if kind is None:
            kind = self._kinds[id(obj)] = kind_of(obj)
        return kind

    def config_refs(self, obj: KubeObject) -> list:
        """The Secret/ConfigMap references of a pod-bearing object, worked out once."""
        refs = self._config_refs.get(id(obj))
        if refs is None:
            spec = obj.pod_spec
            refs = self._config_refs[id(obj)] = config_refs(spec) if spec is not None else []
        return refs

    # visibility -----------------------------------------------------------------------------
    def scope_of(self, obj: KubeObject) -> str | None:
        """None: the object meets its whole namespace; else the directory it meets it in.
        Objects in the default namespace, named or not, are what unrelated example apps share."""
        if self.complete or obj.namespace is None:
            return None
        placed = obj.metadata.get("namespace") or obj.kustomize_namespace
        if placed and obj.namespace != self.default_namespace:
            return None
        return self._directory(obj)

    def _directory(self, obj: KubeObject) -> str:
        source = obj.doc.source
        directory = self._directories.get(id(source))
        if directory is None:
            directory = self._directories[id(source)] = file_directory(source.path)
        return directory

    def directory_scope(self, namespace: str | None, seen_from: KubeObject) -> str | None:
        """The directory a lookup from `seen_from` was confined to, when it was."""
        if self.complete or namespace is None or namespace != self.default_namespace:
            return None
        return self._directory(seen_from).replace(os.sep, "/")

    def elsewhere(self, kind: str, namespace: str | None, name: str, seen_from: KubeObject) -> list[KubeObject]:
        """Objects of that kind and name in the namespace that the lookup did not see (other
        directories' objects in the default namespace)."""
        seen = {id(b) for b in self._visible(namespace, seen_from)}
        return [obj for (ns, _), b in self._buckets.items() if ns == namespace and id(b) not in seen
                for obj in b.named.get(kind, {}).get(name, ())]

    def matching_elsewhere(self, selector: Selector, namespace: str | None, seen_from: KubeObject) -> list[PodTemplate]:
        """Pod templates the selector selects in directories the lookup did not see."""
        seen = {id(b) for b in self._visible(namespace, seen_from)}
        return [t for (ns, _), b in self._buckets.items() if ns == namespace and id(b) not in seen
                for t in _matching_in(b, selector)]

    def _visible_in(self, namespaces: Iterable[str | None] | None, seen_from: KubeObject) -> list[_Bucket]:
        """The buckets a lookup in several namespaces sees; None: every namespace of the scan."""
        if namespaces is None:
            return list(self._buckets.values())
        return [b for ns in dict.fromkeys(namespaces) for b in self._visible(ns, seen_from)]

    def _visible(self, namespace: str | None, seen_from: KubeObject) -> list[_Bucket]:
        keys: list[tuple[str | None, str | None]] = [(namespace, None)]
        if not self.complete and namespace is not None:
            keys.append((namespace, self._directory(seen_from)))
        return [self._buckets[k] for k in keys if k in self._buckets]

    # building -------------------------------------------------------------------------------
    def _add(self, obj: KubeObject) -> None:
        name = obj.name
        kind = self.kind(obj)
        bucket = self._buckets[(obj.namespace, self.scope_of(obj))]
        if name is not None:
            bucket.named[kind][name].append(obj)
        spec = obj.pod_spec
        if spec is not None and kind != "PodTemplate":
            template = PodTemplate(obj, clean_labels(spec.labels), generated_labels(obj, kind))
            bucket.pods.append(template)
            for pair in template.labels.items():
                bucket.by_label[pair].append(template)
            for key in template.generated:
                bucket.by_generated_key[key].append(template)
        elif name and is_operator_resource(obj, kind, BUILTIN_GROUPS):
            bucket.operator_resources.append(obj)
        if kind == "Service":  # by label, for the monitors that select Services (ServiceMonitor)
            entry = (obj, clean_labels(obj.labels))
            bucket.services.append(entry)
            for pair in entry[1].items():
                bucket.services_by_label[pair].append(entry)
        for kind, provided_name, path, how, namespace in provides(obj):
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

    def every(self, kind: str) -> list[KubeObject]:
        """Every object of the kind in the scan, whatever its namespace or directory."""
        return [o for b in self._buckets.values() for objs in b.named.get(kind, {}).values() for o in objs]

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
        """Pod templates in the namespace whose pods the selector selects."""
        out = []
        for b in self._visible(namespace, seen_from):
            out.extend(_matching_in(b, selector))
        return out

    def selects_any(self, selector: Selector, namespace: str | None, seen_from: KubeObject) -> bool:
        """Whether the selector selects some pod template of the namespace: stops at the first,
        where `matching` would list every one (a policy on a label all pods carry)."""
        return any(selector.matches(t.labels, t.generated)
                   for b in self._visible(namespace, seen_from) for t in _candidates(b, selector))

    # Services by their labels (what a ServiceMonitor selects) and lookups in several namespaces
    # (a monitor's namespaceSelector: `matchNames`, or None for `any: true`) -------------------
    def services_in(self, namespaces: Iterable[str | None] | None, seen_from: KubeObject) -> list[tuple[KubeObject, dict]]:
        """(Service, its labels) for the Services the lookup sees in those namespaces."""
        return [entry for b in self._visible_in(namespaces, seen_from) for entry in b.services]

    def matching_services(self, selector: Selector, namespaces: Iterable[str | None] | None,
                          seen_from: KubeObject) -> list[KubeObject]:
        """Services of those namespaces whose own labels the selector selects: the candidates are
        those holding the selector's rarest matchLabels pair, never every pair of objects."""
        return [svc for b in self._visible_in(namespaces, seen_from)
                for svc, labels in _service_candidates(b, selector) if selector.matches(labels)]

    def services_elsewhere(self, selector: Selector, namespaces: Iterable[str | None],
                           seen_from: KubeObject) -> list[KubeObject]:
        """Services the selector selects in directories the lookup did not see."""
        wanted = set(namespaces)
        seen = {id(b) for b in self._visible_in(wanted, seen_from)}
        return [svc for (ns, _), b in self._buckets.items() if ns in wanted and id(b) not in seen
                for svc, labels in _service_candidates(b, selector) if selector.matches(labels)]

    def pods_in(self, namespaces: Iterable[str | None] | None, seen_from: KubeObject) -> list[PodTemplate]:
        return [t for b in self._visible_in(namespaces, seen_from) for t in b.pods]

    def selects_any_in(self, selector: Selector, namespaces: Iterable[str | None] | None,
                       seen_from: KubeObject) -> bool:
        return any(selector.matches(t.labels, t.generated)
                   for b in self._visible_in(namespaces, seen_from) for t in _candidates(b, selector))

    def visibility(self, namespace: str | None, seen_from: KubeObject) -> tuple:
        """What a lookup from `seen_from` in `namespace` sees, as a hashable key: lookups with
        equal keys give equal answers, so checks can share them (`memo`)."""
        if self.complete or namespace is None:
            return (namespace,)
        return (namespace, self._directory(seen_from))

    # what operators and running components make -------------------------------------------------
    def operator_for_selector(self, selector: Selector, namespace: str | None,
                              seen_from: KubeObject) -> KubeObject | None:
        """A custom resource whose operator plausibly makes the selected pods: the selector names
        it (`prometheus: k8s`, `app: rook-ceph-mon` for CephCluster rook-ceph), or its own labels
        or pod-metadata labels satisfy the selector."""
        return self.operator_for_selector_in(selector, (namespace,), seen_from)

    def operator_for_selector_in(self, selector: Selector, namespaces: Iterable[str | None] | None,
                                 seen_from: KubeObject) -> KubeObject | None:
        """`operator_for_selector` over several namespaces (None: every namespace)."""
        values = set(selector.match_labels.values())
        for b in self._visible_in(namespaces, seen_from):
            for cr in b.operator_resources:
                name = cr.name or ""
                if any(v == name or v.startswith(name + "-") for v in values):
                    return cr
                labels = dict(cr.labels)
                labels.update(clean_labels(cr.get("spec", "podMetadata", "labels")))
                if labels and selector.matches(clean_labels(labels)):
                    return cr
        return None

    def operator_for_name(self, name: str, namespace: str | None, seen_from: KubeObject) -> KubeObject | None:
        """A custom resource an operator names objects after: `gke-pg-cluster-app` for Cluster
        gke-pg-cluster, `user.my-cluster.credentials...` for postgresql my-cluster."""
        parts = set(name.split("."))
        for b in self._visible(namespace, seen_from):
            for cr in b.operator_resources:
                cr_name = cr.name or ""
                if name == cr_name or name.startswith(cr_name + "-") or cr_name in parts:
                    return cr
        return None

    def created_at_run_time(self, kind: str, name: str, namespace: str | None,
                            seen_from: KubeObject) -> KubeObject | None:
        """The Role or workload that creates a Secret/ConfigMap at run time: a Role of the namespace
        may create that resource and names the object in resourceNames, or a workload running
        under such a Role passes the name in its command or args (certificate generator Jobs)."""
        resource = {"Secret": "secrets", "ConfigMap": "configmaps"}.get(kind)
        if resource is None:
            return None
        for role, names, workloads in self._creators_of(resource, namespace, seen_from):
            if name in names:
                return role
            for workload in workloads:
                if mentions(workload, name):
                    return workload
        return None

    def _creators_of(self, resource: str, namespace: str | None, seen_from: KubeObject) -> list:
        """(Role, names in its resourceNames, workloads running under it) for each Role of the
        namespace that may create `resource`; worked out once per namespace and directory."""
        key = (resource, namespace, None if self.complete else self._directory(seen_from))
        if key not in self._creators:
            creators = []
            for role in self.all_of("Role", namespace, seen_from):
                rules = role.get("rules")
                rules = [r for r in rules if isinstance(r, dict) and covers(r, resource)] \
                    if isinstance(rules, list) else []
                if any(grants(r, "create") for r in rules):
                    names = set().union(*(strings(r.get("resourceNames")) for r in rules))
                    creators.append((role, names, list(self._workloads_bound_to(role, namespace, seen_from))))
            self._creators[key] = creators
        return self._creators[key]

    def service_maker(self, namespace: str | None, seen_from: KubeObject) -> KubeObject | None:
        """A workload of the namespace whose ServiceAccount a RoleBinding of the namespace or a
        ClusterRoleBinding lets create Services (an operator making them at run time), or None;
        worked out once per namespace and directory."""
        key = ("service-maker", namespace, None if self.complete else self._directory(seen_from))
        if key not in self.memo:
            if "service-makers" not in self.memo:  # ClusterRoles that may, once per scan
                self.memo["service-makers"] = {r.name for r in self.every("ClusterRole") if _creates_services(r)}
            roles = {("ClusterRole", name) for name in self.memo["service-makers"]}
            roles |= {("Role", r.name) for r in self.all_of("Role", namespace, seen_from) if _creates_services(r)}
            accounts = set()
            bindings = [(b, namespace) for b in self.all_of("RoleBinding", namespace, seen_from)] + \
                [(b, None) for b in self.every("ClusterRoleBinding")]
            for binding, subject_default in bindings:
                ref = binding.get("roleRef")
                if not isinstance(ref, dict) or (ref.get("kind"), ref.get("name")) not in roles:
                    continue
                for subject in binding.get("subjects") or []:
                    if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" \
                            and (subject.get("namespace") or subject_default) == namespace:
                        accounts.add(str(subject.get("name")))
            self.memo[key] = next((t.obj for t in self.pods(namespace, seen_from)
                                   if _service_account(t.obj) in accounts), None) if accounts else None
        return self.memo[key]

    def _workloads_bound_to(self, role: KubeObject, namespace: str | None, seen_from: KubeObject):
        accounts = set()
        for binding in self.all_of("RoleBinding", namespace, seen_from):
            ref = binding.get("roleRef")
            if isinstance(ref, dict) and ref.get("kind") == "Role" and ref.get("name") == role.name:
                for subject in binding.get("subjects") or []:
                    if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount":
                        accounts.add(str(subject.get("name")))
        for template in self.pods(namespace, seen_from):
            spec = template.obj.pod().data
            if str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "") in accounts:
                yield template.obj

    @cached_property
    def namespaces(self) -> set:
        return {ns for ns, _ in self._buckets}


def index_of(ctx) -> ObjectIndex:
    """The scan's index, built on first use."""
    return ctx.scan.cached("crossobject.index", lambda scan: ObjectIndex(
        scan.objects, scan.options.complete, scan.options.namespace or "default", kustomize_patches(scan)))


def file_directory(path: str) -> str:
    """The directory of a file, with '/' separators: what `kubectl apply -f DIR` applies together."""
    return posixpath.dirname(path.replace(os.sep, "/"))


def _matching_in(bucket: _Bucket, selector: Selector) -> list[PodTemplate]:
    return [t for t in _candidates(bucket, selector) if selector.matches(t.labels, t.generated)]


def _candidates(bucket: _Bucket, selector: Selector) -> Iterable[PodTemplate]:
    """The pod templates that may match: those holding the rarest matchLabels pair (or whose
    controller generates its key). Sizes are compared before any list is copied, so a selector
    on a label every pod carries costs nothing until its candidates are walked."""
    if not selector.match_labels:
        return bucket.pods
    empty: list = []
    best = min(selector.match_labels.items(), key=lambda pair: len(bucket.by_label.get(pair, empty))
               + len(bucket.by_generated_key.get(pair[0], empty)))
    return chain(bucket.by_label.get(best, empty), bucket.by_generated_key.get(best[0], empty))


def _creates_services(role: KubeObject) -> bool:
    rules = role.get("rules")
    return any(isinstance(r, dict) and covers(r, "services") and grants(r, "create")
               for r in (rules if isinstance(rules, list) else ()))


def _service_account(workload: KubeObject) -> str:
    spec = workload.pod().data
    return str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "default")


def _service_candidates(bucket: _Bucket, selector: Selector) -> list:
    """(Service, labels) that may match: those holding the rarest matchLabels pair."""
    if not selector.match_labels:
        return bucket.services
    return min((bucket.services_by_label.get(pair, []) for pair in selector.match_labels.items()), key=len)
