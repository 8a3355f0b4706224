"""Kubernetes objects with positions, and one pod-spec view for every pod-bearing kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from kubelint.findings import ObjectRef
from kubelint.model.document import Pos, YamlDocument
from kubelint.model.document import dotted as _dotted

# Where the pod spec sits, by shape rather than by kind, so that DeploymentConfig, Argo Rollout
# and other workload-like custom kinds count wherever their template sits where a Deployment's does.
_POD_SPEC_PATHS = (
    ("spec", "template", "spec"),  # Deployment, StatefulSet, DaemonSet, Job, ReplicaSet, RC, Rollout...
    ("spec", "jobTemplate", "spec", "template", "spec"),  # CronJob
    ("template", "spec"),  # PodTemplate
)
CONTAINER_GROUPS = ("containers", "initContainers", "ephemeralContainers")
# Kinds whose template is a pod spec by definition: there a spec without `containers` is still a
# pod spec (a patch, a fragment being built up), checked for what it sets. Other kinds count only
# with a container list, so that an unrelated `spec.template.spec` of a custom kind is not read
# as a pod.
WORKLOAD_KINDS = frozenset({
    "Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet",
    "ReplicationController", "PodTemplate", "DeploymentConfig", "Rollout",
})
# How messages name an object without metadata.name (invalid, but still checked).
UNNAMED = "(no name)"

# Kinds that have no namespace (the rest default to --namespace).
CLUSTER_SCOPED = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "StorageClass", "PriorityClass", "RuntimeClass",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService",
    "CSIDriver", "CSINode", "VolumeAttachment", "IngressClass", "PodSecurityPolicy",
    "ComponentStatus", "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
    "ClusterIssuer", "GatewayClass", "ClusterRoleBindingList", "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding", "StorageVersionMigration", "VolumeAttributesClass",
    "DeviceClass", "ResourceSlice", "IPAddress", "ServiceCIDR",
})


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        if type(part) is str:  # the common case first: a key into plain parsed data
            if type(data) is not dict and not isinstance(data, dict):
                return None
            data = data.get(part)
        elif isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
            data = data[part]
        elif not isinstance(data, dict):
            return None
        else:
            data = data.get(part)
        if data is None:
            return None
    return data


def _with_labels(value: Any, path: tuple, labels: dict) -> Any:
    """A copy of `value` with `labels` written into the map at `path` (created when missing)."""
    if not path:
        return {**value, **labels} if isinstance(value, dict) else dict(labels)
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        if not isinstance(value, list) or head >= len(value):
            return value
        out = list(value)
        out[head] = _with_labels(value[head], rest, labels)
        return out
    if value is not None and not isinstance(value, dict):
        return value
    out_map = dict(value or {})
    out_map[head] = _with_labels(out_map.get(head), rest, labels)
    return out_map


def _dicts(items: Any) -> list[dict]:
    """The mappings of a list; nothing when the value is not a list (`ports: 8080`)."""
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


@dataclass(slots=True)
class Container:
    """One container of a pod spec (app, init or ephemeral), with its path in the object."""

    obj: "KubeObject"
    group: str  # containers | initContainers | ephemeralContainers
    index: int
    path: tuple
    data: dict

    @property
    def name(self) -> str:
        return str(self.data.get("name") or f"{self.group}[{self.index}]")

    @property
    def image(self) -> str | None:
        image = self.data.get("image")
        return None if image is None else str(image)

    def get(self, *path) -> Any:
        return _get(self.data, path)

    @property
    def is_init(self) -> bool:
        return self.group == "initContainers"

    @property
    def is_sidecar(self) -> bool:
        """A native sidecar: an init container with restartPolicy Always (Kubernetes 1.28+)."""
        return self.is_init and self.data.get("restartPolicy") == "Always"

    def ports(self) -> list[dict]:
        return _dicts(self.data.get("ports"))

    def volume_mounts(self) -> list[dict]:
        return _dicts(self.data.get("volumeMounts"))


@dataclass(slots=True)  # one per pod-bearing object of a scan
class PodSpec:
    obj: "KubeObject"
    path: tuple  # path of the pod spec mapping inside the object
    data: dict
    _containers: list["Container"] | None = field(default=None, repr=False, compare=False)

    @property
    def partial(self) -> bool:
        """No container list: a fragment (patch, template being built up) that the API server
        would refuse as it stands. What it sets is checked; what it leaves out proves nothing."""
        return not isinstance(self.data.get("containers"), list)

    @property
    def containers(self) -> list[Container]:
        """App, init and ephemeral containers, in that order (made once)."""
        if self._containers is None:
            self._containers = self._find_containers()
        return self._containers

    def _find_containers(self) -> list[Container]:
        out = []
        for group in CONTAINER_GROUPS:
            items = self.data.get(group)
            if not isinstance(items, list):
                continue
            for i, c in enumerate(items):
                if isinstance(c, dict):
                    out.append(Container(self.obj, group, i, self.path + (group, i), c))
        return out

    def app_containers(self) -> list[Container]:
        return [c for c in self.containers if c.group == "containers"]

    def volumes(self) -> list[dict]:
        return _dicts(self.data.get("volumes"))

    @property
    def template_metadata_path(self) -> tuple:
        """metadata beside the pod spec (the template's, or the Pod's own)."""
        return self.path[:-1] + ("metadata",)

    @property
    def labels(self) -> dict:
        labels = self.obj.effective(*self.template_metadata_path, "labels")
        return labels if isinstance(labels, dict) else {}

    @property
    def annotations(self) -> dict:
        ann = _get(self.obj.data, self.template_metadata_path + ("annotations",))
        return ann if isinstance(ann, dict) else {}


class KubeObject:
    """One Kubernetes object: a YAML document, or an item of a `kind: List`."""

    # A scan holds one per document, and rules ask for their identity many times: slots, and
    # the identity read once (the data is not changed after parsing).
    __slots__ = ("doc", "data", "prefix", "kind", "metadata", "name", "default_namespace",
                 "kustomize_namespace", "kustomize_labels", "_ref", "_pod_spec")

    def __init__(self, doc: YamlDocument, data: dict, prefix: tuple = ()):
        self.doc = doc
        self.data = data
        self.prefix = prefix  # () for a document, ("items", i) for a List item
        self.kind: str = str(data.get("kind") or "")
        md = data.get("metadata")
        self.metadata: dict = md if isinstance(md, dict) else {}
        name = self.metadata.get("name") or self.metadata.get("generateName")
        self.name: str | None = None if name is None else str(name)
        # Filled in by the scan (namespace default from --namespace; the `namespace:` of the
        # Kustomization that lists the object's file, which kustomize writes over its own).
        self.default_namespace = "default"
        self.kustomize_namespace: str | None = None
        # path of a label map -> the labels the Kustomizations that build the file write there
        # (commonLabels, `labels:`); read through `effective`.
        self.kustomize_labels: dict[tuple, dict] = {}
        self._ref: ObjectRef | None = None
        self._pod_spec: PodSpec | None | bool = False  # False: not looked for yet

    # identity ------------------------------------------------------------------------------
    @property
    def file(self) -> str:
        return self.doc.source.display

    @property
    def api_version(self) -> str:
        return str(self.data.get("apiVersion") or "")

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0] if "/" in self.api_version else ""

    @property
    def namespace(self) -> str | None:
        """The effective namespace; None for cluster-scoped kinds."""
        if self.kind in CLUSTER_SCOPED:
            return None
        if self.kustomize_namespace:
            return self.kustomize_namespace
        ns = self.metadata.get("namespace")
        return str(ns) if ns else self.default_namespace

    @property
    def labels(self) -> dict:
        labels = self.effective("metadata", "labels")
        return labels if isinstance(labels, dict) else {}

    @property
    def annotations(self) -> dict:
        ann = self.metadata.get("annotations")
        return ann if isinstance(ann, dict) else {}

    @property
    def ref(self) -> ObjectRef:
        """Made once, when first asked for: after the scan has set the namespace defaults."""
        if self._ref is None:
            self._ref = ObjectRef(self.api_version, self.kind, self.namespace, self.name)
        return self._ref

    def __repr__(self) -> str:
        return f"<KubeObject {self.kind}/{self.name} {self.file}:{self.line}>"

    # data and positions ----------------------------------------------------------------------
    def get(self, *path) -> Any:
        return _get(self.data, path)

    def effective(self, *path) -> Any:
        """The value at `path` as `kustomize build` writes it: with the labels of the
        Kustomizations that build the file added to the label maps and selectors under it
        (copies; the parsed data is left as written, positions refer to it)."""
        value = _get(self.data, path)
        for at, labels in self.kustomize_labels.items():
            if at[:len(path)] == path:
                value = _with_labels(value, at[len(path):], labels)
        return value

    def value_pos(self, path: tuple) -> Pos | None:
        return self.doc.value_pos(self.prefix + tuple(path))

    def key_pos(self, path: tuple) -> Pos | None:
        return self.doc.key_pos(self.prefix + tuple(path))

    def locate(self, path: tuple, key: bool = False) -> Pos:
        """Position of `path` (its key when key=True and it is a mapping entry), else of the
        nearest parent that exists, else of the object itself."""
        prefix = self.prefix
        pos = self.doc.locate(prefix + tuple(path), key, len(prefix))
        if pos is not None:
            return pos
        return self.value_pos(()) or Pos(self.doc.start_line, 1, self.doc.start_line, 1)

    @property
    def line(self) -> int:
        if not self.prefix:  # a document's root has no entry of its own: locate falls back to this
            return self.doc.start_line
        return self.locate(()).line

    @staticmethod
    def dotted(path: tuple) -> str:
        return _dotted(path)

    # pod-bearing kinds -------------------------------------------------------------------------
    @property
    def pod_spec(self) -> PodSpec | None:
        spec = self._pod_spec
        if spec is False:
            spec = self._pod_spec = self._find_pod_spec()
        return spec  # type: ignore[return-value]

    def _find_pod_spec(self) -> PodSpec | None:
        if self.kind == "Pod":
            spec = self.data.get("spec")
            return PodSpec(self, ("spec",), spec) if isinstance(spec, dict) else None
        workload = self.kind in WORKLOAD_KINDS
        for path in _POD_SPEC_PATHS:
            spec = _get(self.data, path)
            if isinstance(spec, dict) and (workload or any(
                    isinstance(spec.get(group), list) for group in CONTAINER_GROUPS)):
                return PodSpec(self, path, spec)
        return None

    def pod(self) -> PodSpec:
        """The pod spec of an object known to bear one (found through the index of pod
        templates, or after checking `pod_spec`)."""
        spec = self.pod_spec
        if spec is None:
            raise ValueError(f"{self.kind} '{self.name}' has no pod spec")
        return spec

    @property
    def is_pod_bearing(self) -> bool:
        return self.pod_spec is not None

    def containers(self) -> list[Container]:
        spec = self.pod_spec
        return spec.containers if spec else []


def objects_from_document(doc: YamlDocument) -> Iterator[KubeObject]:
    """The Kubernetes objects in a document: itself, or the items of a `kind: List`."""
    data = doc.data
    if not isinstance(data, dict) or not data.get("apiVersion") or not data.get("kind"):
        return
    kind = str(data.get("kind"))
    if kind.endswith("List") and isinstance(data.get("items"), list):
        for i, item in enumerate(data["items"]):
            if isinstance(item, dict) and item.get("kind"):
                yield KubeObject(doc, item, ("items", i))
        return
    yield KubeObject(doc, data)


def is_kubernetes_document(data: Any) -> bool:
    return isinstance(data, dict) and bool(data.get("apiVersion")) and bool(data.get("kind"))
