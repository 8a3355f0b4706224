"""The pre-commit hooks, for real: `pre-commit try-repo <project> kubelint --all-files` installs
kubelint from this checkout into pre-commit's own environment (pip, with the dependencies from
PyPI) and runs it in a throwaway git repository holding a bad manifest and a bad Dockerfile.
Slow (the install takes a while) but part of the default run.

try-repo is pointed at a snapshot of the project's working tree (tracked and untracked files,
as the rest of the suite sees them) committed into a temporary repository: try-repo on the
checkout itself would leave untracked files out, so a new module not yet added to git (by us or
by anyone sharing the tree) would break the installed hook while every other test passes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / ".pre-commit-hooks.yaml"
# Network trouble while pre-commit pip-installs the hook: not a kubelint bug, so skip.
_OFFLINE = re.compile(r"Could not find a version that satisfies|No matching distribution|"
                      r"Failed to establish a new connection|Temporary failure in name resolution|"
                      r"ConnectTimeout|ReadTimeoutError|Network is unreachable")

BAD_MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: three
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:latest
"""
BAD_DOCKERFILE = "FROM ubuntu:latest\nRUN echo hello\n"
# The repository's own config is found by the hook: only errors fail the commit, and two
# rules are raised to errors.
CONFIG = """\
fail-on: error
severity:
  latest-tag: error
  base-image-untagged: error
"""
# Not Kubernetes, not a Dockerfile: passed to the hook by its name, skipped by kubelint.
WORKFLOW = "name: ci\non: [push]\njobs: {}\n"


def _env(home: Path) -> dict:
    env = dict(os.environ)
    for key in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "NO_COLOR", "FORCE_COLOR"):
        env.pop(key, None)
    env.update({
        "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never",
        "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.com",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    })
    return env


def _git(repo: Path, env: dict, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=60)


def _snapshot(dest: Path, env: dict) -> Path:
    """The project's files as they are on disk, committed into a new repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    _git(dest, env, "init", "-q")
    _git(dest, env, "add", "-A")
    _git(dest, env, "commit", "-q", "-m", "snapshot")
    return dest


def _try_repo(project: Path, repo: Path, env: dict) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(project), "kubelint", "--all-files",
         "--verbose"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    output = proc.stdout + proc.stderr
    if "An error has occurred" in output or proc.returncode not in (0, 1):
        if _OFFLINE.search(output):
            pytest.skip("pre-commit could not install kubelint: no network to PyPI")
        raise AssertionError(f"pre-commit could not run the hook:\n{output}")
    return proc


def test_hooks_manifest_is_valid():
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hook_patterns_match_what_kubelint_lints():
    from kubelint.discover import classify

    text = HOOKS.read_text()
    patterns = dict(re.findall(r"- id: (\S+)\n(?:  .*\n)*?  files: '([^']+)'", text))
    assert set(patterns) == {"kubelint", "kubelint-kubernetes", "kubelint-dockerfile"}
    names = ["deploy.yaml", "k8s/app.yml", "Dockerfile", "docker/Dockerfile.dev", "Containerfile",
             "build/app.dockerfile", "README.md", "setup.py", "Dockerfile.yaml"]
    for name in names:
        kind = classify(name)
        assert bool(re.search(patterns["kubelint"], name)) == (kind is not None), name
        assert bool(re.search(patterns["kubelint-kubernetes"], name)) == (kind == "yaml"), name
        assert bool(re.search(patterns["kubelint-dockerfile"], name)) == (kind == "dockerfile"), name


@pytest.mark.slow
def test_try_repo_fails_on_bad_files_and_passes_once_fixed(tmp_path):
    repo = tmp_path / "repo"
    (repo / "k8s").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    env = _env(tmp_path / "pre-commit-home")
    project = _snapshot(tmp_path / "project", env)
    (repo / "k8s" / "deploy.yaml").write_text(BAD_MANIFEST)
    (repo / "Dockerfile").write_text(BAD_DOCKERFILE)
    (repo / ".kubelint.yaml").write_text(CONFIG)
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    (repo / "README.md").write_text("# not linted\n")
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", ".")
    _git(repo, env, "commit", "-q", "-m", "bad")

    proc = _try_repo(project, repo, env)
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert re.search(r"^kubelint\.+Failed$", out, re.M), out
    assert "k8s/deploy.yaml:6:13: error [schema-invalid]" in out
    assert "k8s/deploy.yaml:15:18: error [latest-tag]" in out
    assert "Dockerfile:1:6: error [base-image-untagged]" in out
    assert "README.md" not in out  # not passed to the hook

    (repo / "k8s" / "deploy.yaml").write_text(
        BAD_MANIFEST.replace("replicas: three", "replicas: 3").replace("nginx:latest", "nginx:1.27.3"))
    (repo / "Dockerfile").write_text(BAD_DOCKERFILE.replace("ubuntu:latest", "ubuntu:24.04"))
    _git(repo, env, "commit", "-q", "-am", "fixed")

    proc = _try_repo(project, repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^kubelint\.+Passed$", proc.stdout, re.M), proc.stdout
    assert " error [" not in proc.stdout
