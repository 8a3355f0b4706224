"""The recommended default set: which rules run with no selection, `select: [all]`,
`extend-select`, their config equivalents, untrusted-registry without a list, and how
`kubelint rules` and docs/rules.md mark the set."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from kubelint.cli import main
from kubelint.data import rules_dir
from kubelint.engine.loader import load_rules, rule_files
from kubelint.selection import ALWAYS_ON, SelectionError, enabled_ids

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
"""
# What every rule says about POD, and what the default set says.
DEFAULT_RULES = ["latest-tag", "missing-limits", "missing-requests"]
OPT_IN_RULES = {"run-as-root", "writable-root-fs", "missing-liveness-probe", "recommended-labels",
                "seccomp-profile", "automount-service-account-token", "host-users", "missing-readiness-probe"}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pod.yaml").write_text(POD)
    (tmp_path / "Dockerfile").write_text("FROM registry.example.net/base/python:3.12\nUSER 10001\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args) -> tuple[int, list[str]]:
    code = main(["check", "--format", "plain", *args])
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]


def rule_ids(lines: list[str]) -> list[str]:
    return sorted({re.search(r"\[(.*?)\]", line).group(1) for line in lines})


# --- the field ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", rule_files(rules_dir()), ids=lambda p: p.stem)
def test_every_builtin_rule_states_default_enabled_right_after_severity(path):
    lines = path.read_text().splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("severity:"))
    assert re.fullmatch(r"default-enabled: (true|false)", lines[i + 1]), path.name
    assert yaml.safe_load(path.read_text())["default-enabled"] in (True, False)


def test_the_default_set_keeps_runtime_errors_and_clear_risks_and_leaves_out_hardening():
    rules = load_rules()
    on = {r.id for r in rules.values() if r.default_enabled}
    for must in ("schema-invalid", "unknown-field", "removed-api", "selector-mismatch", "undefined-volume",
                 "missing-configmap-key", "privileged-container", "host-pid", "docker-socket",
                 "latest-tag", "missing-requests", "missing-limits", "probe-port-not-exposed",
                 "cmd-ignored", "entrypoint-cmd-mismatch", "secret-in-layer", "tls-verification-disabled"):
        assert must in on, must
    assert not OPT_IN_RULES & on
    assert not {"consecutive-run", "base-image-digest", "missing-ephemeral-storage", "apt-get-unpinned"} & on
    assert 60 < len(on) < len(rules)


def test_a_user_rule_without_the_field_is_on(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "id: team-label\nseverity: info\ncategory: best-practice\nsummary: Team label\napplies-to: objects\n"
        "condition: {path: metadata.labels.team, exists: false}\nmessage: no team label\n")
    rules = load_rules([str(tmp_path)])
    assert rules["team-label"].default_enabled is True
    assert "team-label" in enabled_ids(rules)


# --- selection ---------------------------------------------------------------------------------


def test_no_selection_runs_the_default_set(repo, capsys):
    code, lines = run(capsys, "pod.yaml")
    assert code == 1
    assert rule_ids(lines) == DEFAULT_RULES
    assert lines[-1] == ("pod.yaml:8:14: warning [latest-tag] container 'web' uses image 'nginx:latest' "
                         "with no tag or the 'latest' tag")


def test_select_all_runs_every_rule(repo, capsys):
    _, lines = run(capsys, "--select", "all", "pod.yaml")
    found = set(rule_ids(lines))
    assert set(DEFAULT_RULES) < found and OPT_IN_RULES <= found


def test_extend_select_adds_to_the_default_set(repo, capsys):
    _, lines = run(capsys, "--extend-select", "run-as-root,missing-liveness-probe", "pod.yaml")
    assert rule_ids(lines) == sorted(DEFAULT_RULES + ["missing-liveness-probe", "run-as-root"])


def test_select_replaces_the_default_set_and_extend_select_adds_to_it(repo, capsys):
    _, lines = run(capsys, "--select", "latest-tag", "--extend-select", "run-as-root", "pod.yaml")
    assert rule_ids(lines) == ["latest-tag", "run-as-root"]


def test_ignore_beats_extend_select(repo, capsys):
    _, lines = run(capsys, "--extend-select", "security", "--ignore", "run-as-root", "pod.yaml")
    found = rule_ids(lines)
    assert "writable-root-fs" in found and "run-as-root" not in found


def test_unknown_extend_select_token_is_a_usage_error(repo, capsys):
    code = main(["check", "--extend-select", "run-as-rot", "pod.yaml"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "kubelint: error: extend-select: unknown rule or category 'run-as-rot' (did you mean 'run-as-root'?)\n"


def test_a_broken_file_is_reported_whatever_the_selection(repo, capsys):
    (repo / "broken.yaml").write_text("a: [\n")
    code, lines = run(capsys, "--select", "latest-tag", "broken.yaml")
    assert code == 1 and rule_ids(lines) == ["yaml-syntax"]
    code, lines = run(capsys, "--select", "latest-tag", "--ignore", "yaml-syntax", "broken.yaml")
    assert code == 0 and lines == []


def test_always_on_rules_are_in_every_selection():
    rules = load_rules()
    assert set(ALWAYS_ON) <= set(enabled_ids(rules, ["latest-tag"]))
    assert set(ALWAYS_ON) <= set(enabled_ids(rules, []))
    assert enabled_ids(rules, ["latest-tag"], ignore=["dockerfile-syntax"]).count("dockerfile-syntax") == 0


def test_enabled_ids_rejects_unknown_tokens():
    with pytest.raises(SelectionError, match="select: unknown rule or category 'nope'"):
        enabled_ids(load_rules(), ["nope"])


# --- config equivalents ------------------------------------------------------------------------


@pytest.mark.parametrize("config,cli", [
    ("select: [all]\n", ["--select", "all"]),
    ("extend-select: [run-as-root]\n", ["--extend-select", "run-as-root"]),
    ("select: [latest-tag]\nextend-select: [run-as-root]\n", ["--select", "latest-tag", "--extend-select", "run-as-root"]),
    ("extend-select: [security]\nignore: [run-as-root]\n", ["--extend-select", "security", "--ignore", "run-as-root"]),
])
def test_config_keys_do_what_the_options_do(repo, capsys, config, cli):
    (repo / ".kubelint.yaml").write_text(config)
    _, from_file = run(capsys, "pod.yaml")
    _, from_cli = run(capsys, "--isolated", *cli, "pod.yaml")
    assert from_file == from_cli and from_file


def test_pyproject_extend_select(repo, capsys):
    (repo / "pyproject.toml").write_text('[tool.kubelint]\nextend-select = ["run-as-root"]\n')
    _, lines = run(capsys, "pod.yaml")
    assert rule_ids(lines) == sorted(DEFAULT_RULES + ["run-as-root"])


def test_command_line_select_drops_the_files_extend_select(repo, capsys):
    (repo / ".kubelint.yaml").write_text("extend-select: [run-as-root]\n")
    _, lines = run(capsys, "--select", "latest-tag", "pod.yaml")
    assert rule_ids(lines) == ["latest-tag"]
    _, lines = run(capsys, "--extend-select", "writable-root-fs", "pod.yaml")
    assert rule_ids(lines) == sorted(DEFAULT_RULES + ["run-as-root", "writable-root-fs"])


def test_unknown_extend_select_in_the_config_points_at_it(repo, capsys):
    (repo / ".kubelint.yaml").write_text("extend-select:\n  - run-as-root\n  - lastest-tag\n")
    code = main(["check", "pod.yaml"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == ("kubelint: error: .kubelint.yaml:3:5: unknown rule or category 'lastest-tag' "
                   "(did you mean 'latest-tag'?)\n")


def test_config_command_shows_the_selection(repo, capsys):
    (repo / ".kubelint.yaml").write_text("extend-select: [run-as-root]\n")
    assert main(["config", "--format", "json"]) == 0
    settings = json.loads(capsys.readouterr().out)["settings"]
    assert settings["select"] is None and settings["extend-select"] == ["run-as-root"]


# --- untrusted-registry ------------------------------------------------------------------------


def test_untrusted_registry_is_silent_without_a_list(repo, capsys):
    _, lines = run(capsys, "--select", "untrusted-registry", "Dockerfile")
    assert lines == []
    _, lines = run(capsys, "--select", "all", "Dockerfile")
    assert "untrusted-registry" not in rule_ids(lines)


def test_untrusted_registry_judges_against_the_users_list(repo, capsys):
    (repo / ".kubelint.yaml").write_text("params:\n  untrusted-registry: {allowed: [docker.io, ghcr.io]}\n")
    code, lines = run(capsys, "Dockerfile")
    assert code == 1
    assert lines == [("Dockerfile:1:6: warning [untrusted-registry] base image 'registry.example.net/base/python:3.12' "
                      "comes from registry 'registry.example.net', which is not in the allowed list (docker.io, ghcr.io)")]


# --- kubelint rules and docs -------------------------------------------------------------------


def test_rules_command_marks_the_default_set(capsys):
    assert main(["rules"]) == 0
    rows = {line.split()[0]: line.split()[2] for line in capsys.readouterr().out.splitlines()}
    assert rows["latest-tag"] == "on" and rows["run-as-root"] == "opt-in" and rows["yaml-syntax"] == "always"
    rules = load_rules()
    assert {rid for rid, mark in rows.items() if mark in ("on", "always")} == {
        r.id for r in rules.values() if r.default_enabled}


def test_rules_json_and_explain_say_it(capsys):
    assert main(["rules", "--format", "json"]) == 0
    by_id = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert by_id["latest-tag"]["default_enabled"] is True and by_id["run-as-root"]["default_enabled"] is False
    assert main(["rules", "explain", "run-as-root"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("warning · security · opt-in")


def test_rules_doc_marks_each_rule():
    from kubelint.docs import rules_markdown

    doc = rules_markdown()
    assert "| [`latest-tag`](#latest-tag) | warning | on | images |" in doc
    assert "| [`run-as-root`](#run-as-root) | warning | opt-in | security |" in doc
    assert "*warning* · security · opt-in (not in the default set) · Container may run as root" in doc
    assert "*error* · syntax · always on (whatever the selection) · The file is not valid YAML" in doc
