"""RBAC judged at the binding: what a RoleBinding or ClusterRoleBinding grants, read through the
role it binds when the scan holds it (or when it is one of the built-in ClusterRoles).

Rules: cluster-admin-binding, privileged-role-binding, default-service-account-binding.
"""

from __future__ import annotations

from kubelint.findings import Related
from kubelint.index.names import text
from kubelint.index.objects import ObjectIndex, index_of
from kubelint.index.rbac import ALL, BUILTIN_CLUSTER_ROLES, aggregated_sources, role_powers, role_rules, strongest
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

ADMIN, PRIVILEGED, DEFAULT_SA = "cluster-admin-binding", "privileged-role-binding", "default-service-account-binding"
RULES = (ADMIN, PRIVILEGED, DEFAULT_SA)


@check("cross-rbac", rules=RULES, fills=("role", "role_kind", "grant", "subject"))
def run(ctx: CheckContext):
    if not any(ctx.enabled(r) for r in RULES):
        return
    index = index_of(ctx)
    for binding in ctx.objects(ctx.kinds(*RULES)):
        if index.kind(binding) not in ("RoleBinding", "ClusterRoleBinding"):
            continue  # a binding of another API group
        ref = binding.get("roleRef")
        if not isinstance(ref, dict):
            continue
        kind, name = text(ref.get("kind")), text(ref.get("name"))
        if name is None or kind not in ("Role", "ClusterRole"):
            continue
        if _masters_only(binding):
            continue
        roles, aggregated, powers = _powers(index, binding, kind, name)
        related = [Related(r.file, r.locate(("kind",), key=True).line, f"{kind} '{name}'") for r in roles]
        # Aggregated roles are shown when they add a power (not every CRD viewer role of the scan).
        related += [Related(r.file, r.locate(("kind",), key=True).line, f"ClusterRole '{r.name}' aggregated into '{name}'")
                    for r in aggregated if role_powers(role_rules(r))]
        power = strongest(powers)
        names = {"role": name, "role_kind": kind}
        admin_names = ctx.param(ADMIN, "roles", ["cluster-admin"]) or []
        is_admin = (kind == "ClusterRole" and name in admin_names) or power == ALL
        if is_admin:
            yield ctx.finding(ADMIN, binding, ("roleRef", "name"), related=related,
                              variant=None if name in admin_names else "equivalent", role=name, role_kind=kind)
        elif power is not None:
            yield ctx.finding(PRIVILEGED, binding, ("roleRef", "name"), related=related, variant=power,
                              grant=powers[power], role=name, role_kind=kind)
        yield from _default_subject(ctx, binding, power, powers, related, names)


def _masters_only(binding: KubeObject) -> bool:
    """Every subject is the group system:masters, which the API server authorizes before RBAC is
    asked (Kubernetes binds cluster-admin to it by default): the binding grants nothing more."""
    subjects = binding.get("subjects")
    if not isinstance(subjects, list) or not subjects:
        return False
    return all(isinstance(s, dict) and s.get("kind") == "Group" and s.get("name") == "system:masters"
               for s in subjects)


def _powers(index: ObjectIndex, binding: KubeObject, kind: str, name: str):
    """The roles the binding refers to (from the scan, with the ClusterRoles aggregated into
    them) and what they can do together."""
    namespace = binding.namespace if kind == "Role" else None
    roles = [r for r in index.find(kind, namespace, name, binding) if not index.is_patch(r)]
    rules: list = []
    aggregated: list[KubeObject] = []
    if roles:
        for role in roles:
            rules += role_rules(role)
            if kind == "ClusterRole":
                aggregated += aggregated_sources(index, name, role)
    elif kind == "ClusterRole" and name in BUILTIN_CLUSTER_ROLES:
        # admin, edit and view also hold the rules of the scan's ClusterRoles labelled for them.
        rules = list(BUILTIN_CLUSTER_ROLES[name])
        aggregated = aggregated_sources(index, name, None)
    rules += [r for source in aggregated for r in role_rules(source)]
    return roles, aggregated, role_powers(rules)


def _default_subject(ctx, binding: KubeObject, power, powers, related, names):
    """A binding whose subjects include a namespace's `default` ServiceAccount: every pod of that
    namespace that names no ServiceAccount gets the role."""
    if not ctx.enabled(DEFAULT_SA):
        return
    subjects = binding.get("subjects")
    for i, subject in enumerate(subjects if isinstance(subjects, list) else ()):
        if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" and subject.get("name") == "default":
            namespace = text(subject.get("namespace")) or binding.namespace or "default"
            yield ctx.finding(DEFAULT_SA, binding, ("subjects", i, "name"), related=related,
                              variant="privileged" if power is not None else None,
                              subject=namespace, grant=powers.get(power) if power else None, **names)
