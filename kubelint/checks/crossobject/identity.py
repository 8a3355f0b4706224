"""Identity and storage across objects: ServiceAccounts, RBAC bindings, claims and classes.

Rules: missing-service-account, rolebinding-missing-role, rolebinding-missing-subject,
missing-pvc, missing-storage-class.
"""

from __future__ import annotations

from kubelint.index.common import not_found, should_report_missing, shown_name
from kubelint.index.names import is_placeholder, text
from kubelint.index.objects import ObjectIndex, index_of
from kubelint.index.provided import KUBE_SYSTEM_ROLES, cluster_service_account
from kubelint.index.refs import claim_refs, service_account_ref
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULES = ("missing-service-account", "rolebinding-missing-role", "rolebinding-missing-subject",
         "missing-pvc", "missing-storage-class")
# ClusterRoles every cluster has (the user-facing defaults and the system: ones).
BUILTIN_CLUSTER_ROLES = {"cluster-admin", "admin", "edit", "view"}


@check("cross-identity", rules=RULES, fills=(
    "target", "target_kind", "target_namespace", "searched", "similar", "similar_at", "elsewhere_at",
    "volume", "claim"))
def run(ctx: CheckContext):
    if not any(ctx.enabled(r) for r in RULES):
        return
    index = index_of(ctx)
    for obj in index.objects:
        ctx.in_file(obj.file)
        spec = obj.pod_spec
        if spec is not None:
            yield from _service_account(ctx, index, obj, spec)
            yield from _claims(ctx, index, obj, spec)
        yield from _storage_classes(ctx, index, obj, index.kind(obj))
    for binding in ctx.objects(ctx.kinds("rolebinding-missing-role", "rolebinding-missing-subject")):
        # A binding from another API group (kind_of spells it Kind.group) is not RBAC's.
        if index.kind(binding) in ("RoleBinding", "ClusterRoleBinding") and not index.is_patch(binding):
            yield from _role(ctx, index, binding)
            yield from _subjects(ctx, index, binding)


def _missing(ctx, index: ObjectIndex, rule: str, obj: KubeObject, path: tuple, kind: str,
             namespace: str | None, name: str, **values):
    """A finding for a named target that is not in the scan, when the scan could have shown it."""
    if not ctx.enabled(rule) or is_placeholder(name) or index.find(kind, namespace, name, obj):
        return
    if not should_report_missing(index, kind, namespace, obj):
        return
    if kind in ("PersistentVolumeClaim", "ServiceAccount") and index.operator_for_name(name, namespace, obj):
        return  # an operator makes it from a custom resource of the scan
    missing = not_found(index, kind, namespace, name, obj)
    yield ctx.finding(rule, obj, path, related=missing.related, variant=missing.variant,
                      target=name, target_kind=kind, **missing.values, **values)


def _service_account(ctx, index, obj: KubeObject, spec):
    account = service_account_ref(spec)
    if account is None or cluster_service_account(obj.namespace, account[0]):
        return
    yield from _missing(ctx, index, "missing-service-account", obj, account[1], "ServiceAccount",
                        obj.namespace, account[0])


def _claims(ctx, index, obj: KubeObject, spec):
    # A StatefulSet volume named like one of its volumeClaimTemplates is replaced by that claim.
    templates = _claim_template_names(obj)
    for claim, path, volume in claim_refs(spec):
        if volume in templates:
            continue
        yield from _missing(ctx, index, "missing-pvc", obj, path, "PersistentVolumeClaim", obj.namespace,
                            claim, volume=volume)


def _role(ctx, index, binding: KubeObject):
    ref = binding.get("roleRef")
    if not isinstance(ref, dict):
        return
    kind, name = text(ref.get("kind")), text(ref.get("name"))
    if name is None or kind not in ("Role", "ClusterRole"):
        return
    if kind == "ClusterRole" and (name in BUILTIN_CLUSTER_ROLES or name.startswith("system:")):
        return
    if kind == "Role" and (name in KUBE_SYSTEM_ROLES or name.startswith("system:")):
        return
    namespace = binding.namespace if kind == "Role" else None
    yield from _missing(ctx, index, "rolebinding-missing-role", binding, ("roleRef", "name"), kind,
                        namespace, name)


def _subjects(ctx, index, binding: KubeObject):
    subjects = binding.get("subjects")
    for i, subject in enumerate(subjects if isinstance(subjects, list) else ()):
        if not isinstance(subject, dict) or subject.get("kind") != "ServiceAccount":
            continue
        name = text(subject.get("name"))
        namespace = text(subject.get("namespace")) or binding.namespace
        if name is None or namespace is None or cluster_service_account(namespace, name):
            continue
        yield from _missing(ctx, index, "rolebinding-missing-subject", binding, ("subjects", i, "name"),
                            "ServiceAccount", namespace, name)


def _claim_template_names(obj: KubeObject) -> set:
    templates = obj.get("spec", "volumeClaimTemplates") if obj.kind == "StatefulSet" else None
    names = set()
    for t in templates if isinstance(templates, list) else ():
        name = text(t.get("metadata", {}).get("name")) if isinstance(t, dict) and isinstance(t.get("metadata"), dict) else None
        if name:
            names.add(name)
    return names


# missing-storage-class ------------------------------------------------------------------------
_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


def _claim_specs(obj: KubeObject, kind: str):
    """(path of the claim spec, path of its metadata, claim label) for each claim an object makes."""
    if kind == "PersistentVolumeClaim":
        yield ("spec",), ("metadata",), f"PersistentVolumeClaim '{shown_name(obj)}'"
    templates = obj.get("spec", "volumeClaimTemplates") if kind == "StatefulSet" else None
    for i, t in enumerate(templates if isinstance(templates, list) else ()):
        if isinstance(t, dict):
            name = text((t.get("metadata") or {}).get("name")) if isinstance(t.get("metadata"), dict) else None
            yield (("spec", "volumeClaimTemplates", i, "spec"), ("spec", "volumeClaimTemplates", i, "metadata"),
                   f"volumeClaimTemplate '{name or i}' of StatefulSet '{shown_name(obj)}'")
    spec = obj.pod_spec
    if spec is None:
        return
    volumes = spec.data.get("volumes")
    for i, v in enumerate(volumes if isinstance(volumes, list) else ()):
        template = v.get("ephemeral", {}).get("volumeClaimTemplate") if isinstance(v, dict) and \
            isinstance(v.get("ephemeral"), dict) else None
        if isinstance(template, dict):
            base = spec.path + ("volumes", i, "ephemeral", "volumeClaimTemplate")
            yield base + ("spec",), base + ("metadata",), f"ephemeral volume '{text(v.get('name')) or i}'"


def _storage_classes(ctx, index, obj: KubeObject, kind: str):
    if not ctx.enabled("missing-storage-class"):
        return
    if kind not in ("PersistentVolumeClaim", "StatefulSet") and obj.pod_spec is None:
        return
    assumed = set(ctx.param("missing-storage-class", "assume", []) or [])
    for spec_path, meta_path, claim in _claim_specs(obj, kind):
        name = text(obj.get(*spec_path, "storageClassName"))
        path = spec_path + ("storageClassName",)
        if obj.get(*spec_path, "storageClassName") is None:
            name = text(obj.get(*meta_path, "annotations", _CLASS_ANNOTATION))
            path = meta_path + ("annotations", _CLASS_ANNOTATION)
        if name is None or name in assumed:  # "" or unset: no class / the cluster default
            continue
        yield from _missing(ctx, index, "missing-storage-class", obj, path, "StorageClass", None, name,
                            claim=claim)
