"""With --jobs above 1 the schema check runs in a forked child beside the other rules
(kubelint.engine.aside): the findings are those of one process, in the same order, and a child
that fails in any way leaves the check to the parent."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

import kubelint
from kubelint.engine import aside, engine
from kubelint.pipeline import Settings

# Schema findings (a misspelt field, a bad quantity) among the others, in several files.
BAD = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web{i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web{i}
  template:
    metadata:
      labels:
        app: web{i}
    spec:
      containers:
        - name: web
          image: nginx:1.25
          imagePullPolicy: Always
          resources:
            limits:
              memory: 12 gigs
          portz:
            - containerPort: 80
"""

pytestmark = pytest.mark.skipif(not aside.can_fork(), reason="the engine forks only where fork is safe")


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    for i in range(6):
        (repo / f"web{i}.yaml").write_text(BAD.format(i=i))
    return repo


def _findings(repo: Path, jobs: int) -> list[dict]:
    result = kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=jobs))
    return [dataclasses.asdict(f) for f in result.findings]


def _processes_running(monkeypatch, tmp_path: Path, check: str):
    """From now on, which process ran `check` each time ("parent" or "child"), read by the
    function returned (logged to a file: a forked child cannot append to a list here)."""
    log = tmp_path / f"{check}-ran-in"
    parent = os.getpid()
    real = engine.Engine._run_check

    def spy(self, spec, ctx):
        if spec.name == check:
            with open(log, "a") as fh:
                fh.write("parent\n" if os.getpid() == parent else "child\n")
        return real(self, spec, ctx)
    monkeypatch.setattr(engine.Engine, "_run_check", spy)
    return lambda: log.read_text().split() if log.exists() else []


@pytest.fixture
def small_scans_fork(monkeypatch):
    monkeypatch.setattr(engine, "ASIDE_MIN_OBJECTS", 1)


def test_the_child_gives_the_findings_of_one_process(tmp_path, small_scans_fork, monkeypatch):
    repo = _repo(tmp_path)
    one = _findings(repo, 1)
    ran_in = _processes_running(monkeypatch, tmp_path, "schema")
    two = _findings(repo, 2)
    assert two == one
    assert ran_in() == ["child"]  # in the child, once
    rules = [f["rule"] for f in one]
    assert rules.count("unknown-field") == 6 and rules.count("invalid-quantity") == 6


@pytest.mark.parametrize("failure", ["dies", "raises"])
def test_a_child_that_fails_leaves_the_check_to_the_parent(tmp_path, small_scans_fork, monkeypatch, failure):
    repo = _repo(tmp_path)
    one = _findings(repo, 1)
    parent = os.getpid()
    real = engine.Engine._run_check

    def failing(self, spec, ctx):
        if spec.name == "schema" and os.getpid() != parent:
            if failure == "dies":
                os._exit(9)
            raise KeyboardInterrupt  # even this: the child's exit code tells the parent
        return real(self, spec, ctx)
    monkeypatch.setattr(engine.Engine, "_run_check", failing)
    assert _findings(repo, 2) == one


def asides_started(monkeypatch) -> list[int]:
    """A 1 for each child the engine starts from now on (test_scanmemo uses it too)."""
    started: list[int] = []
    real = aside.Aside.__init__

    def spy(self, run):
        started.append(1)
        real(self, run)
    monkeypatch.setattr(aside.Aside, "__init__", spy)
    return started


def test_small_scans_and_one_job_do_not_fork(tmp_path, monkeypatch):
    repo = _repo(tmp_path)
    started = asides_started(monkeypatch)
    _findings(repo, 2)  # 6 objects: below ASIDE_MIN_OBJECTS
    monkeypatch.setattr(engine, "ASIDE_MIN_OBJECTS", 1)
    _findings(repo, 1)
    assert started == []
    _findings(repo, 2)
    assert started == [1]


def test_dockerfile_checks_in_the_child_give_the_findings_of_one_process(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "ASIDE_MIN_DOCKERFILES", 1)
    repo = tmp_path / "images"
    for i in range(3):
        (repo / f"app{i}").mkdir(parents=True)
        (repo / f"app{i}" / "Dockerfile").write_text(
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /tmp/x\n"
            f"COPY id_rsa /root/.ssh/id_rsa\nRUN make && rm /root/.ssh/id_rsa\nCOPY . /app{i}\n")
    one = _findings(repo, 1)
    ran_in = _processes_running(monkeypatch, tmp_path, "dockerfile-layers")
    assert _findings(repo, 2) == one
    assert ran_in() == ["child"]
    assert {"secret-in-layer", "layer-delete"} & {f["rule"] for f in one}  # dockerfile-layers' rules
