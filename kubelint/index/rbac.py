"""What an RBAC role can do, read from its rules: the powers the binding-level rules report.
Kubernetes' built-in user-facing ClusterRoles are known without a manifest (their rules as the
API server's bootstrap policy defines them, reduced to what matters here)."""

from __future__ import annotations

from kubelint.model.k8s import KubeObject

# Powers in the order a binding reports them (the first a role holds).
ALL, ESCALATE, EXEC, SECRETS, WEBHOOKS, CSR = "all", "escalate", "exec", "secrets", "webhooks", "csr"
ORDER = (ALL, ESCALATE, EXEC, SECRETS, WEBHOOKS, CSR)
READ = {"get", "list", "watch", "*"}
WRITE = {"create", "update", "patch", "delete", "deletecollection", "*"}
# Every verb a user needs spelled out: on every resource of every group, as good as `*`
# (Polaris' rolebindingClusterAdminRole counts this list too).
EVERY_VERB = {"get", "list", "watch", "create", "update", "patch", "delete"}
_WEBHOOK_RESOURCES = {"mutatingwebhookconfigurations", "validatingwebhookconfigurations"}

# The bootstrap policy: cluster-admin holds everything; admin and edit read Secrets, exec into
# pods and impersonate ServiceAccounts of their namespace; view reads no Secrets.
BUILTIN_CLUSTER_ROLES: dict[str, list[dict]] = {
    "cluster-admin": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}],
    "admin": [{"apiGroups": [""], "resources": ["secrets", "pods/exec", "pods/attach"], "verbs": ["*"]},
              {"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["impersonate"]}],
    "edit": [{"apiGroups": [""], "resources": ["secrets", "pods/exec", "pods/attach"], "verbs": ["*"]},
             {"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["impersonate"]}],
    "view": [{"apiGroups": [""], "resources": ["pods", "configmaps", "services"], "verbs": ["get", "list", "watch"]}],
}


def _set(rule: dict, field: str) -> set:
    value = rule.get(field)
    return {str(v) for v in value} if isinstance(value, list) else set()


def rule_powers(rule: dict) -> dict[str, str]:
    """Power -> what grants it (a verb or resource, for the message), for one PolicyRule."""
    if not isinstance(rule, dict):
        return {}
    groups, resources, verbs = _set(rule, "apiGroups"), _set(rule, "resources"), _set(rule, "verbs")
    named = bool(_set(rule, "resourceNames"))
    core = bool(groups & {"", "*"})
    found: dict[str, str] = {}
    if "*" in groups and "*" in resources and ("*" in verbs or verbs >= EVERY_VERB):
        found[ALL] = "*"
    if not named:
        special = sorted(verbs & {"escalate", "bind", "impersonate"})
        if special:
            found[ESCALATE] = special[0]
        elif "*" in verbs and groups & {"", "rbac.authorization.k8s.io", "*"} and resources & {
                "roles", "clusterroles", "users", "groups", "serviceaccounts", "*"}:
            found[ESCALATE] = "*"
        if core and verbs & READ and resources & {"secrets", "*"}:
            found[SECRETS] = "secrets" if "secrets" in resources else "*"
    if core and verbs & {"create", "get", "*"}:
        hit = sorted(resources & {"pods/exec", "pods/attach", "pods/*", "*"}, key=lambda r: r == "*")
        if hit:
            verb = next(v for v in ("create", "*", "get") if v in verbs)
            found[EXEC] = f"'{verb}' on '{hit[0]}'"
    # Webhooks and CSRs count when named: `*` on `*` is wildcard-rbac's (and ALL above).
    if groups & {"admissionregistration.k8s.io", "*"} and verbs & WRITE and resources & _WEBHOOK_RESOURCES and not named:
        found[WEBHOOKS] = "admission webhook configurations"
    if groups & {"certificates.k8s.io", "*"} and not named and (
            (verbs & {"approve", "*"} and "signers" in resources)
            or (verbs & {"update", "patch", "*"} and "certificatesigningrequests/approval" in resources)):
        found[CSR] = "approve"
    return found


def role_powers(rules) -> dict[str, str]:
    """Every power of a role's rules (the first rule that grants each)."""
    found: dict[str, str] = {}
    for rule in rules if isinstance(rules, list) else ():
        for power, what in rule_powers(rule).items():
            found.setdefault(power, what)
    return found


def strongest(powers: dict[str, str]) -> str | None:
    return next((p for p in ORDER if p in powers), None)


def role_rules(role: KubeObject) -> list:
    rules = role.get("rules")
    return rules if isinstance(rules, list) else []
