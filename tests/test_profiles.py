"""Profiles (kubelint/profiles.py): `--profile NAME` / `profile:` select a peer's default checks
with its parameter values, combine with select/extend-select/ignore, and reject unknown names."""

from __future__ import annotations

import json

import pytest

from kubelint.cli import main
from kubelint.data import schemas_dir
from kubelint.engine.loader import load_rules
from kubelint.profiles import KUBE_LINTER_DEFAULTS, PROFILES, ProfileError
from kubelint.selection import select_rules

RULES = load_rules()

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:1.27.3
"""


def chosen(**kwargs) -> dict:
    return select_rules(RULES, **kwargs)


def test_the_config_schema_lists_every_profile():
    schema = json.loads((schemas_dir() / "config.schema.json").read_text())
    assert schema["properties"]["profile"]["enum"] == list(PROFILES)


def test_recommended_is_the_default_set_and_all_is_every_rule():
    assert list(chosen(profile="recommended")) == list(chosen())
    assert list(chosen(profile="all")) == list(RULES)


def test_kube_linter_profile_selects_the_rules_aliased_to_its_default_checks():
    rules = chosen(profile="kube-linter")
    for rule in rules.values():
        peer = {a.split(":", 1)[1] for a in rule.aliases if a.startswith("kube-linter:")}
        assert peer & set(KUBE_LINTER_DEFAULTS) or rule.id in ("file-unreadable", "yaml-syntax", "yaml-too-complex",
                                                              "dockerfile-syntax", "internal-error"), rule.id
    assert {"host-network", "privileged-container", "latest-tag", "writable-root-fs"} <= set(rules)
    # kube-linter's minimum-three-replicas is opt-in there, so here too; its value is 3 when selected.
    assert "single-replica" not in rules
    extended = chosen(profile="kube-linter", extend_select=["kube-linter:minimum-three-replicas"])
    assert extended["single-replica"].params["min-replicas"] == 3
    assert extended["missing-requests"].params["resources"] == ["cpu"]
    assert "pss-privileged" not in rules and "seccomp-profile" not in rules


def test_user_params_and_selection_come_after_the_profile():
    rules = chosen(profile="kube-linter", extend_select=["single-replica"],
                   params={"single-replica": {"min-replicas": 5}}, ignore=["host-network"])
    assert rules["single-replica"].params["min-replicas"] == 5
    assert "host-network" not in rules
    # An explicit select replaces the profile's set; its params still apply.
    rules = chosen(profile="kube-linter", select=["single-replica"])
    assert [r for r in rules if r == "single-replica"] and rules["single-replica"].params["min-replicas"] == 3
    assert "host-network" not in rules


def test_polaris_profile_brings_its_severities():
    rules = chosen(profile="polaris")
    assert rules["host-network"].severity == "error"  # hostNetworkSet: danger
    assert rules["missing-readiness-probe"].severity == "warning"
    assert chosen(profile="polaris", severity={"host-network": "info"})["host-network"].severity == "info"


def test_peer_profiles_stay_in_their_peer():
    hadolint = chosen(profile="hadolint")
    assert all(r.applies_to in ("dockerfile", "instructions", "files") for r in hadolint.values())
    assert "base-image-untagged" in hadolint or any(a.startswith("hadolint:") for r in hadolint.values()
                                                    for a in r.aliases)
    kube_score = chosen(profile="kube-score")
    # container-seccomp-profile is optional in kube-score.
    assert "seccomp-profile" not in kube_score and "latest-tag" in kube_score
    checkov = chosen(profile="checkov")
    assert all(any(a.startswith("checkov:") for a in r.aliases) or r.id in ("file-unreadable", "yaml-syntax",
               "yaml-too-complex", "dockerfile-syntax", "internal-error") for r in checkov.values())


def test_unknown_profile():
    with pytest.raises(ProfileError, match="unknown profile 'kubelinter'.*did you mean 'kube-linter'"):
        chosen(profile="kubelinter")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(capsys, *args) -> tuple[int, list[tuple]]:
    code = main(["check", "--format", "json", "--no-progress", *args])
    return code, [(f["rule"], f["line"], f["severity"]) for f in json.loads(capsys.readouterr().out)["findings"]]


def test_cli_profile(repo, capsys):
    code, found = findings(capsys, "--profile", "kube-linter", "--extend-select", "minimum-three-replicas", "web.yaml")
    assert code == 1
    assert ("single-replica", 6, "info") in found  # 2 replicas < kube-linter's 3
    assert ("host-network", 13, "warning") in found
    code, found = findings(capsys, "--profile", "polaris", "web.yaml")
    assert ("host-network", 13, "error") in found
    assert main(["check", "--profile", "nope", "web.yaml"]) == 2
    assert "unknown profile 'nope'" in capsys.readouterr().err


def test_config_profile_and_its_position(repo, capsys):
    (repo / ".kubelint.yaml").write_text(
        'profile: kube-linter\nextend-select: ["kube-linter:minimum-three-replicas"]\n')
    code, found = findings(capsys, "web.yaml")
    assert ("single-replica", 6, "info") in found
    # The command line's profile wins over the file's: the file's extend-select still adds
    # single-replica, but at its own minimum of 2, which 2 replicas meet.
    code, found = findings(capsys, "--profile", "pss-restricted", "web.yaml")
    assert "pss-host-namespaces" in {r for r, *_ in found}
    assert not {"host-network", "single-replica"} & {r for r, *_ in found}
    (repo / ".kubelint.yaml").write_text("fail-on: error\nprofile: kubelinter\n")
    assert main(["check", "--no-progress", "web.yaml"]) == 2
    assert ".kubelint.yaml:2:10: profile: 'kubelinter' is not one of recommended" in capsys.readouterr().err


def test_kubelint_config_shows_the_profile(repo, capsys):
    (repo / ".kubelint.yaml").write_text("profile: polaris\npod-security: baseline\n")
    assert main(["config", "--format", "json"]) == 0
    settings = json.loads(capsys.readouterr().out)["settings"]
    assert (settings["profile"], settings["pod-security"]) == ("polaris", "baseline")
