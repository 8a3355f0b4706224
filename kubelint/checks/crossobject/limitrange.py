"""LimitRange defaults across objects: a container that sets no requests or limits in a namespace
whose LimitRange defaults them gets those defaults at admission, so `missing-requests` and
`missing-limits` there become info, restated with their `limitrange` message variant, which
names the LimitRange that fills them in.

Registered as a finding adjuster (kubelint.ruleapi.registry.adjuster). It reads the finding's
structured data (the missing resources in `values["value"]`, the object it is about), never its
text, and leaves a severity the user chose (config or --severity) alone.
"""

from __future__ import annotations

import dataclasses

from kubelint.findings import Finding, ObjectRef
from kubelint.index.common import related, shown_name, where
from kubelint.index.objects import index_of
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import adjuster

# Rule id -> which side of the container's resources it is about.
ADJUSTED = {"missing-requests": "requests", "missing-limits": "limits"}
DEFAULT_RESOURCES = ("cpu", "memory")
VARIANT = "limitrange"


@adjuster("limitrange-defaults", rules=tuple(ADJUSTED), fills=("limitrange", "limitrange_at", "defaulted"))
def adjust(ctx: CheckContext, findings: list[Finding]) -> list[Finding]:
    if not any(_adjustable(ctx, f) for f in findings):
        return findings
    index = index_of(ctx)
    if not index.every("LimitRange"):  # nothing defaults anything: skip the per-finding lookups
        return findings
    objects: dict[tuple[str, ObjectRef | None], KubeObject] = {
        (o.file, o.ref): o for o in ctx.scan.objects if o.pod_spec is not None}
    out = []
    for f in findings:
        obj = objects.get((f.file, f.object)) if _adjustable(ctx, f) else None
        if obj is not None:
            f = _adjusted(ctx, index, obj, f)
        out.append(f)
    return out


def _adjustable(ctx: CheckContext, f: Finding) -> bool:
    return f.rule in ADJUSTED and f.severity != "info" and not ctx.user_severity(f.rule)


def _adjusted(ctx: CheckContext, index, obj: KubeObject, f: Finding) -> Finding:
    side = ADJUSTED[f.rule]
    wanted = _resources(ctx, f)
    for limit_range in index.all_of("LimitRange", obj.namespace, obj):
        if wanted <= defaulted(limit_range)[side]:
            restated = ctx.restate(f, variant=VARIANT, limitrange=shown_name(limit_range),
                                   limitrange_at=where(limit_range, ("spec", "limits")),
                                   defaulted="/".join(sorted(wanted)))
            note = related(limit_range, ("spec", "limits"),
                           f"LimitRange '{shown_name(limit_range)}' sets the defaults")
            return dataclasses.replace(restated, severity="info", related=f.related + (note,))
    return f


def _resources(ctx: CheckContext, f: Finding) -> set[str]:
    """The resources the finding is about: the missing keys its condition found, else the ones
    the rule's `resources` param asks for."""
    missing = (f.values or {}).get("value")
    if isinstance(missing, (tuple, list)) and missing:
        return {str(m) for m in missing}
    if isinstance(missing, str) and missing:
        return {missing}
    asked = ctx.param(f.rule, "resources", DEFAULT_RESOURCES)
    return {str(r) for r in asked} if isinstance(asked, (list, tuple)) else set(DEFAULT_RESOURCES)


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
