"""`kubelint config import FILE`: hadolint, kube-linter and Polaris configs as the equivalent
.kubelint.yaml, with a comment for each setting that has no equivalent; the result loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kubelint.cli import main
from kubelint.config import Settings, check_rule_ids, load_config
from kubelint.engine.loader import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "config-import"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    for f in FIXTURES.iterdir():
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def imported(capsys, name: str) -> str:
    assert main(["config", "import", name]) == 0
    return capsys.readouterr().out


def loads(repo: Path, text: str) -> Settings:
    (repo / ".kubelint.yaml").write_text(text)
    config = load_config(repo / ".kubelint.yaml")
    check_rule_ids(config, load_rules())  # every id, category and param it names exists
    return Settings.from_config(config)


def test_hadolint(repo, capsys):
    text = imported(capsys, ".hadolint.yaml")
    settings = loads(repo, text)
    assert settings.ignore == ["DL3008", "DL3059"]
    assert settings.extend_select == ["untrusted-registry"]
    assert settings.params == {"untrusted-registry": {"allowed": ["docker.io", "my-company.com:5000"]},
                               "label-invalid": {"schema": {"author": "text", "version": "semver"}}}
    assert settings.fail_on == "warning"
    assert settings.severity == {"DL3001": "error", "DL3015": "info"}
    assert text.splitlines()[-4:] == [
        "# no equivalent: ignored SC2086: kubelint has no rule for it (nothing to ignore)",
        "# no equivalent: override style DL3015: kubelint has no style level; set to info",
        "# no equivalent: strict-labels: kubelint does not report labels outside the schema",
        "# no equivalent: format: an output option; use kubelint's --format / --no-color on the command line"]


def test_kube_linter(repo, capsys):
    text = imported(capsys, ".kube-linter.yaml")
    settings = loads(repo, text)
    assert (settings.profile, settings.extend_select, settings.ignore, settings.exclude) == (
        "kube-linter", ["kube-linter:minimum-three-replicas"], ["kube-linter:no-read-only-root-fs"],
        ["charts/**/templates"])
    assert "# no equivalent: check no-such-check: kubelint has no rule for it" in text
    assert "# no equivalent: ignorePaths /abs/path: kubelint excludes paths relative to the config file" in text
    assert "# no equivalent: customChecks required-label-team:" in text


@pytest.mark.parametrize("checks, expected", [
    ({"addAllBuiltIn": True}, "kube-linter:privileged-container"),
    ({"doNotAutoAddDefaults": True, "include": ["host-pid"]}, "kube-linter:host-pid"),
])
def test_kube_linter_selection_modes(repo, capsys, checks, expected):
    import yaml

    (repo / ".kube-linter.yaml").write_text(yaml.safe_dump({"checks": checks}))
    settings = loads(repo, imported(capsys, ".kube-linter.yaml"))
    assert settings.profile is None and expected in settings.select
    if checks.get("doNotAutoAddDefaults"):
        assert settings.select == ["kube-linter:host-pid"]


def test_polaris(repo, capsys):
    text = imported(capsys, "polaris.yaml")
    settings = loads(repo, text)
    assert settings.profile == "polaris"
    # missingNetworkPolicy maps to missing-network-policy (an alias since issue 12)
    assert settings.severity == {"polaris:hostIPCSet": "error", "polaris:cpuLimitsMissing": "warning",
                                 "polaris:missingNetworkPolicy": "warning"}
    assert settings.ignore == ["polaris:pullPolicyNotAlways"]
    assert ("# no equivalent: exemption for kube-proxy in namespace kube-system (hostNetworkSet): kubelint "
            "exempts objects with the kubelint.io/ignore annotation, or files with per-file-ignores") in text
    assert "missingNetworkPolicy: kubelint has no rule" not in text


def test_the_imported_config_drives_a_run(repo, capsys):
    assert main(["config", "import", ".hadolint.yaml", "--write"]) == 0
    assert "wrote .kubelint.yaml" in capsys.readouterr().err
    (repo / "Dockerfile").write_text("FROM quay.io/acme/base:1.0\nUSER 1000\n")
    assert main(["check", "--format", "plain", "--no-progress", "Dockerfile"]) == 1
    out = capsys.readouterr().out
    assert "Dockerfile:1:6: warning [untrusted-registry]" in out
    # --write never overwrites without --force.
    assert main(["config", "import", "polaris.yaml", "--write"]) == 2
    assert ".kubelint.yaml already exists (use --force to overwrite it)" in capsys.readouterr().err
    assert main(["config", "import", "polaris.yaml", "--write", "--force"]) == 0
    assert "profile: \"polaris\"" in (repo / ".kubelint.yaml").read_text()


def test_bad_input_is_an_error_not_a_crash(repo, capsys):
    (repo / "other.yaml").write_text("foo: 1\n")
    assert main(["config", "import", "other.yaml"]) == 2
    assert "not a hadolint, kube-linter or Polaris configuration" in capsys.readouterr().err
    (repo / "broken.yaml").write_text("checks: [\n")
    assert main(["config", "import", "broken.yaml"]) == 2
    assert "not valid YAML" in capsys.readouterr().err
    assert main(["config", "import", "missing.yaml"]) == 2
    assert main(["config", "import"]) == 2
    assert "name the file to import" in capsys.readouterr().err


def test_import_needs_no_pyyaml(tmp_path):
    """PyYAML is not a dependency of kubelint: the importer must work without it."""
    import subprocess
    import sys

    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3008]\ntrustedRegistries: [docker.io, my-company.com:5000]\n")
    code = ("import sys; sys.modules['yaml'] = None\n"
            "from kubelint.cli import main\n"
            "sys.exit(main(['config', 'import', '.hadolint.yaml']))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "my-company.com:5000" in proc.stdout
