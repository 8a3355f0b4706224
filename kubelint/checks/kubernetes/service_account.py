"""`automount-service-account-token`: a pod that gets an API token mounted. The pod-level field
wins when set; when it is unset, the pod's ServiceAccount decides — if that ServiceAccount is in
the scan (found with the cross-object index) and says `automountServiceAccountToken: false`, no
token is mounted and nothing is reported."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding, Related
from kubelint.index.objects import index_of
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "automount-service-account-token"


@check("k8s-service-account", rules=(RULE,), fills=("setting", "account"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    index = None
    for obj in ctx.objects(ctx.kinds(RULE)):
        spec = obj.pod_spec
        if spec is None:
            continue
        setting = spec.data.get("automountServiceAccountToken")
        if setting is False:
            continue
        if setting is not None:  # true, or something that is not false
            yield ctx.finding(RULE, obj, spec.path + ("automountServiceAccountToken",), variant="set",
                              setting=_show(setting))
            continue
        name = spec.data.get("serviceAccountName") or spec.data.get("serviceAccount") or "default"
        index = index or index_of(ctx)
        accounts = index.find("ServiceAccount", obj.namespace, str(name), obj)
        if accounts and all(a.get("automountServiceAccountToken") is False for a in accounts):
            continue
        related = [Related(a.file, a.locate(("kind",), key=True).line, f"ServiceAccount '{a.name}'") for a in accounts]
        yield ctx.finding(RULE, obj, spec.path, key=True, related=related, absent=True,
                          variant="account" if accounts else None, account=str(name))


def _show(value) -> str:
    """A value that is not `false` as it reads in YAML terms (strings quoted)."""
    return "true" if value is True else repr(value)
