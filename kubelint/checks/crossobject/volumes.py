"""One pod's containers together: the volumes they share and the network namespace they share.

Rules: undefined-volume, unused-volume, volume-handoff, port-conflict, duplicate-mount-path,
subpath-traversal.
"""

from __future__ import annotations

import difflib
import posixpath
from collections import defaultdict

from kubelint.index.common import related, where
from kubelint.index.names import text
from kubelint.index.objects import index_of
from kubelint.model.k8s import Container, KubeObject, PodSpec
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULES = ("undefined-volume", "unused-volume", "volume-handoff", "port-conflict",
         "duplicate-mount-path", "subpath-traversal")


@check("cross-volumes", rules=RULES, fills=(
    "container", "volume", "volumes", "volumes_at", "similar", "mount_path", "other_volume", "other_at",
    "field", "sub_path", "volume_at", "containers", "other", "port", "protocol"))
def run(ctx: CheckContext):
    if not any(ctx.enabled(r) for r in RULES):
        return
    index = index_of(ctx)
    for obj in index.all_objects:
        spec = obj.pod_spec
        if spec is None:
            continue
        ctx.in_file(obj.file)
        volumes = _volumes(spec)
        volumes.update(_claim_templates(obj, spec, volumes))
        # A kustomize patch (or a pod spec without containers) may leave out volumes, mounts or
        # containers the finished object has: the findings decided by those are `absent`.
        yield from _mounts(ctx, obj, spec, volumes)
        yield from _unused(ctx, obj, spec, volumes)
        yield from _handoff(ctx, obj, spec, volumes)
        yield from _port_conflicts(ctx, obj, spec)


def _volumes(spec: PodSpec) -> dict[str, tuple[int, dict]]:
    """Volume name -> (index, volume), the first of each name."""
    out = {}
    items = spec.data.get("volumes")
    for i, v in enumerate(items if isinstance(items, list) else ()):
        name = text(v.get("name")) if isinstance(v, dict) else None
        if name is not None and name not in out:
            out[name] = (i, v)
    return out


def _claim_templates(obj: KubeObject, spec: PodSpec, volumes: dict) -> dict:
    """A StatefulSet's volumeClaimTemplates: volumes of each pod, named like the template."""
    templates = obj.get("spec", "volumeClaimTemplates") if obj.kind == "StatefulSet" else None
    out: dict = {}
    for t in templates if isinstance(templates, list) else ():
        meta = t.get("metadata") if isinstance(t, dict) else None
        name = text(meta.get("name")) if isinstance(meta, dict) else None
        if name is not None and name not in volumes:
            out[name] = (None, {"persistentVolumeClaim": {}})
    return out


def _volume_path(spec: PodSpec, index: int) -> tuple:
    return spec.path + ("volumes", index)


def _uses(container: Container):
    """(path, volume name) for each volumeMount and volumeDevice of a container."""
    for field in ("volumeMounts", "volumeDevices"):
        items = container.data.get(field)
        for i, m in enumerate(items if isinstance(items, list) else ()):
            if isinstance(m, dict) and text(m.get("name")) is not None:
                yield container.path + (field, i), text(m.get("name")), m


# undefined-volume, duplicate-mount-path, subpath-traversal ------------------------------------
def _mounts(ctx, obj: KubeObject, spec: PodSpec, volumes: dict):
    declared = sorted(volumes) or "none"
    listed = bool(spec.data.get("volumes"))  # else only a StatefulSet's claim templates, or none
    for c in spec.containers:
        paths: dict[str, tuple] = {}
        for path, name, mount in _uses(c):
            if name not in volumes:
                close = difflib.get_close_matches(name, list(volumes), n=1, cutoff=0.6)
                variant = ("similar" if close else None) if listed else \
                    ("no-volumes-similar" if close else "no-volumes")
                yield ctx.finding(
                    "undefined-volume", obj, path + ("name",), variant=variant, container=c.name, volume=name, absent=True,
                    volumes=declared, similar=close[0] if close else None,
                    volumes_at=where(obj, spec.path + ("volumes",)) if listed else None,
                    related=_volumes_related(obj, spec))
            if path[-2] != "volumeMounts":
                continue
            mount_path = text(mount.get("mountPath"))
            if mount_path is not None:
                normal = posixpath.normpath(mount_path) if mount_path.startswith("/") else mount_path.rstrip("/")
                if normal in paths:
                    first = paths[normal]
                    yield ctx.finding(
                        "duplicate-mount-path", obj, path + ("mountPath",), container=c.name, volume=name,
                        mount_path=mount_path, other_volume=first[1], other_at=where(obj, first[0] + ("mountPath",)),
                        related=[related(obj, first[0] + ("mountPath",), f"volume '{first[1]}' mounted at {first[2]}")])
                else:
                    paths[normal] = (path, name, mount_path)
            for field in ("subPath", "subPathExpr"):
                sub = mount.get(field)
                if isinstance(sub, str) and _escapes(sub):
                    yield ctx.finding(
                        "subpath-traversal", obj, path + (field,), variant=None if sub.startswith("/") else "climbs",
                        container=c.name, volume=name, field=field, sub_path=sub)


def _escapes(sub: str) -> bool:
    return sub.startswith("/") or ".." in sub.replace("\\", "/").split("/")


def _volumes_related(obj: KubeObject, spec: PodSpec):
    if not spec.data.get("volumes"):
        return []
    return [related(obj, spec.path + ("volumes",), "the pod's volumes")]


# unused-volume ---------------------------------------------------------------------------------
def _unused(ctx, obj: KubeObject, spec: PodSpec, volumes: dict):
    if not ctx.enabled("unused-volume") or not volumes:
        return
    used = {name for c in spec.containers for _, name, _ in _uses(c)}
    for name, (i, _) in volumes.items():
        if name not in used and i is not None:
            yield ctx.finding("unused-volume", obj, _volume_path(spec, i) + ("name",), volume=name, absent=True)


# volume-handoff --------------------------------------------------------------------------------
# Paths a container commonly keeps to itself (scratch space for a read-only root filesystem).
SCRATCH = ("/tmp", "/var/tmp", "/run", "/var/run")


def _handoff(ctx, obj: KubeObject, spec: PodSpec, volumes: dict):
    if not ctx.enabled("volume-handoff") or len(spec.containers) < 2:
        return
    users = defaultdict(list)  # emptyDir name -> [(container, mount path, mount)]
    for c in spec.containers:
        if c.group == "ephemeralContainers":
            continue
        for path, name, mount in _uses(c):
            if name in volumes and "emptyDir" in volumes[name][1] and path[-2] == "volumeMounts":
                users[name].append((c, path, mount))
    for name, mounts in users.items():
        if len({id(c) for c, _, _ in mounts}) != 1:
            if not any(not m.get("readOnly") for _, _, m in mounts):
                c, path, _ = mounts[0]
                # decided by the containers the pod has: a patch may leave out the writer or reader
                yield ctx.finding("volume-handoff", obj, path + ("name",), variant="all-read-only", volume=name, absent=True,
                                  containers=[c.name for c, _, _ in mounts])
            continue
        c, path, mount = mounts[0]
        mount_path = text(mount.get("mountPath")) or ""
        volume = [related(obj, _volume_path(spec, volumes[name][0]), f"emptyDir '{name}'")]
        values = {"container": c.name, "volume": name, "volume_at": where(obj, _volume_path(spec, volumes[name][0]))}
        if mount.get("readOnly"):
            yield ctx.finding("volume-handoff", obj, path + ("name",), variant="read-only", related=volume, absent=True,
                              **values)
        elif (c.is_init or c.is_sidecar) and not mount_path.startswith(SCRATCH):
            yield ctx.finding("volume-handoff", obj, path + ("name",), variant="sidecar" if c.is_sidecar else None,
                              mount_path=mount_path, related=volume, absent=True, **values)


# port-conflict ---------------------------------------------------------------------------------
def _port_conflicts(ctx, obj: KubeObject, spec: PodSpec):
    if not ctx.enabled("port-conflict"):
        return
    taken: dict[tuple, tuple] = {}
    # Plain init containers run before the others, one at a time: they cannot collide.
    running = [c for c in spec.containers if c.group == "containers" or c.is_sidecar]
    if len(running) < 2:  # a container's own ports never conflict
        return
    for c in running:
        own = set()
        ports = c.data.get("ports")
        for i, p in enumerate(ports if isinstance(ports, list) else ()):
            if not isinstance(p, dict) or not isinstance(p.get("containerPort"), int):
                continue
            key = (p["containerPort"], str(p.get("protocol") or "TCP").upper())
            path = c.path + ("ports", i, "containerPort")
            if key in taken and key not in own:
                other, other_path = taken[key]
                yield ctx.finding(
                    "port-conflict", obj, path, other=other.name, container=c.name, port=key[0], protocol=key[1],
                    other_at=where(obj, other_path),
                    related=[related(obj, other_path, f"container '{other.name}' port {key[0]}")])
            else:
                taken.setdefault(key, (c, path))
            own.add(key)
