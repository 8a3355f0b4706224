"""The condition rules' findings of each file, kept beside its parsed unit for a warm run.

Condition rules (`condition:` in a rule file) judge one object at a time: what they find in a
file depends on the file's objects, the rules and their settings, the code that evaluates them,
and two things other files decide, each object's namespace (a Kustomization elsewhere may set
it) and whether it is a partial object (a kustomize patch). A warm run checks those two first
and reuses the file's findings only when every object's are the same as when they were stored;
Python checks, cross-object rules and adjusters always run on the whole scan.

Entries live in the `files` cache directory as kubelint.unitcache packs of their own (index
`file-findings-index`), keyed by the file's unit key and a digest of the condition rules as
configured and of kubelint's code; each holds (context, findings per object), pickled.
"""

from __future__ import annotations

import pickle
from typing import Any

from kubelint.cache import MAX_ENTRY_BYTES, Cache, digest, pickled
from kubelint.findings import Finding
from kubelint.parse.source import SourceFile
from kubelint.ruleapi.rule import Rule
from kubelint.scan import Options
from kubelint.unitcache import UnitStore

KIND = "file-findings"


def code_fingerprint() -> str:
    """The code a condition's findings come from: the parser and model (with findings.py, in
    kubelint.filescan's fingerprint, which has the version) and the engine, rule API and checks
    (the loader's); both are computed once per process anyway."""
    from kubelint.engine.loader import code_fingerprint as checking_code
    from kubelint.filescan import code_fingerprint as parsing_code

    return digest(parsing_code(), checking_code())


def rules_digest(rules: list[Rule]) -> str:
    """What the condition rules, as this run configured them, make of an object."""
    return digest(code_fingerprint(), *(repr((
        r.id, r.severity, r.message, r.remediation, r.doc_url, r.applies_to, r.kinds, r.container_groups,
        r.instructions, r.condition, r.for_each, r.params)) for r in rules))


class FindingCache:
    """get/put the condition findings of one file's objects; close() writes what was put."""

    def __init__(self, cache: Cache, rules: list[Rule], options: Options):
        self.store = UnitStore(cache, KIND)
        self.rules = rules_digest(rules)
        self.options = options

    def _key(self, source: SourceFile) -> tuple[str, str]:
        from kubelint.filescan import unit_key

        key, data = unit_key(source, self.options)
        return digest(key, self.rules), data

    @staticmethod
    def keeps(source: SourceFile) -> bool:
        """Whether the findings of this file are stored at all (put), so worth looking up."""
        return len(source.text) <= MAX_ENTRY_BYTES  # else its unit is not cached either

    def get(self, source: SourceFile, context: tuple) -> list[list[Finding]] | None:
        if not self.store.index:  # nothing stored (a cold run): no key to work out per file
            return None
        payload = self.store.get(*self._key(source))
        if payload is None:
            return None
        try:
            stored, findings = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - whatever the bytes, a bad entry is a miss
            return None
        if stored != context or not _shaped(findings, len(context)):
            return None
        return findings

    def put(self, source: SourceFile, context: tuple, findings: list[list[Finding]]) -> None:
        if not self.keeps(source):
            return  # its unit is not cached either (kubelint.filescan.encode_for_cache)
        try:
            payload = pickled((context, findings))
        except Exception:  # noqa: BLE001 - something unpicklable: not cached
            return
        if payload is not None:  # else too big to keep
            self.store.put(*self._key(source), payload)

    def close(self) -> None:
        try:
            self.store.close()
        except OSError:
            pass


def _shaped(findings: Any, count: int) -> bool:
    return (isinstance(findings, list) and len(findings) == count
            and all(isinstance(fs, list) and all(isinstance(f, Finding) for f in fs) for fs in findings))
