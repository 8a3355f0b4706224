"""Schemas for custom resources: from the CustomResourceDefinitions in the scan, and from
--schema-dir files (kubeconform / CRDs-catalog layouts). Converted and compiled on first use."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubelint.model.k8s import KubeObject
from kubelint.validate.engine import make_validator, strict_copy
from kubelint.validate.openapi import convert

_CRD_API_VERSIONS = ("apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1")


@dataclass
class CustomSchema:
    raw: dict | None  # None: the kind is known but declares no schema (anything goes)
    origin: str  # where it came from, for messages
    registry: Any = None  # for --schema-dir files that $ref their neighbours
    _validators: dict = field(default_factory=dict)

    def validator(self, strict: bool, object_meta: dict | None = None):
        """Compiled once per strictness. CRD schemas get the bundled ObjectMeta for `metadata`
        (the API server ignores what a CRD says about metadata beyond the name)."""
        if self.raw is None:
            return None
        v = self._validators.get(strict)
        if v is None:
            schema = convert(self.raw)
            if strict:
                schema = strict_copy(schema)
            if object_meta is not None and isinstance(schema, dict):
                props = schema.setdefault("properties", {})
                props["apiVersion"] = {"type": "string"}
                props["kind"] = {"type": "string"}
                props["metadata"] = object_meta  # already as strict as the run
            v = make_validator(schema, self.registry)
            self._validators[strict] = v
        return v


def crd_schemas(objects: list[KubeObject]) -> dict[tuple[str, str], CustomSchema]:
    """(apiVersion, kind) -> schema for every served version of every CRD in the scan."""
    out: dict[tuple[str, str], CustomSchema] = {}
    for obj in objects:
        if obj.kind != "CustomResourceDefinition" or obj.api_version not in _CRD_API_VERSIONS:
            continue
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            continue
        group = spec.get("group")
        names = spec.get("names")
        if not isinstance(names, dict):
            names = {}
        kind = names.get("kind")
        if not isinstance(group, str) or not isinstance(kind, str):
            continue
        origin = f"CustomResourceDefinition {obj.name} ({obj.file}:{obj.line})"
        shared = _openapi(spec.get("validation"))  # v1beta1: one schema for all versions
        versions = spec.get("versions")
        if not isinstance(versions, list) or not versions:
            versions = [{"name": spec.get("version")}] if spec.get("version") else []
        for ver in versions:
            if not isinstance(ver, dict) or not isinstance(ver.get("name"), str) or ver.get("served") is False:
                continue
            schema = _openapi(ver.get("schema")) or shared
            out[(f"{group}/{ver['name']}", kind)] = CustomSchema(schema, origin)
    return out


def _openapi(holder) -> dict | None:
    if isinstance(holder, dict) and isinstance(holder.get("openAPIV3Schema"), dict):
        return holder["openAPIV3Schema"]
    return None


class SchemaDirs:
    """--schema-dir lookups: `{kind}-{group}-{version}.json` (group in full or its first label,
    lowercase; `{kind}-{version}.json` for the core group) or `{group}/{kind}_{version}.json`."""

    def __init__(self, dirs: list[str]):
        self.dirs = [Path(d) for d in dirs if Path(d).is_dir()]
        self._cache: dict[tuple[str, str], CustomSchema | None] = {}

    def find(self, api_version: str, kind: str) -> CustomSchema | None:
        key = (api_version, kind)
        if key not in self._cache:
            self._cache[key] = self._load(api_version, kind)
        return self._cache[key]

    def _candidates(self, api_version: str, kind: str) -> list[str]:
        group, _, version = api_version.rpartition("/")
        k, g, v = kind.lower(), group.lower(), version.lower()
        if not g:
            return [f"{k}-{v}.json", f"{k}_{v}.json"]
        first = g.split(".")[0]
        names = [f"{k}-{g}-{v}.json", f"{k}-{first}-{v}.json", f"{g}/{k}_{v}.json"]
        return list(dict.fromkeys(names))

    def _load(self, api_version: str, kind: str) -> CustomSchema | None:
        for d in self.dirs:
            for name in self._candidates(api_version, kind):
                path = d / name
                if not path.is_file():
                    continue
                try:
                    raw = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if isinstance(raw, dict):
                    return CustomSchema(raw, f"{path}", registry=_local_registry(path))
        return None


def _local_registry(path: Path):
    """Resolve relative $refs against files beside the schema; never the network."""
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT202012

    base = path.parent.resolve()

    def retrieve(uri: str):
        target = uri.removeprefix("file://")
        candidate = (base / Path(target).name) if not Path(target).is_absolute() else Path(target)
        try:
            candidate = candidate.resolve()
            if base not in candidate.parents and candidate.parent != base:
                raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # an attrs class mypy cannot see into
            contents = convert(json.loads(candidate.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            raise NoSuchResource(ref=uri) from None  # type: ignore[call-arg]
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    return Registry(retrieve=retrieve)  # type: ignore[call-arg]  # an attrs class mypy cannot see into
