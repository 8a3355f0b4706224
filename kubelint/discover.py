"""Finding the files to lint and telling Kubernetes YAML from Dockerfiles."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

SKIP_DIRS = {"node_modules", "vendor", "third_party", "__pycache__", "site-packages", "venv"}
YAML_SUFFIXES = (".yaml", ".yml")
_DOCKERFILE_START = re.compile(r"^\s*(?:#\s*(?:syntax|escape)\s*=|FROM\s|ARG\s)", re.I | re.M)


@dataclass
class Discovered:
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, "yaml"|"dockerfile")
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    missing: list[str] = field(default_factory=list)


def classify(name: str) -> str | None:
    """File class from the name alone: 'yaml', 'dockerfile' or None."""
    base = os.path.basename(name)
    lower = base.lower()
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    if base in ("Dockerfile", "Containerfile") or base.startswith(("Dockerfile.", "Containerfile.")) \
            or lower.endswith((".dockerfile", ".containerfile")):
        return "dockerfile"
    return None


def guess_type(text: str) -> str:
    """For a file named neither way (given explicitly, or stdin): look at its first lines."""
    head = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    m = _DOCKERFILE_START.search(head)
    if m and not re.search(r"^\s*(apiVersion|kind)\s*:", head, re.M):
        return "dockerfile"
    return "yaml"


def _excluded(rel: str, patterns: list[str]) -> bool:
    name = os.path.basename(rel)
    return any(fnmatch(rel, p) or fnmatch(name, p) or fnmatch(rel, p.rstrip("/") + "/*") for p in patterns)


def discover(paths: list[str], exclude: list[str] = (), forced_type: str | None = None) -> Discovered:
    out = Discovered()
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            out.files.append(("-", forced_type or ""))
            continue
        try:
            st = os.stat(given)
        except OSError as exc:
            if os.path.lexists(given):
                out.skipped.append((given, f"cannot stat: {exc.strerror}"))
            else:
                out.missing.append(given)
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(given, exclude, out, seen)
        elif stat.S_ISREG(st.st_mode):
            # Explicit files are linted whatever their name; the type is guessed from content later.
            if given not in seen:
                seen.add(given)
                out.files.append((given, forced_type or classify(given) or ""))
        else:
            out.skipped.append((given, "not a regular file (FIFO, socket or device)"))
    return out


def _walk(root: str, exclude, out: Discovered, seen: set[str]) -> None:
    # followlinks=False: symlinked directories are not entered, so symlink loops cannot trap us.
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=lambda e: out.skipped.append(
            (e.filename or root, f"cannot read directory: {e.strerror}"))):
        keep = []
        for d in sorted(dirnames):
            rel = os.path.relpath(os.path.join(dirpath, d), root)
            if d.startswith(".") or d in SKIP_DIRS or _excluded(rel, exclude):
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            kind = classify(name)
            if kind is None or name.startswith("."):
                continue
            if _excluded(rel, exclude) or _excluded(path, exclude):
                continue
            try:
                st = os.stat(path)
            except OSError as exc:
                out.skipped.append((path, f"cannot stat: {exc.strerror}"))
                continue
            if not stat.S_ISREG(st.st_mode):
                out.skipped.append((path, "not a regular file (FIFO, socket or device)"))
                continue
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            out.files.append((path, kind))


def display_path(path: str) -> str:
    """Paths under the current directory are shown relative to it. Bytes that are not UTF-8
    are spelled as escapes (`bad\\xff.yaml`), so every report can encode the name."""
    from kubelint.report.escape import escape_name

    if path == "-":
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return escape_name(path)
    return escape_name(path if rel.startswith("..") else Path(rel).as_posix())
