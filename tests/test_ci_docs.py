"""docs/ci.md tried for real, as far as a machine without GitHub or GitLab runners allows: its
workflow and job are valid YAML with the keys the services need, and every `kubelint` command in
them runs, with its exact arguments, on a copy of examples/; the files written are checked the
way their consumers would check them."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML
from shared_data import SARIF_SCHEMA, require
from test_report_ci import GITLAB_SCHEMA

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ci.md").read_text()
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC, re.S)


def blocks() -> tuple[dict, dict, dict]:
    github, gitlab, precommit = (YAML(typ="safe").load(b) for b in BLOCKS[:3])
    return github, gitlab, precommit


def kubelint_commands(lines: list[str]) -> list[list[str]]:
    return [shlex.split(line)[1:] for line in lines if line.startswith("kubelint ")]


def run_in_copy(tmp_path: Path, args: list[str]) -> subprocess.CompletedProcess:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples", repo)
    return subprocess.run([sys.executable, "-m", "kubelint", *args], cwd=repo, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "KUBELINT_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})


def test_the_doc_has_the_three_setups():
    github, gitlab, precommit = blocks()
    job = github["jobs"]["kubelint"]
    assert github["permissions"]["security-events"] == "write"
    uses = [s.get("uses", "") for s in job["steps"]]
    assert "github/codeql-action/upload-sarif@v3" in uses
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["if"] == "always()" and upload["with"]["sarif_file"] == "kubelint.sarif"
    assert gitlab["kubelint"]["artifacts"]["reports"]["codequality"] == "gl-code-quality.json"
    assert precommit["repos"][0]["hooks"][0]["id"] == "kubelint"
    hooks = {h["id"] for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert "kubelint" in hooks


def test_github_workflow_commands_run(tmp_path):
    github, _, _ = blocks()
    runs = [s["run"] for s in github["jobs"]["kubelint"]["steps"] if "run" in s]
    [args] = kubelint_commands(runs)
    proc = run_in_copy(tmp_path, args)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("::warning file=app/Dockerfile,line=2,col=6,")
    assert any(line.startswith("::error file=k8s/deployment.yaml,line=21,") for line in lines)
    log = json.loads((tmp_path / "repo" / "kubelint.sarif").read_text())
    if require(SARIF_SCHEMA):
        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    assert len(log["runs"][0]["results"]) == 13
    html = (tmp_path / "repo" / "kubelint.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and 'class="graph-group"' in html


def test_gitlab_job_commands_run(tmp_path):
    _, gitlab, _ = blocks()
    [args] = kubelint_commands(gitlab["kubelint"]["script"])
    proc = run_in_copy(tmp_path, args)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[-1] == "13 findings (2 errors, 11 warnings) in 5 files, 4 objects"
    report = json.loads((tmp_path / "repo" / "gl-code-quality.json").read_text())
    jsonschema.validate(report, GITLAB_SCHEMA)
    assert {i["location"]["path"] for i in report} == {"app/Dockerfile", "k8s/deployment.yaml", "k8s/hello.yaml",
                                                       "k8s/secret.yaml", "k8s/service.yaml"}
    assert (tmp_path / "repo" / "kubelint.html").exists()


@pytest.mark.parametrize("fmt", ["github", "sarif", "gitlab", "html", "junit"])
def test_every_format_in_the_table_exists(fmt):
    assert f"| `{fmt}` |" in DOC
    from kubelint.cli import FORMATS

    assert fmt in FORMATS
