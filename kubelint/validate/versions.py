"""Which bundled schema version a run uses: the closest minor at or below --kubernetes-version."""

from __future__ import annotations

import re
from functools import lru_cache

from kubelint.data import schemas_dir

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")


class VersionError(ValueError):
    """--kubernetes-version is not X.Y or X.Y.Z (the CLI reports it, exit code 2)."""


@lru_cache(maxsize=1)
def bundled_minors() -> tuple[tuple[int, int], ...]:
    found = []
    for p in (schemas_dir() / "kubernetes").glob("v*.json"):
        m = _VERSION.match(p.name.removesuffix(".json"))
        if m:
            found.append((int(m.group(1)), int(m.group(2))))
    return tuple(sorted(found))


def parse_version(text: str) -> tuple[int, int]:
    m = _VERSION.match(str(text).strip())
    if not m:
        raise VersionError(f"invalid Kubernetes version '{text}': expected X.Y or X.Y.Z, e.g. 1.30")
    return int(m.group(1)), int(m.group(2))


def choose_version(requested: str | None) -> tuple[tuple[int, int], tuple[int, int], str]:
    """(target, schema, note): the version the user targets (for removed/deprecated APIs), the
    bundled schema minor used to validate, and a sentence saying so."""
    minors = bundled_minors()
    if not minors:
        raise VersionError("no bundled Kubernetes schemas found (schemas/kubernetes is missing)")
    newest, oldest = minors[-1], minors[0]
    if requested is None:
        return newest, newest, (f"Kubernetes schemas: {_fmt(newest)} "
                                "(the newest bundled; set --kubernetes-version to target another)")
    target = parse_version(requested)
    at_or_below = [m for m in minors if m <= target]
    if not at_or_below:
        return target, oldest, (f"Kubernetes schemas: {_fmt(oldest)} (no schemas bundled for {_fmt(target)}; "
                                f"{_fmt(oldest)} is the oldest; removed APIs are judged for {_fmt(target)})")
    chosen = at_or_below[-1]
    if chosen == target:
        return target, chosen, f"Kubernetes schemas: {_fmt(chosen)}"
    return target, chosen, (f"Kubernetes schemas: {_fmt(chosen)} (closest bundled version at or below "
                            f"{_fmt(target)}; removed APIs are judged for {_fmt(target)})")


def version_note(requested: str | None) -> str:
    """The line the CLI prints (with --verbose or in reports) about the schema version in use."""
    return choose_version(requested)[2]


def _fmt(v: tuple[int, int]) -> str:
    return f"{v[0]}.{v[1]}"
