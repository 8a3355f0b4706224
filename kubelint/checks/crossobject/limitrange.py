"""LimitRange defaults across objects: a container that sets no requests or limits in a namespace
whose LimitRange defaults them gets those defaults at admission, so `missing-requests` and
`missing-limits` there become info, with a note that says which LimitRange fills them in.

Registered as a finding adjuster (kubelint.ruleapi.registry.adjuster).
"""

from __future__ import annotations

import dataclasses
import re

from kubelint.index.common import related, where
from kubelint.index.objects import index_of
from kubelint.findings import Finding
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.registry import adjuster

# Rule id -> which side of the container's resources it is about.
ADJUSTED = {"missing-requests": "requests", "missing-limits": "limits"}
DEFAULT_RESOURCES = ("cpu", "memory")
_RESOURCE = re.compile(r"\b(cpu|memory|ephemeral-storage)\b")


@adjuster("limitrange-defaults")
def adjust(ctx, findings: list[Finding]) -> list[Finding]:
    if not any(f.rule in ADJUSTED and f.severity != "info" for f in findings):
        return findings
    index = index_of(ctx)
    objects = {(o.file, o.ref): o for o in ctx.scan.objects if o.pod_spec is not None}
    out = []
    for f in findings:
        obj = objects.get((f.file, f.object)) if f.rule in ADJUSTED and f.severity != "info" else None
        if obj is not None:
            f = _adjusted(ctx, index, obj, f)
        out.append(f)
    return out


def _adjusted(ctx, index, obj: KubeObject, f: Finding) -> Finding:
    side = ADJUSTED[f.rule]
    wanted = _resources(ctx, f)
    for limit_range in index.all_of("LimitRange", obj.namespace, obj):
        defaults = defaulted(limit_range)[side]
        if wanted <= defaults:
            note = (f" (info: LimitRange '{limit_range.name}' ({where(limit_range, ('spec', 'limits'))}) "
                    f"defaults the {'/'.join(sorted(wanted))} {side} of every container in namespace "
                    f"'{obj.namespace}')")
            return dataclasses.replace(f, severity="info", message=f.message + note, related=f.related + (
                related(limit_range, ("spec", "limits"), f"LimitRange '{limit_range.name}' sets the defaults"),))
    return f


def _resources(ctx, f: Finding) -> set:
    """Which resources the finding is about: named at the end of its message ("... for cpu,
    memory") or in its path, else the rule's params."""
    tail = f.message.rpartition(" for ")[2] if " for " in f.message else ""
    named = set(_RESOURCE.findall(tail)) or set(_RESOURCE.findall(f.path or ""))
    if named:
        return named
    rule = ctx.rules.get(f.rule)
    for value in (rule.params.values() if rule else ()):
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value) \
                and set(value) & set(DEFAULT_RESOURCES):
            return set(value)
    return set(DEFAULT_RESOURCES)


def defaulted(limit_range: KubeObject) -> dict[str, set]:
    """The resources a LimitRange fills in for containers, as the API server defaults it: a `max`
    becomes the default limit, a default limit the default request, a `min` the default request."""
    limits, requests = set(), set()
    items = limit_range.get("spec", "limits")
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict) or item.get("type") != "Container":
            continue
        keys = {name: set(item[name]) if isinstance(item.get(name), dict) else set()
                for name in ("default", "defaultRequest", "max", "min")}
        limits |= keys["default"] | keys["max"]
        requests |= keys["defaultRequest"] | keys["default"] | keys["max"] | keys["min"]
    return {"limits": limits, "requests": requests}
