"""kubelint.lint (kubelint/pipeline.py): one pipeline for the CLI and the Python API — texts with a
name and type, config files, severities, params, per-file-ignores and baselines honoured from
Python, internal errors as findings with exit code 2, and flat memory over repeated runs."""

import os
import re
from pathlib import Path

import pytest

import kubelint
from kubelint.api import lint_paths, lint_text
from kubelint.cli import main
from kubelint.errors import KubelintError
from kubelint.ruleapi import registry

README = Path(__file__).resolve().parents[1] / "README.md"
POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""
LATEST = "container 'web' uses image 'nginx:latest' with no tag or the 'latest' tag"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository with a Pod using nginx:latest; the current directory."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def shown(result):
    return [(f.file, f.line, f.column, f.severity, f.rule) for f in result.findings]


def plain_findings(out: str) -> list[str]:
    return [line for line in out.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]


# --- inputs --------------------------------------------------------------------------------------


def test_texts_take_their_type_from_the_name_or_are_told(repo):
    settings = kubelint.Settings.load(select=["latest-tag", "untrusted-registry"],
                                      params={"untrusted-registry": {"allowed": ["docker.io"]}})
    result = kubelint.lint([kubelint.Text(POD, "k8s/other.yaml"),
                            kubelint.Text("FROM mirror.example.com/python:3.12\n", "Dockerfile"),
                            kubelint.Text("FROM mirror.example.com/python:3.12\n", "build/base.txt", "dockerfile")],
                           settings)
    assert shown(result) == [
        ("Dockerfile", 1, 6, "warning", "untrusted-registry"),
        ("build/base.txt", 1, 6, "warning", "untrusted-registry"),
        ("k8s/other.yaml", 8, 14, "warning", "latest-tag"),
    ]
    assert (result.files, result.documents, result.objects) == (3, 1, 1)
    assert result.exit_code == 1


def test_paths_and_texts_in_one_run(repo):
    result = kubelint.lint(["k8s", kubelint.Text(POD.replace("name: web\nspec", "name: api\nspec"), "api.yaml")],
                           kubelint.Settings.load(select=["latest-tag"]))
    assert [(f.file, f.line) for f in result.findings] == [("api.yaml", 8), ("k8s/pod.yaml", 8)]


def test_an_unknown_file_type_and_a_missing_path_are_the_callers_mistakes(repo):
    with pytest.raises(KubelintError, match="x.txt: file type 'json': write yaml or dockerfile"):
        kubelint.lint([kubelint.Text("{}", "x.txt", "json")])
    with pytest.raises(KubelintError, match="no such file or directory: nope"):
        kubelint.lint(["nope"])
    with pytest.raises(TypeError, match="unknown setting 'selct'"):
        kubelint.Settings.load(selct=["latest-tag"])


# --- the API honours the configuration like the CLI ---------------------------------------------


def test_a_discovered_config_sets_severities_and_ignores_for_the_api(repo):
    (repo / ".kubelint.yaml").write_text("select: [latest-tag]\nseverity: {latest-tag: error}\n")
    assert shown(kubelint.lint(["k8s"])) == [("k8s/pod.yaml", 8, 14, "error", "latest-tag")]
    # the compatibility wrappers read it too
    assert [(f.rule, f.severity) for f in lint_text(POD, name="x.yaml")] == [("latest-tag", "error")]
    assert [(f.rule, f.severity) for f in lint_paths(["k8s"])] == [("latest-tag", "error")]
    # isolated: no config file, every rule at its own severity
    isolated = kubelint.lint(["k8s"], kubelint.Settings.load(isolated=True))
    assert ("k8s/pod.yaml", 8, 14, "warning", "latest-tag") in shown(isolated)
    assert len(isolated.findings) > 1


def test_an_explicit_config_file_sets_params_and_per_file_ignores(repo):
    # a name discovery does not look for: only read because it is given
    (repo / "lint.yaml").write_text("select: [untrusted-registry, latest-tag]\n"
                                    "params: {untrusted-registry: {allowed: [mirror.example.com]}}\n"
                                    "per-file-ignores: {'k8s/*': [latest-tag]}\n")
    dockerfile = kubelint.Text("FROM mirror.example.com/python:3.12\nFROM quay.io/x/y:1\n", "Dockerfile")
    assert len(kubelint.lint(["k8s", dockerfile]).findings) > 2  # no config found: every rule
    result = kubelint.lint(["k8s", dockerfile], kubelint.Settings.load(config=repo / "lint.yaml"))
    # the allowed mirror is not reported, the registry left out of the list is; k8s/ is ignored
    assert shown(result) == [("Dockerfile", 2, 6, "warning", "untrusted-registry")]


def test_a_bad_config_is_an_error_with_its_position(repo):
    (repo / ".kubelint.yaml").write_text("select: [latets-tag]\n")
    with pytest.raises(KubelintError, match=r"\.kubelint\.yaml:1:10: unknown rule or category "
                                            r"'latets-tag' \(did you mean 'latest-tag'\?\)"):
        kubelint.lint(["k8s"])


def test_the_baseline_applies_to_the_api(repo, capsys):
    assert main(["check", "--isolated", "--select", "latest-tag", "--write-baseline", "base.json", "."]) == 0
    assert "wrote 1 finding to base.json" in capsys.readouterr().err
    (repo / ".kubelint.yaml").write_text("select: [latest-tag]\nbaseline: base.json\n")
    (repo / "k8s" / "api.yaml").write_text(POD.replace("name: web\nspec", "name: api\nspec"))
    result = kubelint.lint(["k8s"])
    assert shown(result) == [("k8s/api.yaml", 8, 14, "warning", "latest-tag")]
    assert result.baselined == 1 and result.notes == ["config: .kubelint.yaml"]


def test_suppressed_findings_are_kept_apart(repo):
    (repo / "k8s" / "pod.yaml").write_text(POD.replace("nginx:latest", "nginx:latest  # kubelint: ignore=latest-tag"))
    result = kubelint.lint(["k8s"], kubelint.Settings.load(select=["latest-tag"]))
    assert result.findings == [] and [f.rule for f in result.suppressed] == ["latest-tag"]
    assert result.exit_code == 0
    assert result.report().summary()["suppressed"] == 1


# --- internal errors: reported as findings, exit code 2 -----------------------------------------


@pytest.fixture
def broken_replicas_check(monkeypatch):
    spec = registry.check_for_rule("single-replica")

    def broken(ctx):
        for obj in ctx.objects(ctx.kinds("single-replica")):
            raise RuntimeError(f"boom on {obj.name}")
        yield None

    monkeypatch.setitem(registry._BY_RULE, "single-replica",
                        registry.CheckSpec(spec.name, spec.rules, spec.fills, broken))
    return spec.name


def test_a_check_that_raises_exits_2_with_the_other_findings(repo, capsys, broken_replicas_check):
    (repo / "k8s" / "deploy.yaml").write_text(DEPLOYMENT)
    code = main(["check", "--select", "latest-tag,single-replica", "--format", "plain", "."])
    out, err = capsys.readouterr()
    assert code == 2
    assert plain_findings(out) == [
        (f"k8s/deploy.yaml:1:1: error [internal-error] check '{broken_replicas_check}' (rules single-replica) "
         "failed on k8s/deploy.yaml: RuntimeError: boom on web (a bug in kubelint; rerun with --debug for "
         "the traceback)"),
        f"k8s/pod.yaml:8:14: warning [latest-tag] {LATEST}",
    ]
    assert "Traceback" not in err
    # --fail-on never does not hide kubelint's own failure
    assert main(["check", "--select", "latest-tag,single-replica", "--fail-on", "never", "."]) == 2


def test_debug_prints_the_checks_traceback(repo, capsys, broken_replicas_check):
    (repo / "k8s" / "deploy.yaml").write_text(DEPLOYMENT)
    assert main(["check", "--select", "single-replica", "--format", "plain", "--debug", "."]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "in broken" in err and err.rstrip().endswith("RuntimeError: boom on web")


def test_the_dockerfile_parser_failing_is_an_internal_error_not_dockerfile_syntax(repo, capsys, monkeypatch):
    from kubelint.parse import dockerfile

    def explode(self):
        raise IndexError("list index out of range")

    monkeypatch.setattr(dockerfile._Parser, "run", explode)
    (repo / "Dockerfile").write_text("FROM python:3.12\nRUN pip install x\n")
    code = main(["check", "--format", "plain", "--select", "latest-tag,dockerfile-syntax", "."])
    out, _ = capsys.readouterr()
    assert code == 2
    assert plain_findings(out) == [
        ("Dockerfile:1:1: error [internal-error] the Dockerfile parser failed on Dockerfile: IndexError: "
         "list index out of range (a bug in kubelint; rerun with --debug for the traceback)"),
        f"k8s/pod.yaml:8:14: warning [latest-tag] {LATEST}",
    ]
    assert main(["check", "--format", "plain", "--debug", "Dockerfile"]) == 2
    assert capsys.readouterr().err.rstrip().endswith("IndexError: list index out of range")


def test_the_yaml_parser_failing_is_an_internal_error_on_that_file(repo, capsys, monkeypatch):
    from kubelint import parsefile as runner  # where a file is parsed

    real = runner.parse_yaml

    def parse_yaml(source):
        if source.display.endswith("bad.yaml"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(source)

    monkeypatch.setattr(runner, "parse_yaml", parse_yaml)
    (repo / "k8s" / "bad.yaml").write_text(POD)
    code = main(["check", "--format", "plain", "--select", "latest-tag", "."])
    out, _ = capsys.readouterr()
    assert code == 2
    # nothing of the file the parser failed on is linted; the other file is
    assert plain_findings(out) == [
        ("k8s/bad.yaml:1:1: error [internal-error] the YAML parser failed on k8s/bad.yaml: RecursionError: "
         "maximum recursion depth exceeded (a bug in kubelint; rerun with --debug for the traceback)"),
        f"k8s/pod.yaml:8:14: warning [latest-tag] {LATEST}",
    ]
    assert out.rstrip().splitlines()[-1] == "2 findings (1 error, 1 warning) in 2 files, 1 object"


# --- repeated runs ------------------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="RSS is read from /proc")
def test_five_runs_on_the_corpus_keep_memory_flat(corpus):
    settings = kubelint.Settings.load(isolated=True)
    sizes = []
    for _ in range(5):
        result = kubelint.lint([str(corpus)], settings)
        assert len(result.findings) > 1000
        # A Result holds the sources' text for the reporters (34 MB here): dropped before the
        # next run, so that what is measured is what runs leave behind.
        del result
        sizes.append(_rss_mb())
    # The first run loads rules, schemas and modules; the four after it must not add up
    # (with gc.freeze() in every scan they grew by 20 MB each).
    growth = max(sizes[1:]) - sizes[0]
    assert growth < 20, f"RSS after each run (MB): {[round(s) for s in sizes]}"


# --- the README's example -----------------------------------------------------------------------


def test_the_readme_python_example_runs_and_prints_what_it_says(capsys, tmp_path, monkeypatch):
    text = README.read_text()
    section = text[text.index("## Python API"):]
    code, printed = re.findall(r"```python\n(.*?)```\n\nprints\n\n```\n(.*?)```", section, re.DOTALL)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README's example
    assert capsys.readouterr().out == printed
