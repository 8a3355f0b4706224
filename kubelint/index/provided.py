"""Objects that exist without a manifest of their own in the scan: what generators and operators
make, what components create at run time, and what every cluster has. See docs/cross-object.md."""

from __future__ import annotations

from dataclasses import dataclass

from kubelint.model.k8s import KubeObject


@dataclass
class Provided:
    """A Secret or ConfigMap that something else makes (a kustomize generator, a cert-manager
    Certificate, a SealedSecret...): it exists, but its keys are not known."""

    obj: KubeObject
    path: tuple
    how: str


# Custom resources that configure things rather than run pods or own Secrets and Services.
_INERT_GROUPS = ("monitoring.coreos.com", "cert-manager.io", "istio.io", "gateway.networking.k8s.io",
                 "kustomize.config.k8s.io", "config.kubernetes.io", "apiextensions.k8s.io",
                 "gatekeeper.sh", "bitnami.com", "external-secrets.io", "metallb.io",
                 "snapshot.storage.k8s.io", "autoscaling.k8s.io", "policy.networking.k8s.io",
                 "admissionregistration.k8s.io", "apiregistration.k8s.io")
_OPERATOR_KINDS_IN_INERT_GROUPS = {"Prometheus", "Alertmanager", "ThanosRuler", "PrometheusAgent"}


def is_operator_resource(obj: KubeObject, kind: str, builtin_kinds) -> bool:
    """A namespaced custom resource (not one of `builtin_kinds`) an operator may turn into pods,
    Services and Secrets."""
    group = obj.group
    if obj.namespace is None or not group or "." not in group or kind in builtin_kinds:
        return False
    if obj.kind in _OPERATOR_KINDS_IN_INERT_GROUPS:
        return True
    return not any(group == g or group.endswith("." + g) for g in _INERT_GROUPS) and not group.endswith(".k8s.io")


# Objects every cluster has in every namespace (the root CA bundle the kube-controller-manager
# publishes) or in kube-system (the authentication Role extension API servers bind).
CLUSTER_PROVIDED = {("ConfigMap", "kube-root-ca.crt")}
KUBE_SYSTEM_ROLES = {"extension-apiserver-authentication-reader"}

# Services a cluster has without a manifest of the application, by namespace and labels: the API
# server's `kubernetes`, the DNS Service (kube-dns or CoreDNS), the kubelet Service that
# prometheus-operator keeps up to date, and the control-plane Services a platform's installer
# makes for monitoring (kube-scheduler, kube-controller-manager).
CLUSTER_SERVICES = (
    ("default", {"component": "apiserver", "provider": "kubernetes"}),
    ("kube-system", {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"}),
    ("kube-system", {"k8s-app": "kubelet", "app.kubernetes.io/name": "kubelet",
                     "app.kubernetes.io/managed-by": "prometheus-operator"}),
    ("kube-system", {"k8s-app": "kube-scheduler", "app.kubernetes.io/name": "kube-scheduler", "component": "kube-scheduler"}),
    ("kube-system", {"k8s-app": "kube-controller-manager", "app.kubernetes.io/name": "kube-controller-manager",
                     "component": "kube-controller-manager"}),
)


def cluster_service_account(namespace: str | None, name: str) -> bool:
    """ServiceAccounts the cluster makes: `default` everywhere, and in kube-system those of the
    kube-controller-manager's controllers (`horizontal-pod-autoscaler`, `deployment-controller`...)."""
    if name == "default":
        return True
    return namespace == "kube-system" and (name.endswith("-controller") or name in _CONTROLLER_ACCOUNTS)


_CONTROLLER_ACCOUNTS = {"horizontal-pod-autoscaler", "generic-garbage-collector", "persistent-volume-binder",
                        "attachdetach-controller", "bootstrap-signer", "token-cleaner", "kube-proxy",
                        "coredns", "pv-protection-controller", "pvc-protection-controller"}


# RBAC rules and container arguments, for what components create at run time ------------------
def strings(value) -> set:
    return {str(v) for v in value} if isinstance(value, list) else set()


def covers(rule: dict, resource: str) -> bool:
    groups, resources = strings(rule.get("apiGroups")), strings(rule.get("resources"))
    return bool(groups & {"", "*"}) and bool(resources & {resource, "*"})


def grants(rule: dict, verb: str) -> bool:
    return bool(strings(rule.get("verbs")) & {verb, "*"})


def mentions(workload: KubeObject, name: str) -> bool:
    """Whether a container's command or args pass `name` (as a word, or as `--flag=name`)."""
    for c in workload.pod().containers:
        for field_name in ("command", "args"):
            for arg in c.data.get(field_name) or [] if isinstance(c.data.get(field_name), list) else []:
                arg = str(arg)
                if arg == name or arg.endswith("=" + name) or name in arg.split():
                    return True
    return False


# What makes Secrets and ConfigMaps besides the objects themselves ------------------------------
def provides(obj: KubeObject):
    """(kind, name, path, how, namespace) for each Secret/ConfigMap an object generates;
    namespace None means the object's own."""
    kind, group = obj.kind, obj.group
    if kind == "Kustomization" and group.startswith("kustomize.config.k8s.io"):
        namespace = obj.get("namespace")
        namespace = str(namespace) if isinstance(namespace, str) and namespace else None
        for field_name, made in (("secretGenerator", "Secret"), ("configMapGenerator", "ConfigMap")):
            items = obj.get(field_name)
            for i, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, dict) and item.get("name"):
                    yield made, str(item["name"]), (field_name, i, "name"), f"kustomize {field_name}", namespace
    elif kind == "Certificate" and group.startswith("cert-manager.io"):
        name = obj.get("spec", "secretName")
        if name:
            yield "Secret", str(name), ("spec", "secretName"), "cert-manager Certificate", None
    elif kind == "SealedSecret" and group.startswith("bitnami.com"):
        name = obj.get("spec", "template", "metadata", "name") or obj.name
        if name:
            yield "Secret", str(name), ("metadata", "name"), "SealedSecret", None
    elif kind == "ExternalSecret":
        name = obj.get("spec", "target", "name") or obj.name
        if name:
            yield "Secret", str(name), ("spec", "target", "name"), "ExternalSecret", None
