"""`pod-security`: every pod and pod template checked against the Pod Security Standards the way
the Pod Security Admission controller would check the pods it makes.

The level for a pod comes from its Namespace when the scan holds one with
`pod-security.kubernetes.io/` labels (enforce gives errors; warn and audit give warnings), else
from `--pod-security` (default: restricted, so that a selected control simply applies; `privileged`
leaves the decision to the namespaces alone). The policy version is the label's, `latest` being
the cluster's (`--kubernetes-version`)."""

from __future__ import annotations

from typing import Iterator

from kubelint.checks.podsecurity.controls import RULES, Evaluation, Pod, Violation, evaluate
from kubelint.checks.podsecurity.policy import ModePolicy, cluster_version, policies
from kubelint.findings import Finding, Related
from kubelint.index.objects import index_of
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

VALUES = ("level", "version", "policy", "mode", "container", "containers", "field", "capability", "volume",
          "type", "port", "profile", "annotation", "selinux_type", "selinux_value", "value", "sysctl",
          "handler", "host")


@check("pod-security", rules=RULES, fills=VALUES)
def run(ctx: CheckContext) -> Iterator[Finding | None]:
    enabled = {r for r in RULES if ctx.enabled(r)}
    if not enabled:
        return
    default_level = ctx.scan.options.pod_security or "restricted"
    cluster = cluster_version(ctx.scan.options.kubernetes_version)
    namespaces = _namespaces(ctx)
    for obj in ctx.objects(ctx.kinds(*enabled)):
        spec = obj.pod_spec
        if spec is None:
            continue
        ns = namespaces.get(obj.namespace or "")
        pod = Pod(obj, spec)
        seen: set[tuple] = set()
        memo: dict[tuple, list[Violation]] = {}
        for mode in policies(ns.labels if ns is not None else {}, default_level):
            version = mode.policy.resolved(cluster)
            ev = Evaluation(mode.policy.level, version, cluster)
            if (ev.level, version) not in memo:
                memo[(ev.level, version)] = evaluate(pod, ev, enabled)
            for v in memo[(ev.level, version)]:
                key = (v.rule, v.path, v.variant, tuple(sorted((k, str(x)) for k, x in v.values.items())))
                if key in seen:  # enforce first: a warning never repeats an error
                    continue
                seen.add(key)
                yield _finding(ctx, obj, v, mode, ns)


def _finding(ctx: CheckContext, obj: KubeObject, v: Violation, mode: ModePolicy,
             ns: KubeObject | None) -> Finding | None:
    severity = None if mode.mode == "enforce" or ctx.user_severity(v.rule) else "warning"
    related = []
    if ns is not None and mode.label is not None:
        line = ns.locate(("metadata", "labels", mode.label), key=True).line
        related.append(Related(ns.file, line, f"the {mode.label} label of Namespace '{ns.name}'"))
    policy = mode.policy
    # A violation decided by a missing field (v.missing) says nothing on a patch or fragment.
    return ctx.finding(v.rule, obj, v.path, key=v.key, related=related, severity=severity, variant=v.variant,
                       absent=v.missing,
                       level=policy.level, version=policy.shown().split(":", 1)[1], policy=policy.shown(),
                       mode=mode.mode, **v.values)


def _namespaces(ctx: CheckContext) -> dict[str, KubeObject]:
    """The scan's Namespace objects by name (the first of a name wins)."""
    out: dict[str, KubeObject] = {}
    for ns in index_of(ctx).every("Namespace"):
        if ns.name is not None:
            out.setdefault(ns.name, ns)
    return out
