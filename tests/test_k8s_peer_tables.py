"""docs/peers/{kube-linter,kube-score,polaris,checkov-kubernetes}.yaml against the rules' `aliases`,
with the consistency rules of tools/gen_compat.py (branch docker-fidelity, which generates
docs/compatibility.md from these files): a check some rule aliases is "same" unless it says
`difference:`, a check no rule aliases gives a `missing:` reason, and every alias of these
linters names a check that its file lists. When the generator is merged its own --check covers
this too."""

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kubelint.engine.loader import load_rules

PEERS = Path(__file__).resolve().parent.parent / "docs" / "peers"
FILES = ["kube-linter.yaml", "kube-score.yaml", "polaris.yaml", "checkov-kubernetes.yaml"]


def load(name: str) -> dict:
    return YAML(typ="safe").load((PEERS / name).read_text(encoding="utf-8"))


def covered(peer: dict) -> dict[str, list[str]]:
    """check id -> the rules whose aliases name it (the file's `peer` prefix, ids matching)."""
    ids = re.compile(peer.get("ids", ".*"))
    out: dict[str, list[str]] = {}
    for rule in load_rules().values():
        for alias in rule.aliases:
            prefix, _, check_id = alias.partition(":")
            if prefix == peer["peer"] and ids.search(check_id):
                out.setdefault(check_id, []).append(rule.id)
    return out


@pytest.mark.parametrize("name", FILES)
def test_peer_table_agrees_with_the_aliases(name):
    peer = load(name)
    assert peer["peer"] and peer["name"] and peer["version"] and peer["checks"]
    ids = re.compile(peer["ids"])
    rules = covered(peer)
    problems = []
    for check_id, entry in peer["checks"].items():
        if not ids.search(check_id):
            problems.append(f"{check_id}: does not match ids")
        if not entry.get("title"):
            problems.append(f"{check_id}: no title")
        if entry.get("missing") and entry.get("difference"):
            problems.append(f"{check_id}: both missing and difference")
        if rules.get(check_id) and entry.get("missing"):
            problems.append(f"{check_id}: says missing but {rules[check_id]} alias it")
        if not rules.get(check_id) and not entry.get("missing"):
            problems.append(f"{check_id}: aliased by no rule and no missing: reason")
    for check_id in sorted(set(rules) - set(peer["checks"])):
        problems.append(f"{check_id}: aliased by {rules[check_id]} but not listed")
    assert problems == []


def test_every_kubernetes_alias_has_a_table():
    """Each alias with a Kubernetes peer's prefix is owned by one of these files."""
    owners = [(p["peer"], re.compile(p["ids"])) for p in map(load, FILES)]
    loose = [f"{rule.id}: {alias}" for rule in load_rules().values() for alias in rule.aliases
             if alias.split(":")[0] in ("kube-linter", "kube-score", "polaris")
             or alias.startswith(("checkov:CKV_K8S_", "checkov:CKV2_K8S_"))
             if not any(alias.split(":")[0] == prefix and rx.search(alias.partition(":")[2])
                        for prefix, rx in owners)]
    assert loose == []


def test_kube_linter_lists_its_default_checks():
    """The checks kube-linter enables by default (checks.md, 'Enabled by default: Yes') are all
    in the table and all covered: a user switching keeps every default verdict."""
    table = load("kube-linter.yaml")["checks"]
    rules = covered(load("kube-linter.yaml"))
    defaults = ["dangling-service", "deprecated-service-account-field", "docker-sock", "drop-net-raw-capability",
                "duplicate-env-var", "env-var-secret", "host-ipc", "host-network", "host-pid",
                "invalid-target-ports", "latest-tag", "liveness-port", "mismatching-selector", "no-anti-affinity",
                "no-extensions-v1beta", "no-read-only-root-fs", "non-existent-service-account",
                "pdb-max-unavailable", "pdb-min-available", "pdb-unhealthy-pod-eviction-policy",
                "privilege-escalation-container", "privileged-container", "readiness-port", "run-as-non-root",
                "sensitive-host-mounts", "ssh-port", "startup-port", "unsafe-sysctls", "unset-cpu-requirements",
                "unset-memory-requirements"]
    assert [c for c in defaults if c not in table or not rules.get(c)] == []
