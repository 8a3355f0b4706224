"""`aggregated-role-escalation`: a ClusterRole labelled `aggregate-to-admin`, `-edit` or `-view`
adds its rules to those built-in ClusterRoles, and so to every subject bound to them (the view
role is often bound cluster-wide). Reported when such a role grants what a binding-level rule
would call privileged (everything, escalate/bind/impersonate, exec into pods, reading Secrets,
admission webhooks, CSR approval) or writes Secrets or RBAC objects (kube-linter's
aggregate-to-admin-escalation)."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding
from kubelint.index.rbac import ORDER, aggregate_targets, role_rules, rule_powers
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "aggregated-role-escalation"
WRITE = "write"
_WRITE_VERBS = ("*", "create", "delete", "patch", "update")
_PRIVILEGED_RESOURCES = ("*", "secrets", "roles", "rolebindings", "clusterroles", "clusterrolebindings")


def _strings(rule: dict, field: str) -> list[str]:
    value = rule.get(field)
    return [str(v) for v in value] if isinstance(value, list) else []


def _write(rule: dict) -> str | None:
    """'verb' on 'resource' when the rule writes Secrets or RBAC objects (core/RBAC group or *)."""
    if not set(_strings(rule, "apiGroups")) & {"", "rbac.authorization.k8s.io", "*"}:
        return None
    verbs, resources = _strings(rule, "verbs"), _strings(rule, "resources")
    verb = next((v for v in _WRITE_VERBS if v in verbs), None)
    resource = next((r for r in _PRIVILEGED_RESOURCES if r in resources), None)
    return f"'{verb}' on '{resource}'" if verb and resource else None


@check("k8s-rbac-aggregation", rules=(RULE,), fills=("targets", "grant"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    for obj in ctx.objects(ctx.kinds(RULE)):
        if obj.kind != "ClusterRole" or obj.group != "rbac.authorization.k8s.io":
            continue
        targets = aggregate_targets(obj)
        if not targets:
            continue
        for i, rule in enumerate(role_rules(obj)):
            if not isinstance(rule, dict):
                continue
            powers = rule_powers(rule)
            power = next((p for p in ORDER if p in powers), None)
            grant = powers[power] if power else _write(rule)
            if grant is None:
                continue
            yield ctx.finding(RULE, obj, ("rules", i), variant=power or WRITE, targets=targets, grant=grant)
