"""A Dockerfile VOLUME that no volume of the container is mounted at (or above): Kubernetes
ignores VOLUME, so what the process writes there stays in the container's writable layer, lost
when the container restarts, and fails outright under readOnlyRootFilesystem."""

from __future__ import annotations

import posixpath

from kubelint.checks.images.base import LINK_VALUES, at_line, link_related, linked_containers, where
from kubelint.model.dockerfile import expand
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "image-volume-unmounted"


def _covered(path: str, mounts: list[str]) -> bool:
    return any(path == m or m == "/" or path.startswith(m.rstrip("/") + "/") for m in mounts)


@check("image-volumes", rules=(RULE,), fills=LINK_VALUES + ("volume", "at"))
def run(ctx: CheckContext):
    for item in linked_containers(ctx, RULE, groups=("containers",)):
        c = item.container
        mounts = [posixpath.normpath(str(m["mountPath"])) for m in c.data.get("volumeMounts") or ()
                  if isinstance(m, dict) and isinstance(m.get("mountPath"), str)]
        security = c.data.get("securityContext")
        read_only = isinstance(security, dict) and security.get("readOnlyRootFilesystem") is True
        seen: set[str] = set()
        for inst in item.image.volumes:
            for raw in inst.args:
                text, unknown = expand(raw, inst.vars)
                if unknown or not text.startswith("/"):
                    continue
                path = posixpath.normpath(text)
                if path in seen or _covered(path, mounts):
                    continue
                seen.add(path)
                yield ctx.finding(RULE, item.obj, c.path + ("volumeMounts",), key=True, absent=True,
                                  variant="read-only" if read_only else None, volume=path, at=where(inst),
                                  related=[at_line(inst, f"VOLUME {path}"), *link_related(item.link)],
                                  **item.values())
