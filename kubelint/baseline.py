"""Baselines: record today's findings, report only new ones later.

A finding's fingerprint leaves out line and column so that it survives edits above it: it is
made of the rule, the file (relative to the baseline's directory), the object's identity, the
path inside the object (or the Dockerfile stage) and the message with numbers that name places
(`line 12`, `:3:5`) normalised away. Equal fingerprints are counted, so a baseline with two
identical findings lets two through, and a third is new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kubelint import __version__
from kubelint.cache import read_at_most
from kubelint.errors import KubelintError
from kubelint.findings import Finding

BASELINE_VERSION = 1
# Numbers that name places in a file: "line 12", "column 3", "deploy.yaml:12:3".
_PLACES = re.compile(r"\b(lines?|columns?)\s+\d+|(?:(?<=\.yaml)|(?<=\.yml)|(?<=Dockerfile))(?::\d+)+", re.I)


class BaselineError(KubelintError):
    pass


def normalise_message(message: str) -> str:
    text = _PLACES.sub(lambda m: m.group(1) + " N" if m.group(1) else ":N", message)
    return " ".join(text.split())


def relative_file(file: str, root: Path) -> str:
    if file == "-" or not file:
        return file
    try:
        return Path(os.path.relpath(os.path.abspath(file), root)).as_posix()
    except ValueError:
        return Path(file).as_posix()


def fingerprint(f: Finding, root: Path, files: dict[str, str] | None = None) -> str:
    """`files` memoises relative_file for a run's findings: resolving a path costs system calls,
    and a file with 100,000 findings needs it once."""
    obj = f.object
    identity = "/".join(str(x or "") for x in (obj.api_version, obj.kind, obj.namespace, obj.name)) if obj else ""
    if files is None:
        relative = relative_file(f.file, root)
    else:
        known = files.get(f.file)
        relative = files[f.file] = known if known is not None else relative_file(f.file, root)
    parts = (f.rule, relative, identity, f.path or "", normalise_message(f.message))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def write_baseline(path: str, findings: list[Finding]) -> int:
    root = Path(path).resolve().parent
    files: dict[str, str] = {}
    entries = sorted(({
        "fingerprint": fingerprint(f, root, files), "rule": f.rule, "file": files[f.file],
        "object": f.object.label() if f.object else None, "path": f.path,
        "message": f.message} for f in findings),
        key=lambda e: (e["file"], e["rule"], e["object"] or "", e["path"] or "", e["fingerprint"]))
    doc = {"version": BASELINE_VERSION, "kubelint_version": __version__, "findings": entries}
    from kubelint.safe_write import atomic_open

    try:
        with atomic_open(path) as out:  # a failure keeps the previous baseline
            json.dump(doc, out, indent=2, ensure_ascii=False)
            out.write("\n")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror}") from None
    return len(entries)


# A baseline holds a few hundred bytes per finding: 64 MB is ~200,000 findings.
MAX_BASELINE_BYTES = 64 * 1024 * 1024


def _read_bounded(path: str) -> bytes:
    """The baseline's bytes: a regular file of at most MAX_BASELINE_BYTES. O_NONBLOCK so that
    opening a FIFO does not wait for a writer; a FIFO or device is refused, never read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path} (create it with --write-baseline)") from None
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise BaselineError(f"cannot read baseline {path}: it is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise BaselineError(f"cannot read baseline {path}: not a regular file (FIFO, socket or device)")
        if st.st_size > MAX_BASELINE_BYTES:
            raise BaselineError(f"cannot read baseline {path}: larger than "
                                f"{MAX_BASELINE_BYTES // (1024 * 1024)} MB")
        data = read_at_most(fd, MAX_BASELINE_BYTES + 1)  # the file may grow while we read it
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BASELINE_BYTES:
        raise BaselineError(f"cannot read baseline {path}: larger than {MAX_BASELINE_BYTES // (1024 * 1024)} MB")
    return data


@dataclass
class Baseline:
    path: str
    counts: Counter  # fingerprint -> how many findings it lets through

    @classmethod
    def load(cls, path: str) -> "Baseline":
        data = _read_bounded(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BaselineError(f"{path}: not a kubelint baseline: not UTF-8 "
                                f"(byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: not a kubelint baseline: {exc.msg}") from None
        except RecursionError:
            raise BaselineError(f"{path}: not a kubelint baseline: nested too deeply") from None
        if not isinstance(doc, dict) or doc.get("version") != BASELINE_VERSION \
                or not isinstance(doc.get("findings"), list):
            raise BaselineError(f"{path}:1:1: not a kubelint baseline (version {BASELINE_VERSION} expected)")
        counts: Counter[str] = Counter()
        for i, entry in enumerate(doc["findings"]):
            if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
                raise BaselineError(f"{path}: findings[{i}] has no fingerprint")
            counts[entry["fingerprint"]] += 1
        return cls(path, counts)

    @property
    def root(self) -> Path:
        return Path(self.path).resolve().parent

    def filter(self, findings: list[Finding]) -> tuple[list[Finding], int, int]:
        """(new findings, how many the baseline absorbed, baseline entries no longer seen)."""
        left = Counter(self.counts)
        new: list[Finding] = []
        known = 0
        root = self.root
        files: dict[str, str] = {}
        for f in findings:
            fp = fingerprint(f, root, files)
            if left[fp] > 0:
                left[fp] -= 1
                known += 1
            else:
                new.append(f)
        return new, known, sum(left.values())
