"""The whole result of a run, reused when nothing it depends on changed (incremental computation).

The content cache (kubelint.filescan, kubelint.findingcache) saves parsing and the condition rules
per file; a warm run still loads every parsed file and runs the Python checks, the cross-object
rules, suppressions and the baseline on the whole scan. Most warm runs (pre-commit, CI re-runs,
an editor saving an unrelated file) change nothing at all, so the finished Result is memoised:

- `key`: the invocation (working directory, the paths and texts asked for): one entry per
  invocation, overwritten when its inputs change, so edits do not pile up entries;
- `source`: a digest of every input of the run: each file as the unit cache keys it (bytes, path,
  display name, type, namespace, --target, --debug), the build scripts read beside them, files
  skipped or unreadable, the effective settings, the rules as configured (ids, severities,
  params, conditions) and every loaded rule, the options, the baseline's bytes, the schema
  directories (names, sizes, times), today's date (end-of-life rules judge by it), the Python
  version, kubelint's code and bundled data (version, names, sizes and times of its files) and
  the installed parser, schema and regex libraries (kubelint.cache.dependency_stamp);
- what checks learned from the file system outside the scan (kubelint.probes: .dockerignore,
  .git, Dockerfiles named by build configs, the shellcheck program) is stored with the result
  and asked again before the result is used.

Anything else is a miss, and the run recomputes everything the per-file caches do not hold:
cross-object findings are recomputed whenever any input of the scan changed, so editing one
file updates the findings it causes in others. Entries are kubelint.cache binary entries (key,
source digest and checksum verified, written atomically, bounded with the other entries of the
`files` directory); a corrupt or foreign entry is a miss and is rewritten, a read-only directory
only means nothing is stored. Runs that fix files, build the wiring graph or hit an internal
error are not memoised (the fixes JSON and SARIF findings carry are part of the result).
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from kubelint.cache import Cache, dependency_stamp, digest, tree_stamp
from kubelint.filescan import unit_key
from kubelint.findings import Finding
from kubelint.runner import Reading
from kubelint.scan import Options

FORMAT = "1"
COMPRESS_ABOVE = 512 * 1024
_PLAIN, _COMPRESSED = b"p", b"z"
KEY_PREFIX = "scan-memo\0"  # what an entry's header says it is (kubelint.cache keeps the key)
_SETTINGS_IGNORED = ("config", "progress", "jobs", "cache", "format")  # no effect on the result


# A result with more findings is not memoised: pickling a finding costs ~7 us and ~330 bytes, so
# 300,000 of them (10 MB of findings-dense manifests) took 2 s and 100 MB before compression,
# a fifth of that run, for an entry that may not even fit. Such scans still use the per-file caches.
MAX_MEMO_FINDINGS = 100_000


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """kubelint's version and the names, sizes and times of its code and bundled data."""
    from kubelint import __version__
    from kubelint.data import rules_dir, schemas_dir

    parts: list[bytes | str] = [__version__, dependency_stamp()]
    base = Path(__file__).resolve().parent
    try:
        for top in (base, rules_dir(), schemas_dir()):
            parts += tree_stamp(top)
    except OSError:  # not installed as files: the version alone
        parts = [__version__, dependency_stamp()]
    return digest(*parts)


def _reading_parts(reading: Reading, options: Options) -> list[str]:
    parts = [repr(reading.skipped)]
    for what, value in reading.steps:
        if what == "source":
            key, data = unit_key(reading.sources[value], options)
            parts.append(f"source\0{key}\0{data}")
        elif what == "finding":
            parts.append(f"finding\0{value.file}\0{value.values!r}")
        else:
            parts.append(f"{what}\0{value!r}")
    for build in reading.build_files:
        parts.append(f"build\0{build.path}\0{build.display}\0" + digest(build.text))
    return parts


class ScanMemo:
    """get() the memoised Result of this run's inputs, or put() the one this run computed."""

    def __init__(self, cache: Cache, invocation: list[str], reading: Reading, options: Options,
                 settings: Any, all_rules: dict, rules: dict, baseline_path: str | None):
        self.cache = cache
        self.key = KEY_PREFIX + digest(FORMAT, os.getcwd(), *invocation)
        settings_parts = [f"{name}={value!r}" for name, value in sorted(vars(settings).items())
                          if name not in _SETTINGS_IGNORED]
        baseline = b""
        if baseline_path:
            try:
                with open(baseline_path, "rb") as fh:
                    baseline = fh.read()
            except OSError:
                baseline = b"\0unreadable"
        self.source = digest(
            FORMAT, code_fingerprint(), sys.version, date.today().isoformat(), *settings_parts,
            repr(sorted(rules.items())), repr(sorted(all_rules.items())), repr(options), baseline,
            *(part for d in options.schema_dirs for part in [d, *tree_stamp(d, strict=False)]),
            *_reading_parts(reading, options))

    def get(self) -> dict | None:
        """The memoised fields of the run's kubelint.pipeline.Result (suppressed_by included;
        the caller adds its rules and sources), or None."""
        from kubelint import probes

        payload = self.cache.get_bytes(self.key, self.source)
        if payload is None:
            return None
        try:
            if payload[:1] == _COMPRESSED:
                payload = zlib.decompress(payload[1:])
            elif payload[:1] == _PLAIN:
                payload = payload[1:]
            else:
                return None
            fields, pairs, log = pickle.loads(payload)
            if not isinstance(fields, dict) or not _shaped(fields) or not probes.still_true(log):
                return None
            kept = {id(f) for f in fields["suppressed"]}
            fields["suppressed_by"] = {id(f): s for f, s in pairs if id(f) in kept}
        except Exception:  # noqa: BLE001 - whatever the bytes, a bad entry is a miss
            return None
        return fields

    def put(self, result: Any, log: list) -> bool:
        """Store `result` (False when it is not memoised: internal errors, or not storable)."""
        if result.internal_errors or result.graph is not None or result.fixed_texts:
            return False
        if len(result.findings) + len(result.suppressed) > MAX_MEMO_FINDINGS:
            return False  # pickling them would cost a good part of the run (see MAX_MEMO_FINDINGS)
        findings = {id(f): f for f in result.suppressed}
        if any(i not in findings for i in result.suppressed_by):
            return False  # a suppression of a finding not in the result: not restorable as is
        fields = {name: getattr(result, name) for name in (
            "findings", "suppressed", "baselined", "notes", "files", "documents", "objects",
            "skipped_documents", "skipped_files", "fail_on", "units", "paths")}
        pairs = [(findings[i], s) for i, s in result.suppressed_by.items()]
        try:
            payload = pickle.dumps((fields, pairs, log), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - something unpicklable: not memoised
            return False
        # A big result is compressed (about 6x for ../shared/corpus/k8s's, 10 ms), so that the
        # results of much larger scans still fit in a cache entry (kubelint.cache.MAX_ENTRY_BYTES).
        payload = _COMPRESSED + zlib.compress(payload, 1) if len(payload) > COMPRESS_ABOVE else _PLAIN + payload
        return self.cache.put_bytes(self.key, self.source, payload)


def _shaped(fields: dict) -> bool:
    findings, suppressed = fields.get("findings"), fields.get("suppressed")
    return (isinstance(findings, list) and isinstance(suppressed, list)
            and all(isinstance(f, Finding) for f in findings) and all(isinstance(f, Finding) for f in suppressed)
            and isinstance(fields.get("notes"), list) and isinstance(fields.get("units"), dict))
