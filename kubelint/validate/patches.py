"""Which documents are patches rather than whole objects.

A kustomize patch names an object and carries only the fields it changes, so "required field
missing" is noise there; unknown fields and wrong types in a patch are still real mistakes and
are still reported. A document counts as a patch when a Kustomization in the scan lists its file
under `patches`, `patchesStrategicMerge` or `patchesJson6902`, or when it uses strategic-merge
directives (`$patch`, `$setElementOrder/...`, `$retainKeys`, `$deleteFromPrimitiveList/...`).
"""

from __future__ import annotations

import os
from pathlib import Path

from kubelint.model.k8s import KubeObject

KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
_DIRECTIVES = ("$patch", "$setElementOrder/", "$retainKeys", "$deleteFromPrimitiveList/")


def patch_files(objects: list[KubeObject]) -> set[str]:
    out: set[str] = set()
    for obj in objects:
        if obj.group != KUSTOMIZE_GROUP:
            continue
        base = Path(obj.doc.source.path).parent
        for entry in _entries(obj.data):
            if "\n" in entry or not entry.strip():
                continue  # an inline patch, not a file name
            out.add(os.path.normpath(str(base / entry)))
    return out


def _entries(data: dict):
    for key in ("patchesStrategicMerge", "patches", "patchesJson6902"):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, str):
                yield item
            elif isinstance(item, dict) and isinstance(item.get("path"), str):
                yield item["path"]


def is_patch(obj: KubeObject, files: set[str]) -> bool:
    if files and os.path.normpath(obj.doc.source.path) in files:
        return True
    return _has_directive(obj.data, 0)


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
