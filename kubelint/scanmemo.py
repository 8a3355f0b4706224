"""The whole result of a run, reused when nothing it depends on changed (incremental computation).

The content cache (kubelint.filescan, kubelint.findingcache) saves parsing and the condition rules
per file; a warm run still loads every parsed file and runs the Python checks, the cross-object
rules, suppressions and the baseline on the whole scan. Most warm runs (pre-commit, CI re-runs,
an editor saving an unrelated file) change nothing at all, so the finished Result is memoised:

- `key`: the invocation (working directory, the paths and texts asked for): one entry per
  invocation, overwritten when its inputs change, so edits do not pile up entries;
- `source`: a digest of every input of the run: each file as the unit cache keys it (bytes, path,
  display name, type, namespace, --target, --debug), the build scripts read beside them, files
  skipped or unreadable, the effective settings (selection, severities, params), the enabled
  rules' ids and severities, every user rule (--rules-dir) as built (kubelint's own rules are
  their files, stamped with the code below), the options, the baseline's bytes, the schema
  directories (names, sizes, times), today's date (end-of-life rules judge by it), the Python
  version, kubelint's code and bundled data (version, names, sizes and times of its files) and
  the installed parser, schema and regex libraries (kubelint.cache.dependency_stamp);
- what checks learned from the file system outside the scan (kubelint.probes: .dockerignore,
  .git, Dockerfiles named by build configs, the shellcheck program) is stored with the result
  and asked again before the result is used.

A warm run need not even read the files: beside the result, a second entry (`scan-stat`) maps
the files' status (device, inode, size, modification and change times, as git's index and ruff's
cache use them) to the digest of their contents the result was stored under. When every
discovered file's status is what it was, that digest is the one reading them would give, so the
result is used without opening a file (reports that quote lines read those files then). A file
changed since cannot keep its status: writing it sets its change time to the clock's now, which
nobody can set back. The one blind spot is a file written twice within the file system's
timestamp granularity, the second time after it was read; as git does for "racily clean" files,
no status entry is stored while any file's times are within RACY_SECONDS of the run's start, so
such a run reads (and hashes) every file again next time.

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
import time
import zlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from kubelint.cache import Cache, dependency_stamp, digest, tree_stamp
from kubelint.discover import Discovered
from kubelint.filescan import unit_key
from kubelint.findings import Finding
from kubelint.runner import Reading
from kubelint.scan import Options

FORMAT = "1"
# Half a cache entry (kubelint.cache.MAX_ENTRY_BYTES): a smaller result is read faster as it is
# than decompressed (../shared/corpus/k8s's, 0.8 MB: 2 ms of a 0.1 s warm run).
COMPRESS_ABOVE = 4 * 1024 * 1024
_PLAIN, _COMPRESSED = b"p", b"z"
KEY_PREFIX = "scan-memo\0"  # what an entry's header says it is (kubelint.cache keeps the key)
STAT_PREFIX = "scan-stat\0"
# Coarser than any file system's timestamps (FAT: 2 s) and clock skew of a network file system.
RACY_SECONDS = 3.0
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


def _rule_parts(all_rules: dict) -> list[str]:
    """The rules: kubelint's own are their files and code (code_fingerprint stamps both), the
    run's selection, severities and params are in the settings; user rule files (--rules-dir)
    are their built rules, whole. So a run without user rule files is keyed without loading any
    rule (kubelint.pipeline loads them only when the memo does not answer; the repr of all 231
    built-in rules was a tenth of a warm run, loading them another tenth)."""
    users = sorted((rid, rule) for rid, rule in all_rules.items() if not rule.builtin)
    return [repr(users)] if users else []


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


class FileStats:
    """The status of a run's discovered files before they are read (as discovery saw them):
    parts of the scan-stat key, and whether the entry may be stored (no file too fresh to trust
    its times, none without a status)."""

    def __init__(self, discovered: Discovered):
        newest_trusted = time.time_ns() - int(RACY_SECONDS * 1e9)
        # Windows' st_ctime is the creation time, which a write leaves alone: no shortcut there.
        self.settled = os.name != "nt"
        self.parts = [repr(discovered.skipped)]
        for path, file_type in discovered.files:
            st = discovered.stats.get(path)
            if st is None:
                self.settled = False
                continue
            if st.st_mtime_ns >= newest_trusted or st.st_ctime_ns >= newest_trusted:
                self.settled = False
            self.parts.append(f"{path}\0{file_type}\0{st.st_dev}\0{st.st_ino}\0{st.st_size}"
                              f"\0{st.st_mtime_ns}\0{st.st_ctime_ns}")


class ScanMemo:
    """get() the memoised Result of this run's inputs, or put() the one this run computed.
    get_by_stats() finds it from the files' status alone, before they are read; read() gives
    the files' contents for get() and put()."""

    def __init__(self, cache: Cache, invocation: list[str], options: Options,
                 settings: Any, all_rules: dict, baseline_path: str | None):
        """`all_rules`: the loaded rules when the run has user rule files (see _rule_parts)."""
        self.cache = cache
        invoked = digest(FORMAT, os.getcwd(), *invocation)
        self.key, self.stat_key = KEY_PREFIX + invoked, STAT_PREFIX + invoked
        self.options = options
        settings_parts = [f"{name}={value!r}" for name, value in sorted(vars(settings).items())
                          if name not in _SETTINGS_IGNORED]
        baseline = b""
        if baseline_path:
            try:
                with open(baseline_path, "rb") as fh:
                    baseline = fh.read()
            except OSError:
                baseline = b"\0unreadable"
        # Everything but the files: what both entries are derived from.
        self.context = digest(
            FORMAT, code_fingerprint(), sys.version, date.today().isoformat(), *settings_parts,
            *_rule_parts(all_rules), repr(options), baseline,
            *(part for d in options.schema_dirs for part in [d, *tree_stamp(d, strict=False)]))
        self.source = ""

    def read(self, reading: Reading) -> None:
        """The files as read: what get() and put() key the result by."""
        self.source = digest(self.context, *_reading_parts(reading, self.options))

    def get_by_stats(self, stats: FileStats) -> dict | None:
        """The memoised fields (as get()) when every file's status is as the result's run saw it."""
        pointer = self.cache.get_bytes(self.stat_key, digest(self.context, *stats.parts))
        if pointer is None:
            return None
        try:
            self.source = pointer.decode("ascii")
        except UnicodeDecodeError:
            return None
        fields = self.get()
        self.source = ""  # read() decides for a run that reads the files after all
        return fields

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

    def put(self, result: Any, log: list, stats: FileStats | None = None) -> bool:
        """Store `result` (False when it is not memoised: internal errors, or not storable), and
        with settled `stats` (taken before the files were read) the entry that finds it by them."""
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
        # A big result is compressed (about 6x), so that the results of much larger scans still
        # fit in a cache entry (kubelint.cache.MAX_ENTRY_BYTES).
        payload = _COMPRESSED + zlib.compress(payload, 1) if len(payload) > COMPRESS_ABOVE else _PLAIN + payload
        if not self.cache.put_bytes(self.key, self.source, payload):
            return False
        if stats is not None and stats.settled:
            self.cache.put_bytes(self.stat_key, digest(self.context, *stats.parts), self.source.encode("ascii"))
        return True


def _shaped(fields: dict) -> bool:
    findings, suppressed = fields.get("findings"), fields.get("suppressed")
    return (isinstance(findings, list) and isinstance(suppressed, list)
            and all(isinstance(f, Finding) for f in findings) and all(isinstance(f, Finding) for f in suppressed)
            and isinstance(fields.get("notes"), list) and isinstance(fields.get("units"), dict))
