"""Removed and deprecated Kubernetes API versions, 1.16-1.37.

Sources: the Kubernetes "Deprecated API Migration Guide" (removals in 1.16, 1.22, 1.25, 1.26,
1.27, 1.29, 1.32, with the version each replacement became available) and, for removals the guide
does not list, the difference between consecutive bundled schema versions (marked `schemas`),
whose deprecation version is the release in which the replacement appeared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiChange:
    api_version: str
    kind: str
    deprecated_in: tuple[int, int]
    removed_in: tuple[int, int] | None  # None: deprecated, not (yet) removed
    replacement: str | None  # apiVersion to use instead; None when there is no successor
    note: str = ""


def _v(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


# (apiVersion, kinds, deprecated in, removed in, replacement, note)
_TABLE = [
    # 1.16 (guide)
    ("extensions/v1beta1", "NetworkPolicy", "1.9", "1.16", "networking.k8s.io/v1", ""),
    ("extensions/v1beta1", "PodSecurityPolicy", "1.10", "1.16", "policy/v1beta1", ""),
    ("extensions/v1beta1", "DaemonSet Deployment ReplicaSet", "1.9", "1.16", "apps/v1", ""),
    ("apps/v1beta1", "Deployment StatefulSet ReplicaSet ControllerRevision", "1.9", "1.16", "apps/v1", ""),
    ("apps/v1beta2", "DaemonSet Deployment StatefulSet ReplicaSet ControllerRevision", "1.9", "1.16", "apps/v1", ""),
    # 1.22 (guide)
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration ValidatingWebhookConfiguration",
     "1.16", "1.22", "admissionregistration.k8s.io/v1", ""),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.16", "1.22", "apiextensions.k8s.io/v1", ""),
    ("apiregistration.k8s.io/v1beta1", "APIService", "1.19", "1.22", "apiregistration.k8s.io/v1", ""),
    ("authentication.k8s.io/v1beta1", "TokenReview", "1.19", "1.22", "authentication.k8s.io/v1", ""),
    ("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview SelfSubjectAccessReview SubjectAccessReview",
     "1.19", "1.22", "authorization.k8s.io/v1", ""),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.19", "1.22", "certificates.k8s.io/v1", ""),
    ("coordination.k8s.io/v1beta1", "Lease", "1.19", "1.22", "coordination.k8s.io/v1", ""),
    ("extensions/v1beta1", "Ingress", "1.14", "1.22", "networking.k8s.io/v1", ""),
    ("networking.k8s.io/v1beta1", "Ingress IngressClass", "1.19", "1.22", "networking.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole ClusterRoleBinding Role RoleBinding",
     "1.17", "1.22", "rbac.authorization.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1alpha1", "ClusterRole ClusterRoleBinding Role RoleBinding",
     "1.17", "1.22", "rbac.authorization.k8s.io/v1", ""),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", "1.14", "1.22", "scheduling.k8s.io/v1", ""),
    ("storage.k8s.io/v1beta1", "CSIDriver CSINode StorageClass VolumeAttachment", "1.19", "1.22", "storage.k8s.io/v1", ""),
    # 1.25 (guide)
    ("batch/v1beta1", "CronJob", "1.21", "1.25", "batch/v1", ""),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", "1.21", "1.25", "discovery.k8s.io/v1", ""),
    ("events.k8s.io/v1beta1", "Event", "1.19", "1.25", "events.k8s.io/v1", ""),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.22", "1.25", "autoscaling/v2", ""),
    ("policy/v1beta1", "PodDisruptionBudget", "1.21", "1.25", "policy/v1", ""),
    ("policy/v1beta1", "PodSecurityPolicy", "1.21", "1.25", None,
     "PodSecurityPolicy has no successor API: use Pod Security Admission (namespace labels "
     "pod-security.kubernetes.io/*) or a policy engine"),
    ("node.k8s.io/v1beta1", "RuntimeClass", "1.20", "1.25", "node.k8s.io/v1", ""),
    # 1.26 (guide)
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema PriorityLevelConfiguration", "1.23", "1.26",
     "flowcontrol.apiserver.k8s.io/v1", ""),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.23", "1.26", "autoscaling/v2", ""),
    # 1.27 (guide)
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.24", "1.27", "storage.k8s.io/v1", ""),
    # 1.29 and 1.32 (guide)
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema PriorityLevelConfiguration", "1.26", "1.29",
     "flowcontrol.apiserver.k8s.io/v1", ""),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema PriorityLevelConfiguration", "1.29", "1.32",
     "flowcontrol.apiserver.k8s.io/v1", ""),
    # Later removals seen in the bundled schemas
    ("authentication.k8s.io/v1beta1", "SelfSubjectReview", "1.28", "1.33", "authentication.k8s.io/v1", ""),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding",
     "1.30", "1.34", "admissionregistration.k8s.io/v1", ""),
    ("networking.k8s.io/v1beta1", "IPAddress ServiceCIDR", "1.33", "1.37", "networking.k8s.io/v1", ""),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass", "1.34", "1.37", "storage.k8s.io/v1", ""),
    # Deprecated and still served
    ("v1", "ComponentStatus", "1.19", None, None, "ComponentStatus is deprecated with no replacement"),
    ("v1", "Endpoints", "1.33", None, "discovery.k8s.io/v1 EndpointSlice",
     "use EndpointSlice (discovery.k8s.io/v1) instead of Endpoints"),
]

CHANGES: dict[tuple[str, str], ApiChange] = {}
for api_version, kinds, deprecated, removed, replacement, note in _TABLE:
    for kind in kinds.split():
        CHANGES[(api_version, kind)] = ApiChange(api_version, kind, _v(deprecated),
                                                 _v(removed) if removed else None, replacement, note)


def lookup(api_version: str, kind: str) -> ApiChange | None:
    return CHANGES.get((api_version, kind))


def status(change: ApiChange, target: tuple[int, int]) -> str | None:
    """'removed', 'deprecated' or None (fine) for a target Kubernetes version."""
    if change.removed_in is not None and target >= change.removed_in:
        return "removed"
    if target >= change.deprecated_in:
        return "deprecated"
    return None


def fmt(v: tuple[int, int]) -> str:
    return f"{v[0]}.{v[1]}"
