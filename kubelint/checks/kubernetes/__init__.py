"""Python checks for Kubernetes per-object rules the condition language cannot express cleanly
(comparisons between two parts of one container, heuristics over values)."""

from kubelint.checks.kubernetes import (
    aggregation,
    configmap_secrets,
    env_names,
    env_secrets,
    extended_resources,
    host_mounts,
    node_labels,
    pdb,
    probes,
    replicas,
    seccomp,
    service_account,
)

__all__ = ["aggregation", "configmap_secrets", "env_names", "env_secrets", "extended_resources", "host_mounts",
           "node_labels", "pdb", "probes", "replicas", "seccomp", "service_account"]
