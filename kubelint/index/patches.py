"""Documents that are kustomize inputs rather than finished objects.

A kustomize patch names an object and carries only the fields it changes, so "required field
missing" is noise there. A resource of a Kustomization that sets `commonLabels` (or `labels`
with `includeSelectors: true`) gets its selectors from kustomize, so a missing `selector` is
noise too. Unknown fields and wrong types are real mistakes in both and are still reported.

A document is a patch when a Kustomization in the scan lists its file under `patches`,
`patchesStrategicMerge` or `patchesJson6902`; when it uses strategic-merge directives
(`$patch`, `$setElementOrder/...`, `$retainKeys`, `$deleteFromPrimitiveList/...`); or, when no
Kustomization in the scan says otherwise, when its file follows kustomize's conventions for
patches: a name containing `patch`, or a place inside an `overlays/` directory. (The price: a
complete object inside `overlays/` that lacks a required field is not reported.)
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field

from kubelint.model.k8s import KubeObject

KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
_DIRECTIVES = ("$patch", "$setElementOrder/", "$retainKeys", "$deleteFromPrimitiveList/")
PATCH, LABELLED_RESOURCE, RESOURCE = "patch", "labelled-resource", "resource"


@dataclass
class KustomizeInputs:
    roles: dict[str, str] = field(default_factory=dict)  # logical path -> PATCH | LABELLED_RESOURCE
    # id(source file) -> (its logical path, does its text hold a directive, is it named like a
    # patch), worked out once per file: one file may hold tens of thousands of objects.
    _files: dict[int, tuple[str, bool, bool]] = field(default_factory=dict, repr=False)

    def role(self, obj: KubeObject) -> str | None:
        source = obj.doc.source
        known = self._files.get(id(source))
        if known is None:
            path = logical_path(source.path)
            # Directives are rare: look for them in the data only when the file's text has one.
            known = self._files[id(source)] = (path, any(d in source.text for d in _DIRECTIVES),
                                               _patch_by_convention(path))
        path, in_text, by_convention = known
        if self.roles:
            role = self.roles.get(path)
            if role is not None:
                return role
        if (in_text and _has_directive(obj.data, 0)) or by_convention:
            return PATCH
        return None


def kustomize_inputs(objects: list[KubeObject]) -> KustomizeInputs:
    out = KustomizeInputs()
    for obj in objects:
        if obj.group != KUSTOMIZE_GROUP:
            continue
        base = posixpath.dirname(logical_path(obj.doc.source.path))
        for entry in _patch_entries(obj.data):
            out.roles[posixpath.normpath(posixpath.join(base, entry))] = PATCH
        # A file listed as a resource is a finished object, wherever it is (overlays/ too).
        labelled = LABELLED_RESOURCE if _sets_selector_labels(obj.data) else RESOURCE
        resources = obj.data.get("resources")
        for entry in resources if isinstance(resources, list) else ():
            if isinstance(entry, str) and entry.endswith((".yaml", ".yml", ".json")):
                path = posixpath.normpath(posixpath.join(base, entry))
                if out.roles.get(path) in (None, RESOURCE):
                    out.roles[path] = labelled
    return out


def logical_path(path: str) -> str:
    """The file's path with '/' separators, normalised, as kustomize references resolve."""
    return posixpath.normpath(path.replace(os.sep, "/"))


def kustomization_entries(directory: str, data: dict):
    """(path, names a file?) for each local entry of a Kustomization's resources, bases and
    components, resolved against its directory (remote `://` entries are left out)."""
    for key in ("resources", "bases", "components"):
        entries = data.get(key)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, str) and "://" not in entry:
                yield posixpath.normpath(posixpath.join(directory, entry)), entry.endswith((".yaml", ".yml", ".json"))


def _patch_by_convention(logical_path: str) -> bool:
    parts = logical_path.lower().split("/")
    return "patch" in parts[-1] or "overlays" in parts[:-1]


def _patch_entries(data: dict):
    for key in ("patchesStrategicMerge", "patches", "patchesJson6902"):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            entry = item if isinstance(item, str) else item.get("path") if isinstance(item, dict) else None
            # An inline patch (text with newlines) is not a file name.
            if isinstance(entry, str) and entry.strip() and "\n" not in entry:
                yield entry


def _sets_selector_labels(data: dict) -> bool:
    if isinstance(data.get("commonLabels"), dict) and data["commonLabels"]:
        return True
    labels = data.get("labels")
    return isinstance(labels, list) and any(isinstance(x, dict) and x.get("includeSelectors") for x in labels)


def _has_directive(data, depth: int) -> bool:
    if depth > 50:
        return False
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str) and k.startswith(_DIRECTIVES):
                return True
            if isinstance(v, (dict, list)) and _has_directive(v, depth + 1):
                return True
    elif isinstance(data, list):
        return any(isinstance(v, (dict, list)) and _has_directive(v, depth + 1) for v in data)
    return False


def kustomize_patches(scan) -> set[int]:
    """ids of the scan's objects that are kustomize patches, computed once per scan."""
    def build(scan) -> set[int]:
        inputs = kustomize_inputs(scan.objects)
        return {id(obj) for obj in scan.objects if inputs.role(obj) == PATCH}
    return scan.cached("index.kustomize-patches", build)


def partial_objects(scan) -> set[int]:
    """ids of the objects that carry only part of what they describe: kustomize patches, and
    pod-bearing objects whose pod spec has no container list. Rules judge the values these set
    and say nothing about the fields they leave out."""
    def build(scan) -> set[int]:
        partial = set(kustomize_patches(scan))
        for obj in scan.objects:
            spec = obj.pod_spec
            if spec is not None and spec.partial:
                partial.add(id(obj))
        return partial
    return scan.cached("index.partial-objects", build)


def apply_kustomize_namespaces(scan) -> None:
    """Once per scan, before any rule runs: see place_in_kustomize_namespaces."""
    scan.cached("index.kustomize-namespaces", lambda scan: place_in_kustomize_namespaces(scan.objects))


def place_in_kustomize_namespaces(objects: list[KubeObject]) -> bool:
    """Give each object the `namespace:` of the Kustomization that lists its file (directly or
    through bases it lists), as kustomize writes it over the object's own. A file that two
    Kustomizations place in different namespaces (one base, two overlays) keeps its own."""
    kustomizations: dict[str, dict] = {}  # directory -> the Kustomization's data
    for obj in objects:
        if obj.group == KUSTOMIZE_GROUP and obj.kind == "Kustomization":
            kustomizations[posixpath.dirname(logical_path(obj.doc.source.path))] = obj.data
    if not kustomizations:
        return False
    placed: dict[str, set] = {}  # file -> namespaces
    for directory, data in kustomizations.items():
        namespace = data.get("namespace")
        if isinstance(namespace, str) and namespace:
            for path in _listed_files(directory, kustomizations, set()):
                placed.setdefault(path, set()).add(namespace)
    for obj in objects:
        namespaces = placed.get(logical_path(obj.doc.source.path))
        if namespaces and len(namespaces) == 1 and obj.group != KUSTOMIZE_GROUP:
            obj.kustomize_namespace = next(iter(namespaces))
    return True


def _listed_files(directory: str, kustomizations: dict, seen: set):
    """The resource files a Kustomization lists, following directories it lists that hold a
    Kustomization of the scan (bases and components)."""
    if directory in seen:
        return
    seen.add(directory)
    for path, is_file in kustomization_entries(directory, kustomizations[directory]):
        if path in kustomizations:
            yield from _listed_files(path, kustomizations, seen)
        elif is_file:
            yield path
