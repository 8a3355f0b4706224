"""`automount-service-account-token`: a pod that gets an API token mounted. The pod-level field
wins when set; when it is unset, the pod's ServiceAccount decides — if that ServiceAccount is in
the scan (found with the cross-object index) and says `automountServiceAccountToken: false`, no
token is mounted and nothing is reported."""

from __future__ import annotations

from typing import Iterable

from kubelint.index.objects import index_of
from kubelint.findings import Finding, Related
from kubelint.ruleapi.context import CheckContext
from kubelint.index.patches import kustomize_patches
from kubelint.ruleapi.registry import check

RULE = "automount-service-account-token"


@check("k8s-service-account", rules=("automount-service-account-token",))
def run(ctx: CheckContext) -> Iterable[Finding]:
    index = None
    patches = kustomize_patches(ctx.scan)
    for obj in ctx.scan.objects:
        spec = obj.pod_spec
        if spec is None:
            continue
        setting = spec.data.get("automountServiceAccountToken")
        if setting is False:
            continue
        if setting is not None:  # true, or something that is not false
            yield ctx.finding(RULE, obj, spec.path + ("automountServiceAccountToken",),
                              f"{obj.kind} '{obj.name}' sets automountServiceAccountToken: {_show(setting)}")
            continue
        if id(obj) in patches:  # a patch that leaves the field alone
            continue
        name = spec.data.get("serviceAccountName") or spec.data.get("serviceAccount") or "default"
        index = index or index_of(ctx)
        accounts = index.find("ServiceAccount", obj.namespace, str(name), obj)
        if accounts and all(a.get("automountServiceAccountToken") is False for a in accounts):
            continue
        related = [Related(a.file, a.locate(("kind",), key=True).line, f"ServiceAccount '{a.name}'") for a in accounts]
        yield ctx.finding(RULE, obj, spec.path, key=True, related=related,
                          message=f"{obj.kind} '{obj.name}' does not set automountServiceAccountToken: false"
                                  + (f" (nor does its ServiceAccount '{name}')" if accounts else ""))


def _show(value) -> str:
    return "true" if value is True else repr(value)
