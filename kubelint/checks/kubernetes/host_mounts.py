"""`sensitive-host-mount`: a hostPath volume whose path is a sensitive directory of the node, or
a parent of one (`/var` holds `/var/lib/kubelet`): the condition language compares values, not
paths, so the parent relation lives here."""

from __future__ import annotations

import posixpath
from typing import Iterable

from kubelint.findings import Finding
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "sensitive-host-mount"


def normal(path: str) -> str:
    """`/var/lib/kubelet/` and `//etc/./` as the node resolves them (no symlinks: not known)."""
    path = posixpath.normpath(path.strip())
    return "/" if path == "//" else path


def covered(path: str, sensitive: list[str]) -> str | None:
    """The sensitive path that `path` is, or the first one it contains."""
    for item in sensitive:
        if path == item:
            return item
    prefix = path.rstrip("/") + "/"
    return next((item for item in sensitive if item.startswith(prefix)), None)


@check("k8s-host-mounts", rules=(RULE,), fills=("value", "sensitive"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    sensitive = [normal(str(p)) for p in ctx.param(RULE, "paths", []) or [] if str(p).startswith("/")]
    for obj in ctx.objects(ctx.kinds(RULE)):
        spec = obj.pod_spec
        if spec is None:
            continue
        volumes = spec.data.get("volumes")
        for i, volume in enumerate(volumes if isinstance(volumes, list) else ()):
            host = volume.get("hostPath") if isinstance(volume, dict) else None
            raw = host.get("path") if isinstance(host, dict) else None
            if not isinstance(raw, str) or not raw.startswith("/"):
                continue
            path = normal(raw)
            hit = covered(path, sensitive)
            if hit is None:
                continue
            where = spec.path + ("volumes", i, "hostPath", "path")
            yield ctx.finding(RULE, obj, where, variant=None if hit == path else "parent",
                              value=raw, sensitive=hit)
