"""Baselines: written, then only new findings are reported, whatever moved in the files."""

import json

import pytest

from kubelint.baseline import fingerprint, normalise_message
from kubelint.cli import main
from kubelint.findings import Finding, ObjectRef

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:latest
        - name: cache
          image: redis
"""
SELECT = ["--select", "latest-tag,duplicate-key"]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "deploy.yaml").write_text(DEPLOY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args):
    code = main(["check", "--format", "plain", *SELECT, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_round_trip_survives_lines_moving(repo, capsys):
    code, _, err = check(capsys, "--write-baseline", ".kubelint-baseline.json", ".")
    assert code == 0 and err == "kubelint: wrote 2 findings to .kubelint-baseline.json\n"
    doc = json.loads((repo / ".kubelint-baseline.json").read_text())
    assert doc["version"] == 1
    assert [(e["rule"], e["file"], e["object"], e["path"]) for e in doc["findings"]] == [
        ("latest-tag", "k8s/deploy.yaml", "Deployment/default/web", "spec.template.spec.containers[0].image"),
        ("latest-tag", "k8s/deploy.yaml", "Deployment/default/web", "spec.template.spec.containers[1].image"),
    ]
    assert all("line" not in e for e in doc["findings"])

    code, out, _ = check(capsys, "--baseline", ".kubelint-baseline.json", ".")
    assert code == 0 and out == "0 findings in 1 file, 1 object; 2 in the baseline\n"

    # Lines move: a comment block above, a blank line inside the first container.
    moved = "# deployed by CI\n# owner: web team\n\n" + DEPLOY.replace(
        "        - name: web\n          image: nginx:latest\n        - name: cache\n          image: redis\n",
        "        - name: web\n\n          image: nginx:latest\n        - name: cache\n          image: redis\n")
    (repo / "k8s" / "deploy.yaml").write_text(moved)
    code, out, _ = check(capsys, "--baseline", ".kubelint-baseline.json", ".")
    assert code == 0 and out.endswith("; 2 in the baseline\n")

    # A new finding is reported, at its line; the old ones stay quiet.
    (repo / "k8s" / "deploy.yaml").write_text(moved + "        - name: debug\n          image: busybox\n")
    code, out, _ = check(capsys, "--baseline", ".kubelint-baseline.json", ".")
    assert code == 1
    assert out.splitlines() == [
        "k8s/deploy.yaml:22:18: warning [latest-tag] container 'debug' uses image 'busybox' "
        "with no tag or the 'latest' tag",
        "1 finding (1 warning) in 1 file, 1 object; 2 in the baseline",
    ]


def test_fixed_findings_leave_stale_entries_and_a_note(repo, capsys):
    check(capsys, "--write-baseline", "base.json", ".")
    (repo / "k8s" / "deploy.yaml").write_text(DEPLOY.replace("image: redis", "image: redis:7.2"))
    code, out, _ = check(capsys, "--baseline", "base.json", ".")
    assert code == 0
    assert "note: 1 baseline entry no longer found: refresh base.json with --write-baseline" in out


def test_baseline_paths_are_relative_to_the_baseline_file(repo, capsys, monkeypatch):
    check(capsys, "--write-baseline", "base.json", ".")
    monkeypatch.chdir(repo / "k8s")
    code, out, _ = check(capsys, "--baseline", "../base.json", "deploy.yaml")
    assert code == 0 and out.endswith("; 2 in the baseline\n")


def test_identical_findings_are_counted(repo, capsys):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: '1'\n  x: '2'\n"
    (repo / "k8s" / "cm.yaml").write_text(text)
    check(capsys, "--write-baseline", "base.json", "k8s/cm.yaml")
    (repo / "k8s" / "cm.yaml").write_text(text + "  x: '3'\n")
    code, out, _ = check(capsys, "--baseline", "base.json", "k8s/cm.yaml")
    assert code == 1
    assert [line.split(": error")[0] for line in out.splitlines() if ": error" in line] == ["k8s/cm.yaml:8:3"]


def test_baseline_from_the_config_file(repo, capsys):
    check(capsys, "--write-baseline", "base.json", ".")
    (repo / ".kubelint.yaml").write_text("baseline: base.json\n")
    code, out, _ = check(capsys, ".")
    assert code == 0 and out.endswith("; 2 in the baseline\n")


@pytest.mark.parametrize("content,message", [
    (None, "kubelint: error: baseline file not found: nope.json (create it with --write-baseline)\n"),
    ("{", "kubelint: error: nope.json:1:2: not a kubelint baseline: Expecting property name enclosed in double quotes\n"),
    ('{"version": 7, "findings": []}', "kubelint: error: nope.json:1:1: not a kubelint baseline (version 1 expected)\n"),
])
def test_bad_baselines_exit_2(repo, capsys, content, message):
    if content is not None:
        (repo / "nope.json").write_text(content)
    code, out, err = check(capsys, "--baseline", "nope.json", ".")
    assert (code, out, err) == (2, "", message)


def test_fingerprint_ignores_positions_and_place_numbers(tmp_path):
    ref = ObjectRef("v1", "ConfigMap", "default", "a")
    a = Finding("duplicate-key", "error", "duplicate key 'x' (first defined at line 6)", "k8s/cm.yaml", 7, 3,
                object=ref, path="data.x")
    b = Finding("duplicate-key", "error", "duplicate key 'x' (first defined at line 9)", "k8s/cm.yaml", 10, 3,
                object=ref, path="data.x")
    assert fingerprint(a, tmp_path) == fingerprint(b, tmp_path)
    c = Finding("duplicate-key", "error", a.message, "k8s/cm.yaml", 7, 3,
                object=ObjectRef("v1", "ConfigMap", "prod", "a"), path="data.x")
    assert fingerprint(a, tmp_path) != fingerprint(c, tmp_path)
    assert normalise_message("see a.yaml:3:4 and  line 12") == "see a.yaml:N and line N"
