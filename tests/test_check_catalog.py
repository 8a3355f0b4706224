"""kubelint.checks.catalog, the map from `check:` names to the modules that register them: it is
what the registry says once every family is imported (regenerate it with
`python -m kubelint.checks.catalog > kubelint/checks/catalog.py`), and a run imports only the
families of the checks it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import kubelint.checks
from kubelint.checks import catalog
from kubelint.ruleapi.registry import registered_adjusters, registered_checks

ROOT = Path(__file__).resolve().parents[1]


def test_the_catalog_is_current():
    assert catalog.render() == Path(catalog.__file__).read_text(encoding="utf-8")


def test_every_registered_check_and_adjuster_is_in_the_catalog():
    kubelint.checks.load_all()
    assert {name: spec.run.__module__ for name, spec in registered_checks().items()} == catalog.CHECKS
    assert {a.name: a.adjust.__module__ for a in registered_adjusters()} \
        == {name: module for name, (module, _) in catalog.ADJUSTERS.items()}


def _imported(tmp_path: Path, files: dict[str, str], *args: str) -> set[str]:
    """The kubelint.checks and kubelint.validate modules a `kubelint check` process imported
    (the rules' own cache filled)."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    code = ("import sys\nfrom kubelint.cli import main\n"
            f"code = main(['check', '.', '--isolated', '--no-cache', '-q', *{list(args)!r}])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('kubelint.checks.', 'kubelint.validate'))))\n"
            "sys.exit(code)\n")
    env = {"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
           "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    # The first run builds the rules from their files, which imports the code of every check
    # to verify them (then they are cached); the second is what every later run does.
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
        assert proc.returncode in (0, 1), proc.stderr
    return set(eval(proc.stdout.strip().splitlines()[-1]))  # noqa: S307 - our own printed list


POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
"""


def test_a_manifest_run_imports_no_dockerfile_family(tmp_path):
    modules = _imported(tmp_path, {"pod.yaml": POD})
    assert "kubelint.checks.kubernetes" in modules and "kubelint.checks.schema" in modules
    assert not any(m.startswith("kubelint.checks.dockerfile") for m in modules)


def test_a_dockerfile_run_imports_no_manifest_family(tmp_path):
    modules = _imported(tmp_path, {"Dockerfile": "FROM alpine:latest\nRUN apk add curl\n"})
    assert "kubelint.checks.dockerfile" in modules
    assert not any(m.startswith(("kubelint.checks.kubernetes", "kubelint.checks.crossobject",
                                 "kubelint.checks.podsecurity", "kubelint.validate")) for m in modules)


def test_a_run_without_schema_rules_imports_no_validate(tmp_path):
    modules = _imported(tmp_path, {"pod.yaml": POD}, "--select", "latest-tag")
    assert not any(m.startswith(("kubelint.validate", "kubelint.checks.schema")) for m in modules)


def test_a_run_answered_from_the_memo_parses_nothing(tmp_path):
    # Nothing changed since the last run: the result comes from kubelint.scanmemo, so neither
    # YAML library's parser is imported (PyYAML alone costs ~45 ms), nor any rule family.
    (tmp_path / "pod.yaml").write_text(POD)
    code = ("import sys\nfrom kubelint.cli import main\n"
            "code = main(['check', '.', '--isolated', '-q'])\n"
            "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith(('yaml.', 'kubelint.checks.'))))\n"
            "sys.exit(code)\n")
    env = {"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
           "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    printed = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
        assert proc.returncode == 1, proc.stderr  # latest-tag and more
        printed.append(set(eval(proc.stdout.strip().splitlines()[-1])))  # noqa: S307 - our own list
    assert "kubelint.checks.kubernetes" in printed[0]  # the first run linted
    assert printed[1] == set(), printed[1]
