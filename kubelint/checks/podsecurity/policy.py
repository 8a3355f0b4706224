"""Which Pod Security Standard applies to a pod, decided as the Pod Security Admission controller
decides it: the namespace's `pod-security.kubernetes.io/<mode>` and `<mode>-version` labels over
the defaults (here `--pod-security`), each unparsable label falling back the way the controller
falls back (an enforce level it cannot read enforces `restricted`; a warn or audit level it
cannot read is `privileged`; a version it cannot read is `latest`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVELS = ("privileged", "baseline", "restricted")
MODES = ("enforce", "warn", "audit")
LABEL_PREFIX = "pod-security.kubernetes.io/"
# The newest Kubernetes minor whose Pod Security policy kubelint knows: `latest` and any newer
# version evaluate as this one.
NEWEST = (1, 37)
_POLICY_VERSION = re.compile(r"^v1\.([0-9]|[1-9][0-9]*)$")  # what the controller accepts
_CLUSTER_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?$")


@dataclass(frozen=True)
class LevelVersion:
    level: str
    version: tuple[int, int] | None  # None: latest

    def shown(self) -> str:
        """As the controller writes it: `restricted:latest`, `baseline:v1.30`."""
        return f"{self.level}:{'latest' if self.version is None else f'v{self.version[0]}.{self.version[1]}'}"

    def resolved(self, cluster: tuple[int, int]) -> tuple[int, int]:
        """The policy version evaluated on a cluster: `latest`, or a version newer than the
        cluster, is the cluster's own."""
        if self.version is None or self.version > cluster:
            return cluster
        return self.version


@dataclass(frozen=True)
class ModePolicy:
    mode: str  # enforce | warn | audit
    policy: LevelVersion
    label: str | None  # the Namespace label that set the level, None for the default


def parse_level(value: object) -> str | None:
    text = str(value)
    return text if text in LEVELS else None


def parse_version(value: object) -> tuple[tuple[int, int] | None, bool]:
    """(version or None for latest, whether the text was valid)."""
    text = str(value)
    if text == "latest":
        return None, True
    m = _POLICY_VERSION.match(text)
    if not m:
        return None, False
    return (1, int(m.group(1))), True


def cluster_version(requested: str | None) -> tuple[int, int]:
    """The cluster the manifests go to: --kubernetes-version, else the newest kubelint knows.
    A version newer than that evaluates as the newest known policy."""
    if requested:
        m = _CLUSTER_VERSION.match(str(requested).strip())
        if m:
            return min((int(m.group(1)), int(m.group(2))), NEWEST)
    return NEWEST


def policies(labels: dict, default_level: str) -> list[ModePolicy]:
    """The enforce, warn and audit policies for a namespace with these labels, in that order
    (levels above privileged only)."""
    out = []
    for mode in MODES:
        key = LABEL_PREFIX + mode
        label = None
        level = default_level if mode == "enforce" else "privileged"
        if key in labels:
            label = key
            parsed = parse_level(labels[key])
            # Fail closed for enforce, open for warn and audit, as the controller does.
            level = parsed or ("restricted" if mode == "enforce" else "privileged")
        version, _ = parse_version(labels[key + "-version"]) if key + "-version" in labels else (None, True)
        if level != "privileged":
            out.append(ModePolicy(mode, LevelVersion(level, version), label))
    return out
