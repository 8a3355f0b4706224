"""Ports: a container's `containerPort`s against its image's EXPOSE, and a Service's numeric
targetPort that neither the selected containers nor their images declare.

The Service rule covers what `service-target-port` leaves open: that rule judges numeric ports
only when the selected containers declare ports; this one when they declare none but their images
EXPOSE some."""

from __future__ import annotations

import re

from kubelint.checks.images.base import LINK_VALUES, Linked, at_line, built_from, link_related, linked_containers, where
from kubelint.index.images import image_links, image_runtime
from kubelint.index.labels import plain_selector
from kubelint.index.objects import index_of
from kubelint.model.dockerfile import Instruction, expand
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

CONTAINER, SERVICE = "image-port-not-exposed", "image-service-port-not-exposed"
_NUMBER = re.compile(r"(?<![0-9])([0-9]{2,5})(?![0-9])")


def exposed(instructions: list[Instruction]) -> dict[int, Instruction] | None:
    """TCP port -> the EXPOSE that declares it; None when one of them cannot be read."""
    out: dict[int, Instruction] = {}
    for inst in instructions:
        for raw in inst.args:
            text, unknown = expand(raw, inst.vars)
            port, _, proto = text.partition("/")
            if unknown:
                return None
            if proto and proto.lower() != "tcp":
                continue
            low, _, high = port.partition("-")
            if not low.isdigit() or (high and not high.isdigit()):
                return None
            for n in range(int(low), int(high or low) + 1):
                out.setdefault(n, inst)
    return out


def _container_ports(c) -> list[tuple[int, int]]:
    """(index in ports, number) of the container's TCP containerPorts."""
    out = []
    for i, p in enumerate(c.data.get("ports") or ()):
        if isinstance(p, dict) and isinstance(p.get("containerPort"), int) \
                and str(p.get("protocol") or "TCP").upper() == "TCP":
            out.append((i, p["containerPort"]))
    return out


@check("image-ports", rules=(CONTAINER, SERVICE), fills=LINK_VALUES + ("port", "exposed", "at", "service"))
def run(ctx: CheckContext):
    yield from _containers(ctx)
    if ctx.enabled(SERVICE):
        yield from _services(ctx)


def _containers(ctx: CheckContext):
    for item in linked_containers(ctx, CONTAINER, groups=("containers",)):
        ports = exposed(item.image.expose)
        if not ports:
            continue  # the image declares nothing (or something unreadable): nothing to compare
        for i, number in _container_ports(item.container):
            if number in ports:
                continue
            first = item.image.expose[-1]
            yield ctx.finding(CONTAINER, item.obj, item.container.path + ("ports", i, "containerPort"),
                              port=number, exposed=sorted(ports), at=where(first),
                              related=[at_line(first, "the image's EXPOSE"), *link_related(item.link)],
                              **item.values())


def _mentioned(item: Linked) -> set[int]:
    """Port-like numbers the container's args/env and the image's ENV/CMD/ENTRYPOINT name
    (`--port=8000`, `ENV PORT=8080`): the process may listen there without declaring it."""
    c, image = item.container, item.image
    texts = [str(v) for key in ("command", "args") for v in (c.data.get(key) or ()) if not isinstance(v, dict)]
    texts += [str(e.get("value")) for e in c.data.get("env") or () if isinstance(e, dict)]
    for inst in (image.entrypoint, image.cmd):
        if inst is not None:
            texts.append(inst.value)
    for stage in image.stages:
        texts += [f"{k}={v}" for k, v in stage.vars.items()]
    return {int(n) for t in texts for n in _NUMBER.findall(t)}


def _services(ctx: CheckContext):
    index, links = index_of(ctx), image_links(ctx.scan)
    for svc in ctx.objects(ctx.kinds(SERVICE)):
        spec = svc.get("spec")
        if svc.kind != "Service" or not isinstance(spec, dict) or spec.get("type") == "ExternalName":
            continue
        selector = plain_selector(svc.effective("spec", "selector"))
        if selector is None or selector.empty:
            continue
        matched = index.matching(selector, svc.namespace, svc)
        containers = [c for t in matched if t.obj.pod_spec is not None
                      for c in t.obj.pod_spec.containers if c.group == "containers"]
        if not containers or any(_container_ports(c) for c in containers):
            continue  # nothing selected, or declared ports: service-target-port judges those
        items = _linked(links, matched)
        if not items:
            continue  # some selected container runs an image not built here
        declared: dict[int, tuple] = {}
        mentioned: set[int] = set()
        for item in items:
            ports = exposed(item.image.expose)
            if ports is None:
                declared = {}
                break
            for n, inst in ports.items():
                declared.setdefault(n, (item, inst))
            mentioned |= _mentioned(item)
        if not declared:
            continue  # some image is not built here, or declares nothing readable
        for i, port in enumerate(spec.get("ports") or ()):
            if not isinstance(port, dict):
                continue
            field = "targetPort" if port.get("targetPort") is not None else "port"
            target = port.get(field)
            if isinstance(target, str) and target.isdigit():
                target = int(target)
            if not isinstance(target, int) or isinstance(target, bool) or target in declared or target in mentioned:
                continue
            item, inst = next(iter(declared.values()))
            yield ctx.finding(SERVICE, svc, ("spec", "ports", i, field), port=target, exposed=sorted(declared),
                              at=where(inst), service=svc.name or "", related=[
                                  at_line(inst, "the image's EXPOSE"), *link_related(item.link)],
                              **{**item.values(), "dockerfile": ", ".join(sorted({built_from(i.link) for i in items}))})


def _linked(links, matched) -> list[Linked]:
    """The selected app containers, each with its link; empty when one is not built here."""
    out = []
    for t in matched:
        for c in t.obj.pod_spec.containers if t.obj.pod_spec is not None else ():
            if c.group != "containers":
                continue
            link = links.link(c.image, t.obj.doc.source.path)
            if link is None:
                return []
            out.append(Linked(t.obj, c, link, image_runtime(links, link)))
    return out
