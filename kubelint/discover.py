"""Finding the files to lint and telling Kubernetes YAML from Dockerfiles."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable, Sequence

SKIP_DIRS = {"node_modules", "vendor", "third_party", "__pycache__", "site-packages", "venv"}
YAML_SUFFIXES = (".yaml", ".yml")
_DOCKERFILE_START = re.compile(r"^\s*(?:#\s*(?:syntax|escape)\s*=|FROM\s|ARG\s)", re.I | re.M)


@dataclass
class Discovered:
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, "yaml"|"dockerfile"|"build")
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    missing: list[str] = field(default_factory=list)
    # path -> its status as the walk saw it (after symlinks): kubelint.scanmemo's key by status
    stats: dict[str, os.stat_result] = field(default_factory=dict)


# Scripts and Makefiles: read for `docker build` lines only (kubelint.parse.buildconfig).
SCRIPT_NAMES = ("Makefile", "makefile", "GNUmakefile")
SCRIPT_SUFFIXES = (".mk", ".sh", ".bash")


def classify(name: str) -> str | None:
    """File class from the name alone: 'yaml', 'dockerfile', 'build' (a Makefile or shell
    script, read only for the images it builds) or None."""
    return _classify_name(os.path.basename(name))


def _classify_name(base: str) -> str | None:
    lower = base.lower()
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    if base in ("Dockerfile", "Containerfile") or base.startswith(("Dockerfile.", "Containerfile.")) \
            or lower.endswith((".dockerfile", ".containerfile")):
        return "dockerfile"
    if base in SCRIPT_NAMES or lower.endswith(SCRIPT_SUFFIXES):
        return "build"
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


# Why a directory the walk does not enter is listed in the summary's skipped entries.
SKIP_REASON = "skipped by default (vendored, generated or environment directory)"
LINKED_DIR_REASON = "symlinked directory not followed (--follow-symlinks to follow it)"
OUTSIDE_REASON = "symlink to a file outside the scanned paths (--follow-symlinks to lint it)"


@dataclass
class _Walk:
    exclude: list[str]  # --exclude globs: relative to each directory given, or to the cwd
    excluded: Callable[[str], bool] | None  # the config's excludes
    follow_symlinks: bool
    roots: list[str]  # real paths of the directories given: symlinks may point inside them
    out: Discovered
    seen: set[str]

    def is_excluded(self, path: str, rel: str | None = None) -> bool:
        if self.exclude and ((rel is not None and _excluded(rel, self.exclude))
                             or _excluded(path, self.exclude)
                             or matches_glob(path, self.exclude, Path.cwd())):
            return True
        return self.excluded is not None and self.excluded(path)

    def inside_roots(self, real: str) -> bool:
        return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in self.roots)

    def add(self, path: str, kind: str, st: os.stat_result, real: str | None = None) -> None:
        """`st`: the file's status; `real`: its real path when the caller knows it."""
        real = real if real is not None else os.path.realpath(path)
        if real not in self.seen:  # `a.yaml ./a.yaml $PWD/a.yaml` and links to one file: once
            self.seen.add(real)
            self.out.files.append((path, kind))
            self.out.stats[path] = st


def discover(paths: list[str], exclude: Sequence[str] = (), forced_type: str | None = None, *,
             excluded: Callable[[str], bool] | None = None, force_exclude: bool = False,
             follow_symlinks: bool = False, stdin_name: str | None = None) -> Discovered:
    """Files to lint under `paths`.

    Excludes (the `exclude` globs and the `excluded` predicate) prune directory walks. Paths
    named explicitly are linted even when excluded, unless `force_exclude` (as ruff does), so a
    pre-commit hook passing file names honours excludes. In walks, a file symlink whose target
    is outside every directory given is skipped and listed, unless `follow_symlinks`."""
    out = Discovered()
    roots = [os.path.realpath(p) for p in paths if p != "-" and os.path.isdir(p)]
    walk = _Walk(list(exclude), excluded, follow_symlinks, roots, out, set())
    for given in paths:
        if given == "-":
            if not (force_exclude and stdin_name and walk.is_excluded(stdin_name)):
                out.files.append(("-", forced_type or ""))
            continue
        try:
            st = os.stat(given)
        except OSError as exc:
            if os.path.lexists(given):
                out.skipped.append((display_path(given), f"cannot stat: {exc.strerror}"))
            else:
                out.missing.append(given)
            continue
        if force_exclude and walk.is_excluded(given):
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(given, walk)
        elif stat.S_ISREG(st.st_mode):
            # Explicit files are linted whatever their name; the type is guessed from content later.
            walk.add(given, forced_type or classify(given) or "", st)
        else:
            out.skipped.append((display_path(given), "not a regular file (FIFO, socket or device)"))
    return out


def _walk(root: str, walk: _Walk) -> None:
    out = walk.out
    visited = {os.path.realpath(root)}  # with --follow-symlinks: never enter a directory twice
    for dirpath, dirnames, filenames in os.walk(root, followlinks=walk.follow_symlinks, onerror=lambda e: out.skipped.append(
            (display_path(e.filename or root), f"cannot read directory: {e.strerror}"))):
        keep = []
        for d in sorted(dirnames):
            path = os.path.join(dirpath, d)
            rel = os.path.relpath(path, root)
            if d.startswith(".") or walk.is_excluded(path, rel):
                continue
            if d in SKIP_DIRS:
                out.skipped.append((display_path(path), SKIP_REASON))
                continue
            if walk.follow_symlinks:
                real = os.path.realpath(path)
                if real in visited:  # a loop, or a second way to the same directory
                    continue
                visited.add(real)
            elif os.path.islink(path):
                # Not entered by default: a link may leave the tree or loop back into it.
                out.skipped.append((display_path(path), LINKED_DIR_REASON))
                continue
            keep.append(d)
        dirnames[:] = keep
        # Per directory, not per file (relpath and realpath cost a tenth of a warm run): a file
        # that is not a symlink is found at its directory's real path.
        rel_dir = os.path.relpath(dirpath, root)
        real_dir: str | None = None
        prefix = os.path.join(dirpath, "")  # joined once: os.path.join per file was a tenth of a warm run
        rel_prefix = "" if rel_dir == "." else os.path.join(rel_dir, "")
        excludes = bool(walk.exclude) or walk.excluded is not None
        for name in sorted(filenames):
            kind = _classify_name(name)
            if kind is None or name.startswith("."):
                continue
            path = prefix + name
            if excludes and walk.is_excluded(path, rel_prefix + name):
                continue
            try:
                st = os.lstat(path)
                link = stat.S_ISLNK(st.st_mode)
                if link:
                    st = os.stat(path)
            except OSError as exc:
                out.skipped.append((display_path(path), f"cannot stat: {exc.strerror}"))
                continue
            if not stat.S_ISREG(st.st_mode):
                out.skipped.append((display_path(path), "not a regular file (FIFO, socket or device)"))
                continue
            if link:
                real = os.path.realpath(path)
                if not walk.follow_symlinks and not walk.inside_roots(real):
                    out.skipped.append((display_path(path), OUTSIDE_REASON))
                    continue
            else:
                if real_dir is None:
                    real_dir = os.path.join(os.path.realpath(dirpath), "")
                real = real_dir + name
            walk.add(path, kind, st, real)


def display_path(path: str) -> str:
    """Paths under the current directory are shown relative to it. Bytes that are not UTF-8
    are spelled as escapes (`bad\\xff.yaml`), so every report can encode the name."""
    from kubelint.escape import escape_name

    if path == "-":
        return path
    fast = _plain_relative(path)
    if fast is not None:
        return escape_name(fast)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return escape_name(path)
    return escape_name(path if rel.startswith("..") else Path(rel).as_posix())


def _plain_relative(path: str) -> str | None:
    """What display_path makes of a path without `.`, `..` or empty parts, without relpath's
    normalising (a warm run shows every file's path): relative stays, absolute is cut to the
    current directory or kept whole. None for any other path."""
    if os.sep != "/" or not path or path.endswith("/") or "//" in path:
        return None
    parts = path.split("/")
    if "." in parts or ".." in parts:
        return None
    if not path.startswith("/"):
        return path
    cwd = os.getcwd()
    if path == cwd:
        return None
    prefix = cwd if cwd.endswith("/") else cwd + "/"
    return path[len(prefix):] if path.startswith(prefix) else path


def matches_glob(path: str, globs: list[str], root: Path) -> bool:
    """gitignore-like matching: a glob without `/` matches any path component (a file or a
    directory name anywhere); a glob with `/` matches the path relative to `root`, or one of
    its parent directories."""
    if path == "-":
        return False
    try:
        rel = Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:  # another drive on Windows
        rel = Path(path).as_posix()
    parts = rel.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for glob in globs:
        g = glob.strip().rstrip("/")
        if g.startswith("./"):
            g = g[2:]
        if "/" not in g:
            if any(fnmatch(p, g) for p in parts):
                return True
        elif any(fnmatch(p, g) for p in prefixes) or fnmatch(rel, g):
            return True
    return False
