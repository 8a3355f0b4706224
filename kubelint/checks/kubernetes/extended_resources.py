"""`extended-resource-limits`: resources that cannot be overcommitted (device-plugin resources
such as `nvidia.com/gpu`, and huge pages) must have a limit, and a request equal to it.

The rule compares requests and limits key by key, for keys not known in advance, which the
condition language cannot express. The API server applies the same test (IsOvercommitAllowed);
failing it means the pod is rejected.
"""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding
from kubelint.model.quantity import parse_quantity
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "extended-resource-limits"
# Ephemeral containers cannot have resources at all.
GROUPS = ("containers", "initContainers")


def overcommit_forbidden(name: str) -> bool:
    """Not a native resource (a domain prefix other than kubernetes.io/), or huge pages."""
    if name.startswith("hugepages-"):
        return True
    return "/" in name and "kubernetes.io/" not in name


def _same_quantity(a, b) -> bool:
    try:
        return parse_quantity(a) == parse_quantity(b)
    except ValueError:
        return str(a) == str(b)  # invalid-quantity reports the bad value itself


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


@check("k8s-extended-resources", rules=(RULE,), fills=("container", "resource", "request", "limit"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    for obj in ctx.objects(ctx.kinds(RULE)):
        for c in obj.containers():
            if c.group not in GROUPS:
                continue
            resources = _mapping(c.data.get("resources"))
            requests, limits = _mapping(resources.get("requests")), _mapping(resources.get("limits"))
            for name, request in requests.items():
                name = str(name)
                if request is None or not overcommit_forbidden(name):
                    continue
                path = c.path + ("resources", "requests", name)
                limit = limits.get(name)
                # Quantities are shown as written (str: a stray YAML boolean reads True, as before).
                if limit is None:
                    yield ctx.finding(RULE, obj, path, container=c.name, resource=name, request=str(request))
                elif not _same_quantity(request, limit):
                    yield ctx.finding(RULE, obj, path, variant="unequal", container=c.name, resource=name,
                                      request=str(request), limit=str(limit))
