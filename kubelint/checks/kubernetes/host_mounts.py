"""`sensitive-host-mount`: a hostPath volume whose path is a sensitive directory of the node, or
a parent of one (`/var` holds `/var/lib/kubelet`): the condition language compares values, not
paths, so the parent relation lives here. `writable-host-mount`: a container's mount of a hostPath
volume without readOnly (a join of volumeMounts with the pod's volumes by name)."""

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


# --- writable-host-mount ---------------------------------------------------------------------------
WRITABLE = "writable-host-mount"
# A read-only mount does not stop writes to a socket or a device node (the kernel checks the
# mount's flag for regular files and directories only), so asking for one there is no fix.
_NOT_FILES = ("Socket", "CharDevice", "BlockDevice")


def _host_volumes(volumes: list[dict]) -> dict[str, str]:
    """name -> host path of the pod's hostPath volumes whose mount readOnly can protect."""
    out = {}
    for volume in volumes:
        host = volume.get("hostPath")
        if not isinstance(host, dict):
            continue
        path = host.get("path")
        if not isinstance(path, str) or not isinstance(volume.get("name"), str):
            continue
        # Placeholders for a path chosen at install time (`<dataDirHostPath>`, `${DIR}`) name no path.
        if any(c in path for c in "<>{}$"):
            continue
        leaf = path.rstrip("/").rsplit("/", 1)[-1]
        if host.get("type") in _NOT_FILES or leaf.endswith((".sock", ".socket")):
            continue
        out[volume["name"]] = path
    return out


@check("k8s-writable-host-mounts", rules=(WRITABLE,), fills=("container", "value", "volume", "mount"))
def writable(ctx: CheckContext) -> Iterable[Finding | None]:
    for obj in ctx.objects(ctx.kinds(WRITABLE)):
        spec = obj.pod_spec
        if spec is None:
            continue
        hosts = _host_volumes(spec.volumes())
        if not hosts:
            continue
        for container in spec.containers:
            mounts = container.data.get("volumeMounts")
            for i, mount in enumerate(mounts if isinstance(mounts, list) else ()):
                if not isinstance(mount, dict) or mount.get("name") not in hosts or mount.get("readOnly") is True:
                    continue
                where = container.path + ("volumeMounts", i)
                if "readOnly" in mount:
                    where += ("readOnly",)
                yield ctx.finding(WRITABLE, obj, where, container=container.name, value=hosts[mount["name"]],
                                  volume=mount["name"], mount=str(mount.get("mountPath", "")))
