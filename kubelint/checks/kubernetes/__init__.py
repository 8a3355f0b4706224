"""Python checks for Kubernetes per-object rules the condition language cannot express cleanly
(comparisons between two parts of one container, heuristics over values)."""

from kubelint.checks.kubernetes import (
    aggregation,
    anti_affinity,
    capabilities,
    configmap_secrets,
    control_plane,
    env_names,
    env_secrets,
    extended_resources,
    host_mounts,
    ingress_snippets,
    node_labels,
    pdb,
    probes,
    replicas,
    seccomp,
    service_account,
    topology_spread,
)

__all__ = ["aggregation", "anti_affinity", "capabilities", "configmap_secrets", "control_plane", "env_names", "env_secrets",
           "extended_resources", "host_mounts", "ingress_snippets", "node_labels", "pdb", "probes", "replicas",
           "seccomp", "service_account", "topology_spread"]
