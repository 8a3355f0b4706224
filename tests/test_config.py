"""Config files: discovery, precedence against the command line, validation errors with
file:line:column, init and config commands."""

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from kubelint.cli import main
from kubelint.config import find_config, matches_glob
from kubelint.commands.config_cmd import STARTER

FIX = Path(__file__).parent / "fixtures" / "config"
POD = (FIX / "pod.yaml").read_text()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository with a bad Pod; the current directory."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def findings(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("k8s/")]


# --- discovery --------------------------------------------------------------------------------


def test_found_from_a_subdirectory_up_to_the_repo_root(repo, monkeypatch, capsys):
    (repo / ".kubelint.yaml").write_text("select: [latest-tag]\nseverity: {latest-tag: error}\n")
    monkeypatch.chdir(repo / "k8s")
    code, out, _ = run(capsys, "check", "--format", "plain", "pod.yaml")
    assert out.splitlines()[0] == ("pod.yaml:8:14: error [latest-tag] container 'web' uses image 'nginx:latest' "
                                   "with no tag or the 'latest' tag")
    assert code == 1


def test_nearest_wins_and_discovery_stops_at_the_repo_root(tmp_path):
    (tmp_path / ".kubelint.yaml").write_text("select: [all]\n")  # above the repository: never used
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a" / "b").mkdir(parents=True)
    assert find_config(repo / "a" / "b") is None
    (repo / ".kubelint.yml").write_text("{}\n")
    assert find_config(repo / "a" / "b") == (repo / ".kubelint.yml").resolve()
    (repo / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.kubelint]: skipped
    assert find_config(repo / "a" / "b") == (repo / ".kubelint.yml").resolve()
    (repo / "a" / "pyproject.toml").write_text("[tool.kubelint]\nselect = ['images']\n")
    assert find_config(repo / "a" / "b") == (repo / "a" / "pyproject.toml").resolve()
    (repo / "a" / ".kubelint.yaml").write_text("{}\n")  # .kubelint.yaml before pyproject.toml
    assert find_config(repo / "a" / "b") == (repo / "a" / ".kubelint.yaml").resolve()


@pytest.mark.parametrize("text", [
    '[tool.kubelint]\nselect = ["latest-tag"]\n',
    '[ "tool" . \'kubelint\' ]\nselect = ["latest-tag"]\n',
    '[tool.kubelint.params.latest-tag]\n',
    'tool.kubelint.select = ["latest-tag"]\n',
    'tool = {kubelint = {select = ["latest-tag"]}}\n',
    '[tool]\nkubelint = {select = ["latest-tag"]}\n',
    '[tool]\nkubelint.select = ["latest-tag"]\n',
])
def test_every_way_toml_spells_the_table_is_found(tmp_path, text):
    (tmp_path / ".git").mkdir()
    # Keys at the root come before any table; tables after [project].
    root = not text.startswith("[")
    (tmp_path / "pyproject.toml").write_text(text + '[project]\nname = "x"\n' if root
                                             else '[project]\nname = "x"\n' + text)
    assert find_config(tmp_path) == (tmp_path / "pyproject.toml").resolve()


def test_a_pyproject_that_only_names_kubelint_is_not_parsed(tmp_path, monkeypatch):
    """A dependency or a script called kubelint is no [tool.kubelint]: not even read as TOML,
    so its own mistakes are not kubelint's to report."""
    from kubelint import config

    parsed: list[str] = []
    monkeypatch.setattr(config, "_toml_table", lambda path, text: parsed.append(text))
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["kubelint>=0.2"]\n[project.scripts]\nkubelint = "k:main"\n'
        '[tool.poetry.group.dev.dependencies]\nkubelint = "^0.2"\n[tool.ruff\n')
    assert find_config(tmp_path) is None and parsed == []


def test_a_broken_tool_kubelint_header_is_still_reported(repo, capsys):
    message = error_of(capsys, repo, "pyproject.toml", '[project]\nname = "x"\n[tool.kubelint\nselect = []\n')
    assert message.startswith("pyproject.toml:3:") and "TOML syntax error" in message


def test_pyproject_table(repo, capsys):
    (repo / "pyproject.toml").write_text('[tool.kubelint]\nselect = ["latest-tag"]\nfail-on = "error"\n')
    code, out, _ = run(capsys, "check", "--format", "plain", ".")
    assert [line.split(": ")[1] for line in findings(out)] == ["warning [latest-tag] container 'web' uses image "
                                                                "'nginx:latest' with no tag or the 'latest' tag"]
    assert code == 0  # a warning, and fail-on is error


def test_config_option_and_isolated(repo, capsys):
    (repo / ".kubelint.yaml").write_text("select: [latest-tag]\n")
    other = repo / "other.yaml"
    other.write_text("select: [latest-tag]\nseverity: {latest-tag: info}\n")
    _, out, _ = run(capsys, "check", "--format", "plain", "--config", str(other), ".")
    assert findings(out)[0].startswith("k8s/pod.yaml:8:14: info [latest-tag]")
    _, out, _ = run(capsys, "check", "--format", "plain", "--isolated", ".")
    # The recommended set again: the untagged-image and resource rules, not the opt-in hardening ones.
    assert sorted({re.search(r"\[(.*?)\]", line).group(1) for line in findings(out)}) == [
        "latest-tag", "missing-limits", "missing-requests"]
    code, _, err = run(capsys, "check", "--config", "missing.yaml", ".")
    assert code == 2 and err == "kubelint: error: config file not found: missing.yaml\n"


# --- precedence --------------------------------------------------------------------------------


def test_command_line_overrides_the_file(repo, capsys):
    (repo / ".kubelint.yaml").write_text(
        "select: [images]\nignore: [latest-tag, image-digest]\nfail-on: info\nseverity: {latest-tag: info}\n")
    code, out, _ = run(capsys, "check", "--format", "plain", ".")
    assert findings(out) == [] and code == 0
    # --select starts over: the file's ignore no longer applies; --severity beats the file's
    code, out, _ = run(capsys, "check", "--format", "plain", "--select", "latest-tag", "--severity",
                       "latest-tag=error", ".")
    assert [line.split(" [")[0] for line in findings(out)] == ["k8s/pod.yaml:8:14: error"]
    assert code == 1
    # --fail-on beats the file's fail-on; --ignore adds to the file's ignore
    code, out, _ = run(capsys, "check", "--format", "plain", "--select", "latest-tag", "--fail-on", "error", ".")
    assert code == 0 and findings(out)[0].startswith("k8s/pod.yaml:8:14: info [latest-tag]")
    code, out, _ = run(capsys, "check", "--format", "plain", "--ignore", "images", ".")
    assert findings(out) == []


def test_severity_by_category_then_rule(repo, capsys):
    (repo / ".kubelint.yaml").write_text("select: [latest-tag]\nseverity: {latest-tag: info, images: error}\n")
    _, out, _ = run(capsys, "check", "--format", "plain", ".")
    assert findings(out)[0].startswith("k8s/pod.yaml:8:14: info [latest-tag]")  # the rule id is more specific


def test_exclude_and_per_file_ignores_are_relative_to_the_config(repo, monkeypatch, capsys):
    (repo / "k8s" / "dev").mkdir()
    (repo / "k8s" / "dev" / "pod.yaml").write_text(POD)
    (repo / "generated").mkdir()
    (repo / "generated" / "pod.yaml").write_text(POD)
    (repo / ".kubelint.yaml").write_text(
        "select: [latest-tag]\nexclude: [generated]\nper-file-ignores:\n  'k8s/dev/*': [images]\n")
    _, out, _ = run(capsys, "check", "--format", "plain", ".")
    assert [line.split(":")[0] for line in out.splitlines() if ": warning" in line] == ["k8s/pod.yaml"]
    # files named on the command line are linted even when excluded (as ruff does) ...
    monkeypatch.chdir(repo / "k8s")
    _, out, _ = run(capsys, "check", "--format", "plain", "../generated/pod.yaml", "dev/pod.yaml", "pod.yaml")
    assert [line.split(":")[0] for line in out.splitlines() if ": warning" in line] == [
        "../generated/pod.yaml", "pod.yaml"]
    # ... unless --force-exclude (the pre-commit hooks pass it)
    _, out, _ = run(capsys, "check", "--format", "plain", "--force-exclude",
                    "../generated/pod.yaml", "dev/pod.yaml", "pod.yaml")
    assert [line.split(":")[0] for line in out.splitlines() if ": warning" in line] == ["pod.yaml"]


def test_matches_glob(tmp_path):
    root = tmp_path
    assert matches_glob(str(root / "a/charts/x/t.yaml"), ["charts"], root)
    assert matches_glob(str(root / "a/b.tmpl.yaml"), ["*.tmpl.yaml"], root)
    assert matches_glob(str(root / "k8s/dev/x.yaml"), ["k8s/dev"], root)
    assert matches_glob(str(root / "k8s/dev/x.yaml"), ["./k8s/**"], root)
    assert not matches_glob(str(root / "other/k8s/dev/x.yaml"), ["k8s/dev"], root)
    assert not matches_glob("-", ["*"], root)


def test_rules_dirs_are_relative_to_the_config(repo, capsys):
    (repo / "policies").mkdir()
    (repo / "policies" / "team-label.yaml").write_text(
        "id: team-label\nseverity: error\ncategory: best-practice\nsummary: Objects name their team\n"
        "applies-to: objects\ncondition: {path: metadata.labels.team, absent: true}\n"
        "message: \"{kind} '{name}' has no team label\"\n")
    (repo / ".kubelint.yaml").write_text("rules-dirs: [policies]\nselect: [team-label]\n")
    (repo / "k8s" / "sub").mkdir()
    code, out, _ = run(capsys, "check", "--format", "plain", "k8s")
    assert findings(out) == ["k8s/pod.yaml:3:1: error [team-label] Pod 'web' has no team label"]
    assert code == 1


# --- validation errors ------------------------------------------------------------------------


def error_of(capsys, repo, name, text):
    (repo / name).write_text(text)
    code, out, err = run(capsys, "check", ".")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err.strip().removeprefix("kubelint: error: ")


@pytest.mark.parametrize("text,expected", [
    ((FIX / "misspelt.kubelint.yaml").read_text(),
     ".kubelint.yaml:4:1: unknown setting 'fail-onn' (did you mean 'fail-on'?)"),
    ("select: latest-tag\n", ".kubelint.yaml:1:9: select: expected a list, got a string"),
    ("fail-on: errors\n", ".kubelint.yaml:1:10: fail-on: 'errors' is not one of error, warning, info, never "
                          "(did you mean 'error'?)"),
    ("severity:\n  latest-tag: critical\n",
     ".kubelint.yaml:2:15: severity.latest-tag: 'critical' is not one of error, warning, info"),
    ("kubernetes-version: 1.3x\n", ".kubernetes-version"),
    ("select: [lastest-tag]\n", ".kubelint.yaml:1:10: unknown rule or category 'lastest-tag' "
                                "(did you mean 'latest-tag'?)"),
    ("per-file-ignores:\n  'a/*': [images, secruity]\n",
     ".kubelint.yaml:2:19: unknown rule or category 'secruity' (did you mean 'security'?)"),
    ("params:\n  latest-tag:\n    allowd: [x]\n",
     ".kubelint.yaml:3:5: params: rule 'latest-tag' has no param 'allowd' (known: none)"),
    ("select: [all\n", ".kubelint.yaml:2:1: YAML syntax error"),
    ("kubernetes-version: 1.30\n", '.kubelint.yaml:1:21: kubernetes-version: write the version in quotes, '
                                    'like "1.30": unquoted, YAML reads the number 1.3'),
    ("- select\n", ".kubelint.yaml:1:1: the config must be a mapping of settings"),
])
def test_config_mistakes_point_at_the_place(repo, capsys, text, expected):
    message = error_of(capsys, repo, ".kubelint.yaml", text)
    if expected == ".kubernetes-version":
        assert message == ".kubelint.yaml:1:21: kubernetes-version: '1.3x' is not a Kubernetes version like 1.30"
    else:
        assert message.startswith(expected), message


def test_pyproject_mistakes_point_at_the_place(repo, capsys):
    shutil.copy(FIX / "pyproject.toml", repo / "pyproject.toml")
    assert error_of(capsys, repo, "pyproject.toml", (FIX / "pyproject.toml").read_text()) == \
        "pyproject.toml:9:1: unknown rule or category 'latets-tag' (did you mean 'latest-tag'?)"
    assert error_of(capsys, repo, "pyproject.toml", "[tool.kubelint]\nselect = ['images']\nexclud = []\n") == \
        "pyproject.toml:3:1: unknown setting 'exclud' (did you mean 'exclude'?)"
    assert error_of(capsys, repo, "pyproject.toml", "[tool.kubelint]\nstrict = 'yes'\n") == \
        "pyproject.toml:2:10: strict: expected true or false, got a string"
    assert error_of(capsys, repo, "pyproject.toml", "[tool.kubelint]\nselect = ['images', 'imagez']\n") == \
        "pyproject.toml:2:21: unknown rule or category 'imagez' (did you mean 'images'?)"
    assert error_of(capsys, repo, "pyproject.toml", "[tool.kubelint]\nselect = [\n") \
        .startswith("pyproject.toml:3:1: TOML syntax error")


# --- init and config ---------------------------------------------------------------------------


def test_starter_config_is_valid_and_commented(repo, capsys):
    code, _, err = run(capsys, "init")
    assert code == 0 and err == "kubelint: wrote .kubelint.yaml\n"
    text = (repo / ".kubelint.yaml").read_text()
    assert text == STARTER and text.count("\n#") > 10
    code, _, err = run(capsys, "init")
    assert code == 2 and "already exists" in err
    assert run(capsys, "init", "--force")[0] == 0
    code, out, _ = run(capsys, "check", "--format", "plain", ".")
    assert code == 1 and findings(out)
    from ruamel.yaml import YAML
    schema = json.loads((Path(__file__).parents[1] / "schemas" / "config.schema.json").read_text())
    jsonschema.validate(YAML(typ="safe").load(text), schema)


def test_config_prints_the_effective_settings(repo, capsys):
    (repo / ".kubelint.yaml").write_text("select: [images]\nrules-dirs: [policies]\nnamespace: prod\n")
    (repo / "policies").mkdir()
    code, out, _ = run(capsys, "config")
    assert code == 0
    assert out.splitlines()[0] == "# effective settings from .kubelint.yaml"
    assert 'select: ["images"]' in out and 'namespace: "prod"' in out and 'rules-dirs: ["policies"]' in out
    assert 'fail-on: "warning"' in out and "allow-inline-ignores: true" in out
    code, out, _ = run(capsys, "config", "--format", "json", "--isolated")
    doc = json.loads(out)
    assert doc["source"] is None and doc["settings"]["select"] is None  # the recommended set
    assert doc["settings"]["extend-select"] == []


def test_the_config_command_validates_too(repo, capsys):
    (repo / ".kubelint.yaml").write_text("selct: [images]\n")
    code, _, err = run(capsys, "config")
    assert code == 2 and err == ("kubelint: error: .kubelint.yaml:1:1: unknown setting 'selct' "
                                 "(did you mean 'select'?)\n")


@pytest.mark.parametrize("value,message", [
    ("latets-tag=error", "kubelint: error: --severity: unknown rule or category 'latets-tag' (did you mean 'latest-tag'?)\n"),
    ("latest-tag=fatal", "kubelint: error: --severity latest-tag=fatal: write RULE=error|warning|info\n"),
])
def test_bad_severity_options_exit_2(repo, capsys, value, message):
    assert run(capsys, "check", "--severity", value, ".") == (2, "", message)


@pytest.mark.parametrize("body,expected", [
    ('severity = { latets-tag = "error" }', "pyproject.toml:3:14: unknown rule or category 'latets-tag'"),
    ('[tool.kubelint.per-file-ignores]\n"a/*" = ["images", "imagez"]',
     "pyproject.toml:4:20: unknown rule or category 'imagez'"),
    ("[tool.kubelint.params.latest-tag]\nallowd = 1",
     "pyproject.toml:4:1: params: rule 'latest-tag' has no param 'allowd'"),
    ('select = [\n  "images",\n  "secruity",\n]', "pyproject.toml:5:3: unknown rule or category 'secruity'"),
    ('fail-on = "erorr"', "pyproject.toml:3:11: fail-on: 'erorr' is not one of error, warning, info, never"),
])
def test_pyproject_positions_in_tables_and_arrays(repo, capsys, body, expected):
    message = error_of(capsys, repo, "pyproject.toml", f'[project]\n[tool.kubelint]\n{body}\n')
    assert message.startswith(expected), message


def test_kubernetes_settings_reach_the_scan(repo, capsys):
    (repo / "k8s" / "pod.yaml").write_text(POD.replace("  name: web\n", "  name: web\n  colour: blue\n", 1))
    (repo / ".kubelint.yaml").write_text("select: [latest-tag, unknown-field]\nnamespace: shop\n")
    main(["check", "--format", "json", "."])
    doc = json.loads(capsys.readouterr().out)
    assert sorted((f["rule"], f["object"]["namespace"]) for f in doc["findings"]) == [
        ("latest-tag", "shop"), ("unknown-field", "shop")]
    (repo / ".kubelint.yaml").write_text("select: [latest-tag, unknown-field]\nstrict: false\n")
    main(["check", "--format", "json", "."])
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["latest-tag"]
    main(["check", "--format", "json", "--strict", "--namespace", "web", "."])  # the command line wins
    doc = json.loads(capsys.readouterr().out)
    assert sorted((f["rule"], f["object"]["namespace"]) for f in doc["findings"]) == [
        ("latest-tag", "web"), ("unknown-field", "web")]
