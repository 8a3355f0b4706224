"""The shared corpus stores each repository flattened into one folder: `owner__repo/` holds
`deploy__base__web.yaml` for the repository's `deploy/base/web.yaml`. kubelint reads a file name
as nothing but a name, so tests that depend on directories (which objects see each other,
kustomize patches and their relative references) lint the corpus laid out as the repositories
have it, and map paths back to the stored names when they compare with the reviewed findings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path


def unflatten(relative: str) -> str:
    """`owner__repo/deploy__base__web.yaml` -> `owner__repo/deploy/base/web.yaml` (the first
    part names the repository and keeps its `__`)."""
    repo, _, name = relative.partition("/")
    return f"{repo}/{name.replace('__', '/')}" if name else relative


def build_tree(corpus: Path, dest: Path) -> dict[str, str]:
    """Copy the corpus to `dest` with the repositories' own directories; returns the new
    relative paths -> the stored ones."""
    stored_as = {}
    for path in sorted(corpus.rglob("*")):
        if not path.is_file():
            continue
        stored = path.relative_to(corpus).as_posix()
        relative = unflatten(stored)
        if relative in stored_as:
            raise ValueError(f"{stored} and {stored_as[relative]} would both be {relative}")
        stored_as[relative] = stored
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return stored_as


def stored_names(text: str, root: Path, stored_as: dict[str, str]) -> str:
    """`text` with every path under `root` written as the corpus stores it, relative to it."""
    prefix = re.escape(f"{root}/")
    return re.sub(prefix + r"([^\s:()',;]+)", lambda m: stored_as.get(m.group(1), m.group(1)), text)
