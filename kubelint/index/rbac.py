"""What an RBAC role can do, read from its rules: the powers the binding-level rules report.
Kubernetes' built-in user-facing ClusterRoles are known without a manifest (their rules as the
API server's bootstrap policy defines them, reduced to what matters here)."""

from __future__ import annotations

from kubelint.index.labels import clean_labels, label_selector
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


# Aggregation -----------------------------------------------------------------------------------
# A ClusterRole labelled aggregate-to-X: "true" adds its rules to the built-in ClusterRole X;
# the bootstrap roles chain them on (view's label puts it into edit, edit's into admin).
AGGREGATE_LABEL = "rbac.authorization.k8s.io/aggregate-to-{}"
FLOWS_INTO = {"view": ("view", "edit", "admin"), "edit": ("edit", "admin"), "admin": ("admin",)}


def aggregate_targets(role: KubeObject) -> list[str]:
    """The built-in ClusterRoles whose rules this ClusterRole's labels add to (directly or
    through the bootstrap chain), in the order admin, edit, view."""
    labels = role.labels
    into: set[str] = set()
    for name, targets in FLOWS_INTO.items():
        if str(labels.get(AGGREGATE_LABEL.format(name), "")).lower() == "true":
            into.update(targets)
    return [t for t in ("admin", "edit", "view") if t in into]


def aggregated_sources(index, role_name: str, role: KubeObject | None) -> list[KubeObject]:
    """The scan's ClusterRoles whose rules the aggregation controller adds to a ClusterRole: to
    a built-in admin/edit/view those labelled for it, to a ClusterRole with an aggregationRule
    those its clusterRoleSelectors select, recursively (an aggregated role's rules are its
    sources' rules)."""
    out: list[KubeObject] = []
    seen: set[int] = set()
    pending: list[tuple[str, KubeObject | None]] = [(role_name, role)]
    while pending:
        name, current = pending.pop()
        selectors = []
        if current is not None:
            rule = current.get("aggregationRule", "clusterRoleSelectors")
            selectors = [s for s in (label_selector(x) for x in (rule if isinstance(rule, list) else ()))
                         if s is not None and not s.empty]
        if not selectors and not (current is None and name in FLOWS_INTO):
            continue
        for candidate in index.every("ClusterRole"):
            if id(candidate) in seen or candidate is current or index.is_patch(candidate):
                continue
            labels = clean_labels(candidate.labels)
            if any(s.matches(labels) for s in selectors) or (current is None and name in aggregate_targets(candidate)):
                seen.add(id(candidate))
                out.append(candidate)
                pending.append((str(candidate.name), candidate))
    return out
