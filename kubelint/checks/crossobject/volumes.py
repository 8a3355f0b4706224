"""One pod's containers together: the volumes they share and the network namespace they share.

Rules: undefined-volume, unused-volume, volume-handoff, port-conflict, duplicate-mount-path,
subpath-traversal.
"""

from __future__ import annotations

import difflib
import posixpath
from collections import defaultdict

from kubelint.index.common import related, text, where
from kubelint.index.objects import index_of
from kubelint.model.k8s import Container, KubeObject, PodSpec
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULES = ("undefined-volume", "unused-volume", "volume-handoff", "port-conflict",
         "duplicate-mount-path", "subpath-traversal")


@check("cross-volumes", rules=(
    "duplicate-mount-path",
    "port-conflict",
    "subpath-traversal",
    "undefined-volume",
    "unused-volume",
    "volume-handoff",
))
def run(ctx: CheckContext):
    if not any(ctx.enabled(r) for r in RULES):
        return
    index = index_of(ctx)
    for obj in index.all_objects:
        spec = obj.pod_spec
        if spec is None:
            continue
        volumes = _volumes(spec)
        volumes.update(_claim_templates(obj, spec, volumes))
        # A kustomize patch may leave out volumes, mounts or containers the base has.
        partial = index.is_patch(obj)
        yield from _mounts(ctx, obj, spec, volumes, partial)
        if not partial:
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
    out = {}
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
def _mounts(ctx, obj: KubeObject, spec: PodSpec, volumes: dict, partial: bool = False):
    declared = ", ".join(sorted(volumes)) or "none"
    for c in spec.containers:
        paths: dict[str, tuple] = {}
        for path, name, mount in _uses(c):
            if name not in volumes and not partial:
                close = difflib.get_close_matches(name, list(volumes), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                yield ctx.finding("undefined-volume", obj, path + ("name",), message=(
                    f"container '{c.name}' mounts volume '{name}', which the pod does not declare "
                    f"(volumes: {declared}{_at_volumes(obj, spec)}){hint}"),
                    related=_volumes_related(obj, spec))
            if path[-2] != "volumeMounts":
                continue
            mount_path = text(mount.get("mountPath"))
            if mount_path is not None:
                normal = posixpath.normpath(mount_path) if mount_path.startswith("/") else mount_path.rstrip("/")
                if normal in paths:
                    first = paths[normal]
                    yield ctx.finding("duplicate-mount-path", obj, path + ("mountPath",), message=(
                        f"container '{c.name}' mounts volume '{name}' at {mount_path}, where it already mounts "
                        f"volume '{first[1]}' ({where(obj, first[0] + ('mountPath',))})"),
                        related=[related(obj, first[0] + ("mountPath",), f"volume '{first[1]}' mounted at {first[2]}")])
                else:
                    paths[normal] = (path, name, mount_path)
            for field in ("subPath", "subPathExpr"):
                sub = mount.get(field)
                if isinstance(sub, str) and _escapes(sub):
                    yield ctx.finding("subpath-traversal", obj, path + (field,), message=(
                        f"container '{c.name}' mounts volume '{name}' with {field} '{sub}', which "
                        f"{'is absolute' if sub.startswith('/') else 'climbs out of the volume with ..'}; "
                        f"the API server rejects it"))


def _escapes(sub: str) -> bool:
    return sub.startswith("/") or ".." in sub.replace("\\", "/").split("/")


def _at_volumes(obj: KubeObject, spec: PodSpec) -> str:
    return f" at {where(obj, spec.path + ('volumes',))}" if spec.data.get("volumes") else ""


def _volumes_related(obj: KubeObject, spec: PodSpec):
    if not spec.data.get("volumes"):
        return []
    return [related(obj, spec.path + ("volumes",), "the pod's volumes")]


# unused-volume ---------------------------------------------------------------------------------
def _unused(ctx, obj: KubeObject, spec: PodSpec, volumes: dict):
    if not ctx.enabled("unused-volume"):
        return
    used = {name for c in spec.containers for _, name, _ in _uses(c)}
    for name, (i, _) in volumes.items():
        if name not in used and i is not None:
            yield ctx.finding("unused-volume", obj, _volume_path(spec, i) + ("name",), message=(
                f"volume '{name}' is declared but no container mounts it"))


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
                yield ctx.finding("volume-handoff", obj, path + ("name",), message=(
                    f"emptyDir '{name}' is mounted read-only by every container that uses it "
                    f"({', '.join(c.name for c, _, _ in mounts)}): nobody writes what they read"))
            continue
        c, path, mount = mounts[0]
        mount_path = text(mount.get("mountPath")) or ""
        volume = [related(obj, _volume_path(spec, volumes[name][0]), f"emptyDir '{name}'")]
        if mount.get("readOnly"):
            yield ctx.finding("volume-handoff", obj, path + ("name",), message=(
                f"container '{c.name}' reads emptyDir '{name}' ({where(obj, _volume_path(spec, volumes[name][0]))}) "
                f"read-only, but no other container mounts it to write there: it is always empty"),
                related=volume)
        elif (c.is_init or c.is_sidecar) and not mount_path.startswith(SCRATCH):
            role = "native sidecar" if c.is_sidecar else "init container"
            yield ctx.finding("volume-handoff", obj, path + ("name",), message=(
                f"{role} '{c.name}' writes into emptyDir '{name}' ({where(obj, _volume_path(spec, volumes[name][0]))}) "
                f"at {mount_path}, but no other container mounts it: what it leaves there is never seen "
                f"(mount '{name}' in the container that should read it)"), related=volume)


# port-conflict ---------------------------------------------------------------------------------
def _port_conflicts(ctx, obj: KubeObject, spec: PodSpec):
    if not ctx.enabled("port-conflict"):
        return
    taken: dict[tuple, tuple] = {}
    # Plain init containers run before the others, one at a time: they cannot collide.
    running = [c for c in spec.containers if c.group == "containers" or c.is_sidecar]
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
                yield ctx.finding("port-conflict", obj, path, message=(
                    f"containers '{other.name}' and '{c.name}' both declare port {key[0]}/{key[1]}; "
                    f"a pod's containers share one network namespace "
                    f"(first at {where(obj, other_path)})"),
                    related=[related(obj, other_path, f"container '{other.name}' port {key[0]}")])
            else:
                taken.setdefault(key, (c, path))
            own.add(key)
