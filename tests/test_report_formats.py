"""SARIF, JUnit, GitHub workflow commands, statistics, and repeatable --format/--output, each
checked against its consumer (the SARIF schema, junitparser, GitHub's escaping rules)."""

import json
import re
from pathlib import Path

import pytest
from shared_data import require

from kubelint.baseline import fingerprint
from kubelint.cli import main
from kubelint.commands.outputs import Destination, pair_outputs
from kubelint.errors import KubelintError
from kubelint.report.github import escape_data, escape_property
from kubelint.selection import ALWAYS_ON

SARIF_SCHEMA = Path(__file__).resolve().parents[1].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"

MANIFESTS = """\
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
          image: nginx:latest   # kubelint: ignore=latest-tag -- demo
        - name: cache
          image: redis
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
  a: "2"
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
DOCKERFILE = "FROM ubuntu AS build\nRUN echo hi\nFROM build\nUSER 10001\n"
SELECT = "latest-tag,duplicate-key,base-image-untagged,unused-suppression"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "app.yaml").write_text(MANIFESTS)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args):
    code = main(["check", "--select", SELECT, *args])
    out, err = capsys.readouterr()
    return code, out, err


def plain_positions(capsys):
    _, out, _ = run(capsys, "--format", "plain", ".")
    return [tuple(int(x) for x in m) + (r,) for m, r in
            ((re.match(r"[^:]+:(\d+):(\d+):", line).groups(), re.search(r"\[(.*?)\]", line).group(1))
             for line in out.splitlines()[:-1])]


# --- SARIF -----------------------------------------------------------------------------------


def test_sarif_validates_and_carries_rules_regions_and_fingerprints(repo, capsys):
    code, out, _ = run(capsys, "--format", "sarif", "--show-suppressed", ".")
    assert code == 1
    log = json.loads(out)
    if require(SARIF_SCHEMA):
        import jsonschema

        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    # The selected rules and those that report a file kubelint could not lint, on whatever the selection.
    assert [r["id"] for r in driver["rules"]] == sorted(SELECT.split(",") + list(ALWAYS_ON))
    latest = next(r for r in driver["rules"] if r["id"] == "latest-tag")
    assert latest["shortDescription"]["text"].startswith("Container image has no tag")
    assert latest["fullDescription"]["text"] and latest["helpUri"].endswith("#latest-tag")
    assert latest["defaultConfiguration"] == {"level": "warning"}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"

    results = run_["results"]
    by_rule = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r for r in results}
    image = by_rule[("latest-tag", 16)]
    loc = image["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"] == {"uri": "k8s/app.yaml", "uriBaseId": "%SRCROOT%"}
    assert loc["physicalLocation"]["region"] == {"startLine": 16, "startColumn": 18, "endLine": 16, "endColumn": 23}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "Deployment/default/web"
    assert image["ruleIndex"] == [r["id"] for r in driver["rules"]].index("latest-tag")
    assert image["level"] == "warning" and "suppressions" not in image
    assert by_rule[("duplicate-key", 24)]["level"] == "error"
    assert by_rule[("base-image-untagged", 1)]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile"

    suppressed = by_rule[("latest-tag", 14)]
    assert suppressed["suppressions"] == [
        {"kind": "inSource", "justification": "comment kubelint: ignore (k8s/app.yaml:14): demo"}]

    # Same places as the plain report; fingerprints are the baseline's.
    shown = [r for r in results if "suppressions" not in r]
    regions = [(r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["ruleId"]) for r in shown]
    assert sorted(regions) == sorted(plain_positions(capsys))
    from kubelint.findings import Finding, ObjectRef
    expected = fingerprint(Finding("latest-tag", "warning", image["message"]["text"], "k8s/app.yaml", 16, 18,
                                   object=ObjectRef("apps/v1", "Deployment", "default", "web"),
                                   path="spec.template.spec.containers[1].image"), repo)
    assert image["partialFingerprints"] == {"kubelint/v1": expected}


def test_sarif_uri_for_a_file_outside_the_current_directory(repo, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "a b.yaml"
    outside.write_text(MANIFESTS)
    _, out, _ = run(capsys, "--format", "sarif", str(outside))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"]}
    assert uris == {outside.as_uri()}
    assert "%20" in outside.as_uri()


# --- JUnit ----------------------------------------------------------------------------------


def test_junit_parses_with_junitparser(repo, capsys):
    from junitparser import Failure, JUnitXml

    run(capsys, "--format", "junit", "--output", "report.xml", ".")
    xml = JUnitXml.fromfile(str(repo / "report.xml"))
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == ["Dockerfile", "k8s/app.yaml"]
    app = suites["k8s/app.yaml"]
    cases = {case.name: case for case in app}
    assert sorted(cases) == ["ConfigMap/default/settings", "Deployment/default/web", "Service/default/web"]
    assert app.tests == 3 and app.failures == 2
    assert cases["Service/default/web"].is_passed
    [failure] = [r for r in cases["Deployment/default/web"].result if isinstance(r, Failure)]
    assert failure.type == "warning"
    assert failure.message == "[latest-tag] container 'cache' uses image 'redis' with no tag or the 'latest' tag"
    assert failure.text.startswith("k8s/app.yaml:16:18: warning [latest-tag]")
    docker = {case.name: case for case in suites["Dockerfile"]}
    assert sorted(docker) == ["stage 1", "stage build"]
    assert not docker["stage build"].is_passed and docker["stage 1"].is_passed


def test_junit_survives_characters_xml_cannot_carry(repo, capsys):
    from junitparser import JUnitXml

    (repo / "k8s" / "app.yaml").write_text(MANIFESTS.replace("image: redis", 'image: "redis\\x01&x"'))
    run(capsys, "--format", "junit", "--output", "report.xml", ".")
    xml = JUnitXml.fromfile(str(repo / "report.xml"))
    messages = [r.message for suite in xml for case in suite for r in case.result]
    assert "[latest-tag] container 'cache' uses image 'redis\ufffd&x' with no tag or the 'latest' tag" in messages


# --- GitHub ----------------------------------------------------------------------------------


def test_github_escaping_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_annotations(repo, capsys):
    code, out, _ = run(capsys, "--format", "github", ".")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("::warning file=Dockerfile,line=1,col=6,endLine=1,endColumn=12,"
                               "title=kubelint base-image-untagged::base image 'ubuntu' ")
    assert lines[1:] == [
        "::warning file=k8s/app.yaml,line=16,col=18,endLine=16,endColumn=23,title=kubelint latest-tag::"
        "container 'cache' uses image 'redis' with no tag or the 'latest' tag%0APin the image to a version tag "
        "(`nginx:1.27.3`) or, better, a digest (`nginx@sha256:...`).",
        "::error file=k8s/app.yaml,line=24,col=3,endLine=24,endColumn=4,title=kubelint duplicate-key::"
        "duplicate key 'a' (first defined at line 23); tools disagree on which value wins, and strict decoding "
        "rejects it%0ADelete one of the two keys, or merge their values.",
        "3 findings (1 error, 2 warnings) in 2 files, 3 objects; 1 suppressed",
    ]


def test_a_hostile_manifest_cannot_inject_workflow_commands(repo, capsys):
    hostile = MANIFESTS.replace(
        "- name: cache", '- name: "x\\n::add-mask::secret\\r\\n::error file=evil::pwned %0A::stop-commands::t"')
    (repo / "k8s" / "a,line=1:evil.yaml").write_text(hostile)
    (repo / "k8s" / "app.yaml").unlink()
    main(["check", "--select", "latest-tag", "--format", "github", "."])
    out = capsys.readouterr().out
    lines = out.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 1 and len(lines) == 2  # one finding, the summary
    head, message = commands[0][2:].split("::", 1)
    assert head == ("warning file=k8s/a%2Cline=1%3Aevil.yaml,line=16,col=18,endLine=16,endColumn=23,"
                    "title=kubelint latest-tag")
    # CR and LF in values are spelled out by the escaping every text format shares.
    assert message.startswith("container 'x\\n::add-mask::secret\\r\\n::error file=evil::pwned %250A"
                              "::stop-commands::t' uses image 'redis'")
    assert "\r" not in out


# --- statistics and several outputs ----------------------------------------------------------


def test_statistics(repo, capsys):
    code, out, _ = run(capsys, "--statistics", ".")
    assert code == 1
    assert out.splitlines() == [
        "1  base-image-untagged  warning  Base image has no tag or uses the mutable latest tag",
        "1  duplicate-key        error    A mapping defines the same key twice",
        "1  latest-tag           warning  Container image has no tag or uses the mutable `latest` tag",
        "3 findings (1 error, 2 warnings) in 2 files, 3 objects; 1 suppressed",
    ]
    _, out, _ = run(capsys, "--statistics", "--format", "json", ".")
    assert json.loads(out)[1] == {"rule": "duplicate-key", "count": 1, "severity": "error",
                                  "summary": "A mapping defines the same key twice"}


def test_several_formats_and_outputs(repo, capsys):
    code, out, _ = run(capsys, "--format", "plain", "--format", "sarif", "--output", "r.sarif",
                       "--format", "junit", "-o", "r.xml", ".")
    assert code == 1
    assert out.splitlines()[-1] == "3 findings (1 error, 2 warnings) in 2 files, 3 objects; 1 suppressed"
    assert len(json.loads((repo / "r.sarif").read_text())["runs"][0]["results"]) == 3
    assert (repo / "r.xml").read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')


def test_statistics_go_to_stdout_when_every_report_goes_to_a_file(repo, capsys):
    _, out, _ = run(capsys, "--statistics", "--format", "json", "-o", "r.json", ".")
    assert out.splitlines()[0].startswith("1  base-image-untagged")
    assert json.loads((repo / "r.json").read_text())["summary"]["findings"] == 3


def test_pairing_rule():
    assert pair_outputs(None, None, "rich") == [Destination("rich", "-")]
    assert pair_outputs(None, ["r.txt"], "plain") == [Destination("plain", "r.txt")]
    assert pair_outputs(["rich", "sarif"], ["r.sarif"], "plain") == [
        Destination("rich", "-"), Destination("sarif", "r.sarif")]
    assert pair_outputs(["sarif"], ["r.sarif"], "plain") == [Destination("sarif", "r.sarif")]
    assert pair_outputs(["json", "sarif"], ["-", "r.sarif"], "plain") == [
        Destination("json", "-"), Destination("sarif", "r.sarif")]
    for formats, outputs, message in [
        (["rich", "sarif"], None, "formats rich, sarif would all go to standard output"),
        (["sarif"], ["a", "b"], "2 --output files for 1 --format(s)"),
        (None, ["a", "b"], "2 --output files but no --format"),
        (["json", "sarif"], ["a", "a"], "the same --output file is given twice"),
        (["json", "sarif", "plain"], ["-", "-"], "only one --format can go to standard output"),
    ]:
        with pytest.raises(KubelintError, match=re.escape(message)):
            pair_outputs(formats, outputs, "plain")


def test_pairing_mistakes_exit_2(repo, capsys):
    code, out, err = run(capsys, "--format", "json", "--format", "sarif", ".")
    assert (code, out) == (2, "")
    assert err == ("kubelint: error: formats json, sarif would all go to standard output: "
                   "give an --output for all but one --format\n")


def test_fail_on_never(repo, capsys):
    code, _, _ = run(capsys, "--format", "plain", "--fail-on", "never", ".")
    assert code == 0


# --- progress --------------------------------------------------------------------------------


def test_progress_bar_ticks_once_per_file(monkeypatch, capsys):
    import sys

    from kubelint.discover import Discovered
    from kubelint.progress import THRESHOLD, progress_over

    discovered = Discovered(files=[(f"f{i}.yaml", "yaml") for i in range(THRESHOLD + 1)])
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    ticks = []
    with progress_over(discovered, enabled=True):
        for item in discovered.files:
            ticks.append(item)
    assert len(ticks) == THRESHOLD + 1
    assert isinstance(discovered.files, list) and type(discovered.files) is list  # restored
    few = Discovered(files=[("a.yaml", "yaml")])
    with progress_over(few, enabled=True):
        assert type(few.files) is list


def test_json_lines_are_what_the_json_encoder_writes():
    # The JSON report writes each finding field by field (kubelint.report.json_report.
    # finding_line) for speed: the text must be exactly json's, whatever the values hold.
    from dataclasses import replace

    from kubelint.findings import Finding, ObjectRef, Related
    from kubelint.report.json_report import finding_json, finding_line

    odd = 'quote " backslash \\ tab \t newline \n BEL \x07 NUL \x00 é ✓ 漢 \U0001F600 \ud800'
    findings = [
        Finding(rule="r", severity="error", message=odd, file="f.yaml", line=1, column=2),
        Finding(rule="r", severity="warning", message="m", file=odd, line=10**6, column=3, end_line=4,
                end_column=5, object=ObjectRef("apps/v1", "Deployment", None, odd), path=odd,
                remediation="", doc_url="https://x", related=(Related("g.yaml", 7, odd), Related("h", 8, "n"))),
        Finding(rule="r", severity="info", message="m", file="f", line=1, column=1,
                object=ObjectRef(None, "Stage", None, None), remediation="do \"this\""),
        Finding(rule="r", severity="info", message="m", file="f", line=1, column=1,
                fix={"applicability": "safe", "edits": [{"line": 1, "column": 1, "text": odd}]}),
    ]
    encode = json.JSONEncoder(ensure_ascii=False).encode
    for f in findings:
        assert finding_line(f) == encode(finding_json(f))
    # What one finding's line shares with the next (rule, file, object) is never another's.
    shared: dict = {}
    twice = findings + [replace(f, message="other", remediation="r2", file="g.yaml") for f in findings] + findings
    assert [finding_line(f, shared) for f in twice] == [encode(finding_json(f)) for f in twice]
