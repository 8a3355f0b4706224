"""Typed rule params: declarations in rule files, users' values checked at config load with
file:line:column, overrides reaching the rules, and the docs that show them."""

from __future__ import annotations

import json

import pytest

from kubelint.cli import main
from kubelint.docs import rules_markdown
from kubelint.engine.loader import RuleFileError, load_rule_file, load_rules
from kubelint.ruleapi.params import ParamSpecError, parse_spec
from kubelint.selection import SelectionError, select_rules

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""
HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5
"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "web.yaml").write_text(DEPLOYMENT)
    (tmp_path / "k8s" / "hpa.yaml").write_text(HPA)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def config_error(capsys, repo, name, text):
    (repo / name).write_text(text)
    code, out, err = run(capsys, "check", "--format", "plain", "k8s")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "internal error" not in err
    return err.strip().removeprefix("kubelint: error: ")


# --- users' values ----------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    # used to fall back to 2 without a word
    ('params:\n  single-replica:\n    min-replicas: "three"\n',
     ".kubelint.yaml:3:19: params.single-replica.min-replicas: expected an integer, got the string 'three'"),
    ("params:\n  single-replica: {min-replicas: 0}\n",
     ".kubelint.yaml:2:34: params.single-replica.min-replicas: 0 is below the minimum 1"),
    ("params:\n  single-replica:\n    min-replicas: true\n",
     ".kubelint.yaml:3:19: params.single-replica.min-replicas: expected an integer, got true"),
    ("params:\n  ssh-port:\n    port: 70000\n",
     ".kubelint.yaml:3:11: params.ssh-port.port: 70000 is above the maximum 65535"),
    # used to end in "internal error: ConditionError"
    ("params:\n  missing-limits:\n    resources: cpu\n",
     ".kubelint.yaml:3:16: params.missing-limits.resources: expected a list of strings, got the string 'cpu'"),
    ("params:\n  missing-limits:\n    resources: [cpu, 3]\n",
     ".kubelint.yaml:3:22: params.missing-limits.resources[1]: expected a string, got the number 3"),
    ("params:\n  host-path-volume:\n    system-paths: '^/(dev'\n",
     ".kubelint.yaml:3:19: params.host-path-volume.system-paths: '^/(dev' is not a valid regular expression: "
     "missing ), unterminated subpattern at position 2"),
    ("params:\n  seccomp-profile:\n    allowed:\n      - RuntimeDefault\n      - Unconfind\n",
     ".kubelint.yaml:5:9: params.seccomp-profile.allowed[1]: 'Unconfind' is not one of RuntimeDefault, "
     "Localhost, Unconfined (did you mean 'Unconfined'?)"),
    ("params:\n  label-invalid:\n    schema: {org.example.home: urls}\n",
     ".kubelint.yaml:3:32: params.label-invalid.schema['org.example.home']: 'urls' is not one of url, rfc3339, "
     "semver, hash, spdx, email, text (did you mean 'url'?)"),
    ("params:\n  base-image-eol:\n    as-of: '2024-13-01'\n",
     ".kubelint.yaml:3:12: params.base-image-eol.as-of: '2024-13-01' is not a date like 2025-01-31 (or empty)"),
    ("params:\n  secret-file-mode:\n    forbidden-bits: '0x44'\n",
     ".kubelint.yaml:3:21: params.secret-file-mode.forbidden-bits: '0x44' does not match ^[0-7]{1,4}$"),
    ("params:\n  single-replica:\n    min-replica: 3\n",
     ".kubelint.yaml:3:5: params: rule 'single-replica' has no param 'min-replica' (known: min-replicas) "
     "(did you mean 'min-replicas'?)"),
    # a peer's id names the rule too; the message keeps the name the user wrote
    ("params:\n  polaris:deploymentMissingReplicas: {min-replicas: -1}\n",
     ".kubelint.yaml:2:53: params.polaris:deploymentMissingReplicas.min-replicas: -1 is below the minimum 1"),
])
def test_bad_values_are_config_errors_at_the_value(repo, capsys, text, expected):
    assert config_error(capsys, repo, ".kubelint.yaml", text) == expected


@pytest.mark.parametrize("body,expected", [
    ('[tool.kubelint.params.single-replica]\nmin-replicas = "three"',
     "pyproject.toml:5:16: params.single-replica.min-replicas: expected an integer, got the string 'three'"),
    ("params = { single-replica = { min-replicas = 0 } }",
     "pyproject.toml:4:31: params.single-replica.min-replicas: 0 is below the minimum 1"),
    ('[tool.kubelint.params.seccomp-profile]\nallowed = ["RuntimeDefault", "Unconfind"]',
     "pyproject.toml:5:30: params.seccomp-profile.allowed[1]: 'Unconfind' is not one of RuntimeDefault, "
     "Localhost, Unconfined (did you mean 'Unconfined'?)"),
])
def test_bad_values_in_pyproject(repo, capsys, body, expected):
    text = f'[project]\nname = "x"\n[tool.kubelint]\n{body}\n'
    assert config_error(capsys, repo, "pyproject.toml", text) == expected


def test_the_config_command_checks_values_too(repo, capsys):
    (repo / ".kubelint.yaml").write_text('params:\n  single-replica:\n    min-replicas: "three"\n')
    code, _, err = run(capsys, "config")
    assert code == 2
    assert err.strip() == ("kubelint: error: .kubelint.yaml:3:19: params.single-replica.min-replicas: "
                           "expected an integer, got the string 'three'")


def plain(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("k8s/")]


def test_a_good_override_reaches_a_python_check_and_a_condition(repo, capsys):
    select = "select: [single-replica, hpa-min-replicas]\n"
    (repo / ".kubelint.yaml").write_text(select)
    code, out, _ = run(capsys, "check", "--format", "plain", "k8s")
    assert (code, plain(out)) == (0, [])

    (repo / ".kubelint.yaml").write_text(
        select + "params:\n  single-replica: {min-replicas: 3}\n  hpa-min-replicas: {min-replicas: 3}\n")
    code, out, _ = run(capsys, "check", "--format", "plain", "k8s")
    assert code == 1
    assert plain(out) == [
        "k8s/hpa.yaml:6:16: warning [hpa-min-replicas] HorizontalPodAutoscaler 'api' lets its target "
        "scale down below 3 replicas",
        "k8s/web.yaml:5:13: info [single-replica] Deployment 'web' runs 2 replica(s), fewer than 3",
    ]


def test_rules_explain_json_has_values_and_declarations(repo, capsys):
    (repo / ".kubelint.yaml").write_text("params:\n  single-replica: {min-replicas: 3}\n")
    code, out, _ = run(capsys, "rules", "explain", "single-replica", "--format", "json")
    data = json.loads(out)
    assert code == 0
    # `rules` shows the built-in declaration, not this project's value
    assert data["params"] == {"min-replicas": 2}
    assert data["param_specs"] == {"min-replicas": {
        "type": "integer", "default": 2, "description": "fewest replicas a workload should run", "minimum": 1}}


def test_library_callers_get_the_same_checks():
    rules = load_rules()
    with pytest.raises(SelectionError) as err:
        select_rules(rules, ["missing-limits"], params={"missing-limits": {"resources": "cpu"}})
    assert str(err.value) == ("params for 'missing-limits': resources: expected a list of strings, "
                              "got the string 'cpu'")
    chosen = select_rules(rules, ["missing-limits"], params={"missing-limits": {"resources": ["cpu"]}})
    assert chosen["missing-limits"].params == {"resources": ["cpu"]}
    assert rules["missing-limits"].params == {"resources": ["memory"]}  # the loaded rule is untouched


# --- declarations in rule files -----------------------------------------------------------------

RULE = """\
id: my-rule
severity: warning
category: reliability
summary: Deployment runs few replicas
applies-to: objects
kinds: [Deployment]
condition: {path: spec.replicas, lt: {param: min-replicas}}
message: "{name} runs fewer than {param.min-replicas} replicas"
params:
"""


@pytest.mark.parametrize("params,line,column,text", [
    ('  min-replicas: {type: integer, default: two, description: "fewest replicas"}\n', 10, 42,
     "param 'min-replicas': default: expected an integer, got the string 'two'"),
    ('  min-replicas: {type: integer, default: 0, minimum: 1, description: "fewest replicas"}\n', 10, 42,
     "param 'min-replicas': default: 0 is below the minimum 1"),
    ("  min-replicas:\n    type: string-list\n    default: [a, 2]\n    description: kinds\n", 12, 18,
     "param 'min-replicas': default[1]: expected a string, got the number 2"),
    ("  min-replicas: 2\n", 10, 3,
     "param 'min-replicas': declare it as a mapping with type, default and description"),
    ('  min-replicas: {type: int, default: 2, description: "fewest replicas"}\n', 10, 24,
     "param 'min-replicas': type must be one of integer, number, boolean, string, string-list, string-map"),
    ('  min-replicas: {type: integer, default: 2, minimun: 1, description: "fewest replicas"}\n', 10, 45,
     "param 'min-replicas': unknown key 'minimun' (did you mean 'minimum'?)"),
    ("  min-replicas: {type: integer, default: 2}\n", 10, 3, "param 'min-replicas': 'description' is missing"),
    ('  min-replicas: {type: integer, default: 2, pattern: "^1", description: "fewest replicas"}\n', 10, 45,
     "param 'min-replicas': 'pattern' does not apply to type integer"),
    # the condition hands the param to `lt`, which cannot take a list
    ('  min-replicas: {type: string-list, default: ["2"], description: "fewest replicas"}\n', 7, 34,
     "'lt' cannot take param 'min-replicas' of type string-list (it takes integer or number or string)"),
    # the condition and the message name a param nobody declared
    ('  min-replica: {type: integer, default: 2, description: "fewest replicas"}\n', 7, 34,
     "unknown param 'min-replicas' (declare it under 'params')"),
])
def test_loader_rejects_bad_declarations(tmp_path, params, line, column, text):
    path = tmp_path / "my-rule.yaml"
    path.write_text(RULE + params)
    for builtin, validate in ((False, True), (True, False)):  # user rules, and built-in ones
        with pytest.raises(RuleFileError) as err:
            load_rule_file(path, builtin=builtin, validate=validate)
        assert str(err.value).startswith(f"{path}:{line}:{column}: {text}"), str(err.value)


def test_loader_rejects_an_undeclared_message_placeholder(tmp_path):
    path = tmp_path / "my-rule.yaml"
    path.write_text(RULE.replace("{param.min-replicas}", "{param.minimum}")
                    + '  min-replicas: {type: integer, default: 2, description: "fewest replicas"}\n')
    with pytest.raises(RuleFileError) as err:
        load_rule_file(path, builtin=False, validate=True)
    assert str(err.value).startswith(f"{path}:8:1: message placeholder '{{param.minimum}}' is not filled")


def test_regex_params_must_say_so(tmp_path):
    path = tmp_path / "my-rule.yaml"
    path.write_text(RULE.replace("lt: {param: min-replicas}", "not-regex: {param: allowed}")
                    .replace(" {param.min-replicas}", "")
                    + '  allowed: {type: string, default: "^[0-9]+$", description: "replica counts"}\n')
    with pytest.raises(RuleFileError) as err:
        load_rule_file(path, builtin=False, validate=True)
    assert str(err.value) == (f"{path}:10:3: param 'allowed' is used as a regex: declare it with format: regex")
    path.write_text(path.read_text().replace("type: string,", "type: string, format: regex,"))
    assert load_rule_file(path, builtin=False, validate=True).param_specs["allowed"].format == "regex"


def test_a_good_declaration():
    spec = parse_spec("paths", {"type": "string-list", "default": ["/a"], "pattern": "^/",
                                "description": "host paths"})
    assert spec.problem(["/b", "/c"]) is None
    assert spec.problem(["/b", "c"]) == ((1,), "'c' does not match ^/")
    assert spec.summary() == "string-list, matching ^/"
    with pytest.raises(ParamSpecError) as err:
        parse_spec("n", {"type": "number", "default": 1.5, "enum": [1, "2"], "description": "n"})
    assert (str(err.value), err.value.where) == ("param 'n': enum value '2' is not a number", ("n", "enum", 1))


def test_every_builtin_param_is_declared_with_a_description():
    rules = load_rules()
    specs = [(r.id, s) for r in rules.values() for s in r.param_specs.values()]
    assert len(specs) == 44  # 32 + shellcheck exclude/include/min-level, drop-net-raw report-unset,
    # job-ttl/cronjob-deadline fix-seconds (the value their fix writes), ingress-nginx-snippet annotations,
    # capabilities-not-dropped capabilities, long-lived-projected-token max-seconds, missing-startup-probe
    # skip-kinds, deletecollection-access resources,
    # pdb-hpa-min-replicas equal
    for rule_id, spec in specs:
        assert spec.description and "\n" not in spec.description, (rule_id, spec.name)
        assert rules[rule_id].params[spec.name] == spec.default


# --- docs ---------------------------------------------------------------------------------------


def test_docs_show_type_default_and_description():
    doc = rules_markdown()
    assert ("- `min-replicas` (integer, at least 1; default `2`): fewest replicas a workload should run"
            in doc.split("### single-replica", 1)[1].split("### ", 1)[0])
    assert ("- `allowed` (string-list, items of `RuntimeDefault`, `Localhost`, `Unconfined`; default "
            '`["RuntimeDefault", "Localhost"]`): seccomp profile types a pod may use') in doc
    assert ("- `system-paths` (string, a regular expression; default "
            "`^/(dev|proc|sys|run|var/run|boot|usr|lib|lib64|bin|sbin|etc)?(/|$)`): "
            "host paths that are the node's system directories") in doc


def test_rules_explain_shows_params(capsys):
    code, out, _ = run(capsys, "rules", "explain", "ssh-port")
    assert code == 0
    lines = out.splitlines()
    i = lines.index("Params (override in .kubelint.yaml under params:)")
    assert lines[i + 1:i + 3] == ["  port (integer, at least 1, at most 65535; default 22)", "    the SSH port"]
