"""Issue 17, CI formats: GitLab Code Quality against the fields GitLab documents, SARIF's
security-severity, markdown help and unique partial fingerprints (still valid SARIF 2.1.0)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from shared_data import require

from kubelint.baseline import fingerprint
from kubelint.cli import main
from kubelint.findings import Finding
from kubelint.report.fingerprints import unique_fingerprints

SARIF_SCHEMA = Path(__file__).resolve().parents[1].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"

# GitLab's "Code Quality report format" (docs.gitlab.com/ci/testing/code_quality): an array of
# objects with these fields; the line is location.lines.begin or location.positions.begin.line.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1},
                                             "end": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostNetwork: true
  containers:
    - name: a
      image: nginx
    - name: b
      image: nginx:1.27
"""
DOCKERFILE = "FROM ubuntu:22.04\nRUN apt-get install curl\nRUN apt-get install wget\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(POD)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


SELECT = "latest-tag,host-network,apt-get-no-y"


def run(capsys, *args):
    code = main(["check", "--isolated", "--select", SELECT, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_gitlab_code_quality(repo, capsys):
    code, out, _ = run(capsys, "--format", "gitlab", ".")
    assert code == 1
    issues = json.loads(out)
    jsonschema.validate(issues, GITLAB_SCHEMA)
    got = [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"], i["severity"]) for i in issues]
    assert got == [("apt-get-no-y", "Dockerfile", 2, "minor"), ("apt-get-no-y", "Dockerfile", 3, "minor"),
                   ("host-network", "k8s/pod.yaml", 6, "minor"), ("latest-tag", "k8s/pod.yaml", 9, "minor")]
    assert issues[2]["categories"] == ["Security"]
    assert issues[3]["description"] == ("[latest-tag] container 'a' uses image 'nginx' with no tag or the "
                                        "'latest' tag")
    assert issues[3]["content"]["body"].endswith("Docs: https://github.com/kubelint/kubelint/blob/main/docs/rules.md#latest-tag")
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_fingerprints_are_the_baselines(repo, capsys):
    run(capsys, "--write-baseline", "baseline.json", ".")
    baseline = json.loads((repo / "baseline.json").read_text())["findings"]
    _, out, _ = run(capsys, "--format", "gitlab", ".")
    issues = json.loads(out)
    # The two Dockerfile findings differ only by line: same baseline fingerprint, made unique.
    first, second = issues[0]["fingerprint"], issues[1]["fingerprint"]
    assert second == first + ":2"
    assert sorted({i["fingerprint"].split(":")[0] for i in issues}) == sorted({e["fingerprint"] for e in baseline})


def test_unique_fingerprints_keep_the_first_as_it_is(tmp_path):
    a = Finding("r", "warning", "m", "f.yaml", 1, 1)
    b = Finding("r", "warning", "m", "f.yaml", 5, 1)
    c = Finding("r", "warning", "other", "f.yaml", 9, 1)
    fp = fingerprint(a, tmp_path)
    assert unique_fingerprints([a, b, c, a], tmp_path) == [fp, fp + ":2", fingerprint(c, tmp_path), fp + ":3"]


def test_sarif_security_severity_markdown_help_and_unique_fingerprints(repo, capsys):
    code, out, _ = run(capsys, "--format", "sarif", ".")
    log = json.loads(out)
    if require(SARIF_SCHEMA):
        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    host = rules["host-network"]["properties"]
    assert host["security-severity"] == "5.5" and "security" in host["tags"]
    assert "security-severity" not in rules["latest-tag"]["properties"]
    assert "security" not in rules["latest-tag"]["properties"]["tags"]
    markdown = rules["latest-tag"]["help"]["markdown"]
    assert markdown.startswith("**Container image has no tag or uses the mutable `latest` tag**\n\n")
    assert "**Why:**" in markdown and "**How to fix:**" in markdown
    assert "```yaml\napiVersion: v1\n" in markdown
    assert markdown.endswith("[Rule documentation](https://github.com/kubelint/kubelint/blob/main/docs/rules.md#latest-tag)")
    results = log["runs"][0]["results"]
    prints = [r["partialFingerprints"]["kubelint/v1"] for r in results]
    assert len(set(prints)) == len(prints) and prints[1] == prints[0] + ":2"


def test_sarif_security_severity_follows_the_severity_in_force(repo, capsys):
    for level, score, gitlab in (("error", "8.0", "major"), ("info", "2.0", "info")):
        _, out, _ = run(capsys, "--format", "sarif", "--severity", f"host-network={level}", ".")
        rules = {r["id"]: r for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
        assert rules["host-network"]["properties"]["security-severity"] == score
        _, out, _ = run(capsys, "--format", "gitlab", "--severity", f"host-network={level}", ".")
        assert [i["severity"] for i in json.loads(out) if i["check_name"] == "host-network"] == [gitlab]


def test_sarif_with_safe_and_unsafe_fixes_is_valid_sarif(repo, capsys):
    # apt-get-no-y has a safe fix (-y), privilege-escalation an unsafe one (both containers).
    code = main(["check", "--isolated", "--select", "apt-get-no-y,privilege-escalation", "--format", "sarif", "."])
    log = json.loads(capsys.readouterr().out)
    assert code == 1
    if require(SARIF_SCHEMA):
        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    results = log["runs"][0]["results"]
    fixes = {(r["ruleId"], r["fixes"][0]["description"]["text"]) for r in results if "fixes" in r}
    assert fixes == {("apt-get-no-y", "safe fix for apt-get-no-y"),
                     ("privilege-escalation", "unsafe fix for privilege-escalation")}
    assert sum("fixes" in r for r in results) == 4  # two RUNs, two containers
    change = next(r for r in results if r["ruleId"] == "apt-get-no-y")["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "Dockerfile"
    assert change["replacements"][0]["insertedContent"]["text"].strip() == "-y"
