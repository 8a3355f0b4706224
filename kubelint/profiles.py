"""Profiles: a whole selection in one word (`--profile NAME`, `profile:` in the config).

`recommended` is the default set (the rules with `default-enabled: true`), `all` every rule.
A peer's profile selects the rules aliased to the checks that peer runs by default, with that
peer's parameter values (and, for Polaris, its default severities), so that a team moving to
kubelint keeps the verdicts it had. `pss-baseline` and `pss-restricted` run the Pod Security
Standards controls alone, as the admission controller would, with that default level.

The peers' default sets are their documented defaults: kube-linter's checks marked "enabled by
default", kube-score's checks that are not optional, Polaris's default configuration (every
check it lists at warning or danger), and every check of hadolint and checkov (both run all
their checks unless told otherwise). `select`, `extend-select` and `ignore` still apply on top."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubelint.errors import KubelintError


class ProfileError(KubelintError):
    pass


@dataclass(frozen=True)
class Profile:
    name: str
    summary: str
    select: tuple[str, ...] | None = None  # selection tokens; None: the recommended set
    peer: str | None = None  # select the rules aliased to `peer:CHECK` for CHECK in `checks`
    checks: tuple[str, ...] = ()  # the peer's default checks; ("*",) every aliased one
    params: dict[str, dict[str, Any]] = field(default_factory=dict)  # by kubelint rule id
    severity: dict[str, str] = field(default_factory=dict)  # by peer check id
    pod_security: str | None = None  # the default Pod Security level it sets


KUBE_LINTER_DEFAULTS = (
    "dangling-service", "deprecated-service-account-field", "docker-sock", "drop-net-raw-capability",
    "duplicate-env-var", "env-var-secret", "host-ipc", "host-network", "host-pid", "invalid-target-ports",
    "latest-tag", "liveness-port", "mismatching-selector", "no-anti-affinity", "no-extensions-v1beta",
    "no-read-only-root-fs", "non-existent-service-account", "pdb-max-unavailable", "pdb-min-available",
    "pdb-unhealthy-pod-eviction-policy", "privilege-escalation-container", "privileged-container",
    "readiness-port", "run-as-non-root", "sensitive-host-mounts", "ssh-port", "startup-port",
    "unsafe-sysctls", "unset-cpu-requirements", "unset-memory-requirements")

KUBE_SCORE_OPTIONAL = ("container-ports-check", "container-seccomp-profile",
                       "container-resource-requests-equal-limits", "container-cpu-requests-equal-limits",
                       "container-memory-requests-equal-limits", "container-ephemeral-storage-request-equals-limit")

# Polaris's default configuration: every check it lists, with its severity.
POLARIS_DEFAULTS = {
    "deploymentMissingReplicas": "warning", "priorityClassNotSet": "warning", "tagNotSpecified": "danger",
    "pullPolicyNotAlways": "warning", "readinessProbeMissing": "warning", "livenessProbeMissing": "warning",
    "metadataAndInstanceMismatched": "warning", "pdbDisruptionsIsZero": "warning",
    "missingPodDisruptionBudget": "warning", "topologySpreadConstraint": "warning",
    "hpaMaxAvailability": "warning", "hpaMinAvailability": "warning",
    "pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas": "warning",
    "cpuRequestsMissing": "warning", "cpuLimitsMissing": "warning", "memoryRequestsMissing": "warning",
    "memoryLimitsMissing": "warning", "automountServiceAccountToken": "warning", "hostIPCSet": "danger",
    "hostPathSet": "warning", "hostProcess": "warning", "hostPIDSet": "danger", "linuxHardening": "warning",
    "missingNetworkPolicy": "warning", "notReadOnlyRootFilesystem": "warning",
    "privilegeEscalationAllowed": "danger", "procMount": "warning", "runAsRootAllowed": "danger",
    "runAsPrivileged": "danger", "dangerousCapabilities": "danger", "insecureCapabilities": "warning",
    "hostNetworkSet": "danger", "hostPortSet": "warning", "tlsSettingsMissing": "warning",
    "sensitiveContainerEnvVar": "danger", "sensitiveConfigmapContent": "danger",
    "clusterrolePodExecAttach": "danger", "rolePodExecAttach": "danger",
    "clusterrolebindingPodExecAttach": "danger", "rolebindingClusterRolePodExecAttach": "danger",
    "rolebindingRolePodExecAttach": "danger", "clusterrolebindingClusterAdmin": "danger",
    "rolebindingClusterAdminClusterRole": "danger", "rolebindingClusterAdminRole": "danger",
}
POLARIS_SEVERITY = {"danger": "error", "warning": "warning"}

PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("recommended", "the rules a reviewer keeps on any repository (the default)"),
    Profile("all", "every rule", select=("all",)),
    Profile("kube-linter", "kube-linter's default checks, with its parameters (3 replicas, CPU requests, "
            "memory limits)", peer="kube-linter", checks=KUBE_LINTER_DEFAULTS,
            params={"single-replica": {"min-replicas": 3}, "hpa-min-replicas": {"min-replicas": 3},
                    "no-anti-affinity": {"min-replicas": 2}, "missing-requests": {"resources": ["cpu"]},
                    "missing-limits": {"resources": ["memory"]},
                    "sensitive-host-mount": {"paths": ["/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys",
                                                       "/usr"]}}),
    Profile("kube-score", "kube-score's checks that are not optional", peer="kube-score", checks=("*",),
            params={"missing-limits": {"resources": ["cpu", "memory"]}}),
    Profile("polaris", "Polaris's default configuration, with its severities (danger is error)",
            peer="polaris", checks=tuple(POLARIS_DEFAULTS),
            params={"missing-limits": {"resources": ["cpu", "memory"]}},
            severity={k: POLARIS_SEVERITY[v] for k, v in POLARIS_DEFAULTS.items()}),
    Profile("hadolint", "every hadolint rule (hadolint runs them all)", peer="hadolint", checks=("*",)),
    Profile("checkov", "every checkov Kubernetes and Dockerfile check (checkov runs them all)",
            peer="checkov", checks=("*",)),
    Profile("pss-baseline", "the Pod Security Standards at the baseline level, as the admission controller "
            "applies them", select=("pod-security",), pod_security="baseline"),
    Profile("pss-restricted", "the Pod Security Standards at the restricted level, as the admission "
            "controller applies them", select=("pod-security",), pod_security="restricted"),
)}


def get_profile(name: str) -> Profile:
    profile = PROFILES.get(name)
    if profile is None:
        import difflib

        hint = difflib.get_close_matches(name, list(PROFILES), n=1)
        raise ProfileError(f"unknown profile '{name}' (one of {', '.join(PROFILES)})"
                           + (f"; did you mean '{hint[0]}'?" if hint else ""))
    return profile


def _peer_ids(rule: Any, peer: str) -> set[str]:
    return {a.split(":", 1)[1] for a in rule.aliases if a.startswith(peer + ":")}


def rule_ids(profile: Profile, rules: dict) -> list[str] | None:
    """The rule ids the profile selects (None: the recommended set, or its `select` tokens)."""
    if profile.peer is None:
        return None
    excluded = set(KUBE_SCORE_OPTIONAL) if profile.name == "kube-score" else set()
    out = []
    for rule in rules.values():
        ids = _peer_ids(rule, profile.peer) - excluded
        if ids and ("*" in profile.checks or ids & set(profile.checks)):
            out.append(rule.id)
    return out


def severities(profile: Profile, rules: dict) -> dict[str, str]:
    """Severity by rule id: the most severe of the peer checks a rule stands for."""
    rank = {"info": 0, "warning": 1, "error": 2}
    out: dict[str, str] = {}
    for rule in rules.values():
        for peer_id in _peer_ids(rule, profile.peer or ""):
            level = profile.severity.get(peer_id)
            if level and (rule.id not in out or rank[level] > rank[out[rule.id]]):
                out[rule.id] = level
    return out
