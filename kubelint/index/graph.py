"""The wiring graph of a scan: its objects as nodes and the references between them as edges,
as plain data (dicts and lists) for the HTML report and `kubelint graph`.

Edges: Ingress -> Service it routes to -> workloads whose pods it selects; workload -> Secret,
ConfigMap (with the keys it reads), PersistentVolumeClaim and ServiceAccount it uses; PVC ->
StorageClass; HPA -> its scale target; PDB and NetworkPolicy -> workloads they select;
RoleBinding -> Role / ClusterRole and ServiceAccount subjects.

Whether a reference is broken is what the rules decided, not decided again here: a finding of a
broken-reference rule (missing-secret, service-no-pods, ...) becomes a `broken` edge to a
`missing` node (or to the object that lacks a key), linked to the finding by file, line and
rule; every such finding gets exactly one broken edge. A reference that finds nothing and that
no rule reported (the scan holds no Secrets at all: they are managed elsewhere) is an
`external` edge to an `external` node.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kubelint.index.labels import label_selector, plain_selector
from kubelint.index.names import text
from kubelint.index.objects import ObjectIndex, file_directory
from kubelint.index.refs import claim_refs, service_account_ref
from kubelint.model.k8s import KubeObject

GRAPH_VERSION = 1
# Rules whose findings are broken references: the referring object and what it misses.
BROKEN_RULES = (
    "missing-secret", "missing-configmap", "missing-secret-key", "missing-configmap-key",
    "missing-pvc", "missing-service-account", "missing-storage-class", "ingress-no-service",
    "hpa-no-target", "rolebinding-missing-role", "rolebinding-missing-subject",
    "service-no-pods", "pdb-no-pods", "networkpolicy-no-pods",
)
SELECTOR_RULES = {"Service": "service-no-pods", "PodDisruptionBudget": "pdb-no-pods",
                  "NetworkPolicy": "networkpolicy-no-pods"}
_MISSING_KIND = {"missing-secret": "Secret", "missing-configmap": "ConfigMap",
                 "missing-secret-key": "Secret", "missing-configmap-key": "ConfigMap",
                 "missing-pvc": "PersistentVolumeClaim", "missing-service-account": "ServiceAccount",
                 "missing-storage-class": "StorageClass", "ingress-no-service": "Service",
                 "hpa-no-target": "workload", "rolebinding-missing-role": "Role",
                 "rolebinding-missing-subject": "ServiceAccount", "service-no-pods": "pods",
                 "pdb-no-pods": "pods", "networkpolicy-no-pods": "pods"}
CLUSTER = "(cluster)"  # the group of cluster-scoped objects


def index_for(scan) -> ObjectIndex:
    """The scan's object index: the one the checks built, or a new one (same cache key)."""
    from kubelint.index.patches import kustomize_patches

    return scan.cached("crossobject.index", lambda s: ObjectIndex(
        s.objects, s.options.complete, s.options.namespace or "default", kustomize_patches(s)))


def node_id(kind: str, namespace: str | None, name: str | None) -> str:
    return f"{kind}/{namespace or ''}/{name or ''}"


class _Builder:
    def __init__(self, index: ObjectIndex, findings: list):
        self.index = index
        self.nodes: dict[str, dict] = {}
        self.edges: list[dict] = []
        self.ids: dict[int, str] = {}  # id(obj) -> node id
        # (file, object label, dotted path, rule) -> finding, for the broken-reference rules
        self.broken: dict[tuple, Any] = {}
        for f in findings:
            if f.rule in BROKEN_RULES and not f.suppressed:
                self.broken.setdefault(_finding_key(f), f)
        self.used: set[tuple] = set()

    # nodes ----------------------------------------------------------------------------------
    def add_object(self, obj: KubeObject) -> None:
        base = node_id(self.index.kind(obj), obj.namespace, obj.name)
        nid, n = base, 1
        while nid in self.nodes:  # the same object twice in the scan: both are nodes
            n += 1
            nid = f"{base}#{n}"
        self.ids[id(obj)] = nid
        self.nodes[nid] = {"id": nid, "kind": obj.kind, "name": obj.name or "", "namespace": obj.namespace,
                           "group": obj.namespace or CLUSTER, "state": "object", "file": obj.file,
                           "line": obj.line}

    def other(self, state: str, kind: str, namespace: str | None, name: str, seen_from: KubeObject) -> str:
        nid = f"{state}:{node_id(kind, namespace, name)}"
        if nid not in self.nodes:
            self.nodes[nid] = {"id": nid, "kind": kind, "name": name, "namespace": namespace,
                               "group": seen_from.namespace or CLUSTER, "state": state,
                               "file": None, "line": None}
        return nid

    # edges ----------------------------------------------------------------------------------
    def edge(self, obj: KubeObject, target: str, relation: str, path: tuple, label: str = "",
             state: str = "ok", finding=None) -> None:
        edge = {"source": self.ids[id(obj)], "target": target, "relation": relation, "label": label,
                "state": state, "file": obj.file, "line": obj.locate(path).line,
                "path": KubeObject.dotted(path)}
        if finding is not None:
            edge.update(rule=finding.rule, finding={"file": finding.file, "line": finding.line,
                                                    "column": finding.column, "rule": finding.rule})
        self.edges.append(edge)

    def finding_at(self, obj: KubeObject, path: tuple, rules: tuple) -> Any:
        for rule in rules:
            key = (obj.file, obj.ref.label(), KubeObject.dotted(path), rule)
            if key in self.broken:
                self.used.add(key)
                return self.broken[key]
        return None

    def reference(self, obj: KubeObject, kind: str, name: str, path: tuple, relation: str, rule: str,
                  label: str = "", namespace: str | None = "") -> None:
        """A reference by name: edges to what it names, else broken (reported) or external.
        `namespace` "" means the referring object's; None, a cluster-scoped target."""
        ns = obj.namespace if namespace == "" else namespace
        targets = self.index.find(kind, ns, name, obj)
        finding = self.finding_at(obj, path, (rule,))
        if finding is not None:
            self.edge(obj, self.other("missing", kind, ns, name, obj), relation, path, label, "broken", finding)
        elif targets:
            for t in _nearest(obj, targets):
                self.edge(obj, self.ids[id(t)], relation, path, label)
        else:
            self.edge(obj, self.other("external", kind, ns, name, obj), relation, path, label, "external")

    def selection(self, obj: KubeObject, selector, path: tuple, relation: str, rule: str) -> None:
        finding = self.finding_at(obj, path, (rule,))
        if finding is not None:
            described = selector.describe() if selector is not None else "?"
            self.edge(obj, self.other("missing", "pods", obj.namespace, described, obj), relation, path,
                      described, "broken", finding)
            return
        if selector is None or selector.empty:
            return  # selects every pod, or nothing readable: no edges worth drawing
        matched = [t.obj for t in self.index.matching(selector, obj.namespace, obj) if id(t.obj) in self.ids]
        for target in _nearest(obj, matched):
            self.edge(obj, self.ids[id(target)], relation, path)


def _nearest(obj: KubeObject, targets: list) -> list:
    """The targets a reader means: those of the same file, else of the same directory, else all.
    A repository that holds one application in several variants (install.yaml, ha/install.yaml)
    would otherwise wire every copy to every other."""
    same_file = [t for t in targets if t.file == obj.file]
    if same_file:
        return same_file
    directory = file_directory(obj.file)
    same_dir = [t for t in targets if file_directory(t.file) == directory]
    return same_dir or targets


def _finding_key(f) -> tuple:
    return (f.file, f.object.label() if f.object is not None else "", f.path or "", f.rule)


def build_graph(scan, findings: list) -> dict:
    """The graph of `scan` as plain data; `findings` are the run's (shown) findings."""
    index = index_for(scan)
    b = _Builder(index, findings)
    for obj in index.objects:
        b.add_object(obj)
    for obj in index.objects:
        kind = index.kind(obj)
        spec = obj.pod_spec
        if spec is not None and kind != "PodTemplate":
            _pod_refs(b, obj, spec)
        if kind == "Service":
            b.selection(obj, plain_selector(obj.get("spec", "selector")), ("spec", "selector"), "selects",
                        SELECTOR_RULES["Service"])
        elif kind == "PodDisruptionBudget":
            b.selection(obj, label_selector(obj.get("spec", "selector")), ("spec", "selector"), "protects",
                        SELECTOR_RULES[kind])
        elif kind == "NetworkPolicy":
            b.selection(obj, label_selector(obj.get("spec", "podSelector")), ("spec", "podSelector"),
                        "applies to", SELECTOR_RULES[kind])
        elif kind == "Ingress":
            for name, path in _ingress_backends(obj):
                b.reference(obj, "Service", name, path, "routes to", "ingress-no-service")
        elif kind == "HorizontalPodAutoscaler":
            ref = obj.get("spec", "scaleTargetRef")
            if isinstance(ref, dict) and text(ref.get("name")):
                b.reference(obj, str(ref.get("kind") or "Deployment"), text(ref.get("name")) or "",
                            ("spec", "scaleTargetRef", "name"), "scales", "hpa-no-target")
        elif kind in ("RoleBinding", "ClusterRoleBinding"):
            _binding(b, obj)
        elif kind == "PersistentVolumeClaim":
            name = text(obj.get("spec", "storageClassName"))
            if name:
                b.reference(obj, "StorageClass", name, ("spec", "storageClassName"), "uses",
                            "missing-storage-class", namespace=None)
    # Broken references the walk above did not meet still get their edge.
    by_object = {(o.file, o.ref.label()): o for o in index.all_objects}
    for key, f in b.broken.items():
        if key in b.used:
            continue
        found = by_object.get(key[:2])
        if found is None or id(found) not in b.ids:
            continue
        obj = found
        kind = _MISSING_KIND.get(f.rule, "object")
        values = f.values or {}
        name = str(values.get("name") or values.get("target") or f.rule)
        target = b.other("missing", kind, obj.namespace, name, obj)
        b.edges.append({"source": b.ids[id(obj)], "target": target, "relation": f.rule, "label": "",
                        "state": "broken", "file": f.file, "line": f.line, "path": f.path or "",
                        "rule": f.rule, "finding": {"file": f.file, "line": f.line, "column": f.column,
                                                    "rule": f.rule}})
    return _finish(b)


def _pod_refs(b: _Builder, obj: KubeObject, spec) -> None:
    for ref in b.index.config_refs(obj):
        keys = [k for k, _ in ref.keys]
        label = ", ".join(keys)
        rule = "missing-secret" if ref.kind == "Secret" else "missing-configmap"
        key_rule = "missing-secret-key" if ref.kind == "Secret" else "missing-configmap-key"
        if b.finding_at(obj, ref.path, (rule,)) is None:
            targets = b.index.find(ref.kind, obj.namespace, ref.name, obj)
            for key, key_path in ref.keys:
                finding = b.finding_at(obj, key_path, (key_rule,))
                if finding is not None:
                    target = b.ids[id(targets[0])] if targets else b.other("missing", ref.kind, obj.namespace,
                                                                             ref.name, obj)
                    b.edge(obj, target, "reads", key_path, f"key {key}", "broken", finding)
                    keys.remove(key)
                    label = ", ".join(keys)
            if not keys and ref.keys:
                continue  # every key it reads is missing: the broken edges say it all
        b.reference(obj, ref.kind, ref.name, ref.path, "uses", rule, label)
    account = service_account_ref(spec)
    if account is not None:
        name, path = account
        if name != "default":
            b.reference(obj, "ServiceAccount", name, path, "runs as", "missing-service-account")
    for claim, path, _volume in claim_refs(spec):
        b.reference(obj, "PersistentVolumeClaim", claim, path, "mounts", "missing-pvc")


def _ingress_backends(obj: KubeObject):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    for base in (("spec", "defaultBackend"), ("spec", "backend")):
        yield from _backend(obj, base)
    rules = spec.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else ()):
        http = rule.get("http") if isinstance(rule, dict) else None
        paths = http.get("paths") if isinstance(http, dict) else None
        for j, _ in enumerate(paths if isinstance(paths, list) else ()):
            yield from _backend(obj, ("spec", "rules", i, "http", "paths", j, "backend"))


def _backend(obj: KubeObject, base: tuple):
    backend = obj.get(*base)
    if not isinstance(backend, dict):
        return
    service = backend.get("service")
    if isinstance(service, dict) and text(service.get("name")):
        yield text(service.get("name")), base + ("service", "name")
    elif text(backend.get("serviceName")):
        yield text(backend.get("serviceName")), base + ("serviceName",)


def _binding(b: _Builder, obj: KubeObject) -> None:
    ref = obj.get("roleRef")
    if isinstance(ref, dict) and text(ref.get("name")):
        kind = str(ref.get("kind") or "Role")
        namespace = None if kind == "ClusterRole" else ""
        if kind == "ClusterRole" and text(ref.get("name")) in ("cluster-admin", "admin", "edit", "view"):
            target = b.other("external", kind, None, text(ref.get("name")) or "", obj)
            b.edge(obj, target, "grants", ("roleRef", "name"), "built-in", "external")
        else:
            b.reference(obj, kind, text(ref.get("name")) or "", ("roleRef", "name"), "grants",
                        "rolebinding-missing-role", namespace=namespace)
    subjects = obj.get("subjects")
    for i, subject in enumerate(subjects if isinstance(subjects, list) else ()):
        if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" and text(subject.get("name")):
            ns = text(subject.get("namespace")) or ""
            b.reference(obj, "ServiceAccount", text(subject.get("name")) or "", ("subjects", i, "name"),
                        "binds", "rolebinding-missing-subject", namespace=ns)


def _merge(edges: list[dict]) -> list[dict]:
    """One edge per (source, target, relation) for working references, their labels (the keys
    read) joined: a Deployment reading forty keys of one ConfigMap is one line. Broken edges
    stay one per finding."""
    out: list[dict] = []
    seen: dict[tuple, dict] = {}
    for e in edges:
        if e["state"] == "broken":
            out.append(e)
            continue
        key = (e["source"], e["target"], e["relation"], e["state"])
        first = seen.get(key)
        if first is None:
            seen[key] = e
            out.append(e)
        elif e["label"]:
            labels = [x for x in first["label"].split(", ") if x]
            labels += [x for x in e["label"].split(", ") if x not in labels]
            first["label"] = ", ".join(labels)
    return out


def _finish(b: _Builder) -> dict:
    groups: dict[str, list[str]] = defaultdict(list)
    for node in b.nodes.values():
        groups[node["group"]].append(node["id"])
    return {
        "version": GRAPH_VERSION,
        "groups": sorted(groups, key=lambda g: (g == CLUSTER, g)),
        "nodes": list(b.nodes.values()),
        "edges": _merge(b.edges),
    }
