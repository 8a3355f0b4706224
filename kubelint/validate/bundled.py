"""The bundled Kubernetes schemas: one definitions file per minor, read once per process.

The `referencing` registry is built once per (version, strict) and every (apiVersion, kind)
gets its validator on first use, then comes from the cache: building a validator is cheap,
but resolving the same definitions again for every document is not.
"""

from __future__ import annotations

import json
from functools import lru_cache

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from kubelint.data import schemas_dir
from kubelint.validate.engine import make_validator, strict_copy


class Bundled:
    """Definitions and index of one Kubernetes minor, plain or strict."""

    def __init__(self, minor: tuple[int, int], strict: bool):
        self.minor = minor
        self.strict = strict
        raw = _read(minor)
        self.index: dict[str, dict[str, str]] = raw["index"]
        defs = raw["$defs"]
        if strict:
            defs = strict_copy({"$defs": defs})["$defs"]
        self.defs = defs
        self.uri = f"urn:kubelint:kubernetes:{minor[0]}.{minor[1]}{':strict' if strict else ''}"
        resource = Resource.from_contents({"$id": self.uri, "$defs": defs}, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(self.uri, resource).crawl()
        self._validators: dict[str, object] = {}

    def definition(self, api_version: str, kind: str) -> str | None:
        return self.index.get(api_version, {}).get(kind)

    def kinds(self, api_version: str) -> list[str]:
        return list(self.index.get(api_version, {}))

    def has_api_version(self, api_version: str) -> bool:
        return api_version in self.index

    def validator(self, definition: str):
        v = self._validators.get(definition)
        if v is None:
            v = make_validator({"$ref": f"{self.uri}#/$defs/{definition}"}, self.registry)
            self._validators[definition] = v
        return v

    def ref(self, definition: str) -> dict:
        """A schema that points at one bundled definition (CRD metadata uses ObjectMeta)."""
        return {"$ref": f"{self.uri}#/$defs/{definition}"}


@lru_cache(maxsize=None)
def _read(minor: tuple[int, int]) -> dict:
    path = schemas_dir() / "kubernetes" / f"v{minor[0]}.{minor[1]}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def bundled(minor: tuple[int, int], strict: bool) -> Bundled:
    return Bundled(minor, strict)
