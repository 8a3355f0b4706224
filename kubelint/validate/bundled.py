"""The bundled Kubernetes schemas: one definitions file per minor, read once per process.

Definitions are made strict (when asked) and inlined into each other once per (version,
strict), as validation first reaches them (no `$ref` lookups while validating), and every
(apiVersion, kind) gets its compiled validator on first use, then comes from the cache.
"""

from __future__ import annotations

import json
from functools import lru_cache

from kubelint.data import schemas_dir
from kubelint.validate.engine import Compiled, inline_refs, make_validator, strict_copy


class Bundled:
    """Definitions and index of one Kubernetes minor, plain or strict."""

    def __init__(self, minor: tuple[int, int], strict: bool):
        self.minor = minor
        self.strict = strict
        self.index: dict[str, dict[str, str]] = _index()[f"{minor[0]}.{minor[1]}"]
        self._raw: dict[str, dict] = _read(minor)["$defs"]
        # Strict copies are made per definition as validation reaches it: copying all ~700
        # definitions up front cost ~9 ms of every run, most of them never used.
        self._strict: dict[str, dict] = {}
        self._inlined: dict[str, dict] = {}
        self._gate_memo: dict = {}  # shared: a definition's gate compiles once for all kinds
        self._validators: dict[str, Compiled] = {}

    def definition(self, api_version: str, kind: str) -> str | None:
        return self.index.get(api_version, {}).get(kind)

    def kinds(self, api_version: str) -> list[str]:
        return list(self.index.get(api_version, {}))

    def api_versions_of(self, kind: str) -> list[str]:
        """Every apiVersion that serves this kind, GA before beta before alpha."""
        found = [av for av, kinds in self.index.items() if kind in kinds]
        return sorted(found, key=lambda av: ("alpha" in av, "beta" in av, av))

    def has_api_version(self, api_version: str) -> bool:
        return api_version in self.index

    def validator(self, definition: str) -> Compiled:
        v = self._validators.get(definition)
        if v is None:
            v = make_validator(self.schema(definition), gate_memo=self._gate_memo)
            self._validators[definition] = v
        return v

    def schema(self, definition: str) -> dict:
        """The definition with its references inlined (shared between kinds; do not modify)."""
        found = self._inlined.get(definition)
        if found is None:
            found = self._inlined[definition] = {}  # filled below; cycles see the same dict
            found.update(inline_refs(self.definition_schema(definition), self.schema))
        return found

    def definition_schema(self, definition: str) -> dict:
        """The definition as bundled, or its strict copy (its references not inlined)."""
        if not self.strict:
            return self._raw[definition]
        found = self._strict.get(definition)
        if found is None:
            found = self._strict[definition] = strict_copy(self._raw[definition])
        return found


@lru_cache(maxsize=None)
def _read(minor: tuple[int, int]) -> dict:
    path = schemas_dir() / "kubernetes" / f"v{minor[0]}.{minor[1]}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _index() -> dict:
    return json.loads((schemas_dir() / "kubernetes" / "index.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def bundled(minor: tuple[int, int], strict: bool) -> Bundled:
    return Bundled(minor, strict)


def versions_serving(api_version: str, kind: str) -> list[tuple[int, int]]:
    """Bundled minors whose schemas know this (apiVersion, kind); for "not served here" hints."""
    from kubelint.validate.versions import bundled_minors

    index = _index()
    return [m for m in bundled_minors() if kind in index.get(f"{m[0]}.{m[1]}", {}).get(api_version, {})]
