"""LimitRange defaults across objects, applied by the engine's finding adjusters."""

import pytest

from all_rules import lint_paths
from kubelint.findings import Finding
from kubelint.parse.source import SourceFile
from kubelint.engine.engine import Engine
from kubelint.engine.loader import load_rules
from kubelint.runner import add_yaml
from kubelint.scan import Scan

APP = "tests/fixtures/cross/limitrange"
RULES = ["missing-requests", "missing-limits"]


@pytest.fixture(autouse=True)
def _resource_rules():
    if not all(r in load_rules() for r in RULES):
        pytest.skip("missing-requests / missing-limits are not among the rules")


def findings():
    return [(f.file.rsplit("/", 1)[-1], f.line, f.rule, f.severity, f.message)
            for f in lint_paths([APP], select=RULES)]


def test_limitrange_defaults_turn_findings_into_info_with_a_note():
    team = f"{APP}/team.yaml"
    assert [f for f in findings() if f[0] == "team.yaml"] == [
        ("team.yaml", 33, "missing-limits", "info",
         f"container 'worker' sets no limit for memory (info: LimitRange 'container-defaults' ({team}:9) "
         f"defaults the memory limits of every container in namespace 'team')"),
        ("team.yaml", 33, "missing-requests", "info",
         f"container 'worker' sets no request (or limit) for cpu, memory (info: LimitRange "
         f"'container-defaults' ({team}:9) defaults the cpu/memory requests of every container in "
         f"namespace 'team')"),
    ]
    related = [f.related for f in lint_paths([APP], select=RULES) if f.file == team]
    assert [(r.file, r.line, r.message) for r in related[0]] == [
        (team, 9, "LimitRange 'container-defaults' sets the defaults")]


def test_other_namespaces_and_uncovered_resources_keep_their_severity():
    other = [f for f in findings() if f[0] == "other.yaml"]
    assert [(line, rule, severity) for _, line, rule, severity, _ in other] == [
        (19, "missing-limits", "warning"), (19, "missing-requests", "warning"),
        # cpu-only: a `max` CPU defaults the CPU limit and request, memory stays missing.
        (40, "missing-limits", "warning"), (40, "missing-requests", "warning"),
    ]


def test_engine_runs_adjusters_after_every_rule(monkeypatch):
    seen = []

    def adjust(ctx, found):
        seen.append(sorted(f.rule for f in found))
        return [f for f in found if f.rule != "latest-tag"]

    from kubelint.ruleapi import registry
    monkeypatch.setattr(registry, "_ADJUSTERS", {"test": registry.AdjusterSpec("test", adjust)})
    scan = Scan()
    source = SourceFile("p.yaml", "p.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec: {containers: [{name: c, image: nginx}]}\n", "yaml")
    add_yaml(scan, source)
    rules = {k: v for k, v in load_rules().items() if k in ("latest-tag", "missing-requests")}
    engine = Engine(rules)
    result = engine.run(scan)
    assert seen == [["latest-tag", "missing-requests"]]
    assert [f.rule for f in result] == ["missing-requests"]
    assert "test" in engine.timings


def test_adjuster_leaves_unrelated_findings_alone():
    from kubelint.checks.crossobject.limitrange import adjust
    from kubelint.ruleapi.context import CheckContext
    f = Finding(rule="latest-tag", severity="warning", message="m", file="x.yaml", line=1, column=1)
    assert adjust(CheckContext(Scan(), {}), [f]) == [f]


# --- structured data, never text -----------------------------------------------------------
TEAM = f"{APP}/team.yaml"


def _team_scan_and_rules(**severity):
    from kubelint.runner import build_scan
    from kubelint.discover import discover
    from kubelint.selection import select_rules
    from kubelint.scan import Options

    scan = build_scan(discover([TEAM], []), Options())
    rules = select_rules(load_rules(), RULES, (), severity or None)
    return scan, rules


def _worker_finding(scan, rule_id, message, missing):
    worker = next(o for o in scan.objects if o.kind == "Deployment")
    return Finding(rule=rule_id, severity="warning", message=message, file=worker.file, line=33, column=11,
                   object=worker.ref, values={"container": "worker", "value": missing, "namespace": "team"})


def test_adjuster_reads_the_missing_resources_from_the_values_not_the_text():
    from kubelint.checks.crossobject.limitrange import adjust
    from kubelint.ruleapi.context import CheckContext

    scan, rules = _team_scan_and_rules()
    ctx = CheckContext(scan, rules)
    # The text claims cpu; the structured value says memory, which the LimitRange limits by default.
    f = _worker_finding(scan, "missing-limits", "text that says: for cpu", ("memory",))
    [out] = adjust(ctx, [f])
    assert (out.severity, out.variant, out.values["limitrange"], out.values["defaulted"]) == (
        "info", "limitrange", "container-defaults", "memory")
    assert out.message == (f"container 'worker' sets no limit for memory (info: LimitRange 'container-defaults' "
                           f"({TEAM}:9) defaults the memory limits of every container in namespace 'team')")
    # cpu has no default limit there: the finding stays as it was, text included.
    g = _worker_finding(scan, "missing-limits", "text that says: for memory", ("cpu",))
    assert adjust(ctx, [g]) == [g] and g.message == "text that says: for memory"


def test_a_severity_the_user_chose_wins_over_the_adjuster():
    from kubelint.checks.crossobject.limitrange import adjust
    from kubelint.ruleapi.context import CheckContext

    scan, rules = _team_scan_and_rules(**{"missing-limits": "warning"})
    assert rules["missing-limits"].severity_from_user and not rules["missing-requests"].severity_from_user
    f = _worker_finding(scan, "missing-limits", "m", ("memory",))
    assert adjust(CheckContext(scan, rules), [f]) == [f]


def test_user_severity_wins_through_the_cli(capsys):
    import json

    from kubelint.cli import main

    code = main(["check", TEAM, "--select", "missing-requests,missing-limits", "--severity",
                 "missing-requests=error", "--format", "json", "--isolated"])
    found = [(f["rule"], f["line"], f["severity"], f["message"]) for f in json.loads(capsys.readouterr().out)["findings"]]
    assert code == 1
    assert found == [
        ("missing-limits", 33, "info",
         f"container 'worker' sets no limit for memory (info: LimitRange 'container-defaults' ({TEAM}:9) "
         f"defaults the memory limits of every container in namespace 'team')"),
        ("missing-requests", 33, "error", "container 'worker' sets no request (or limit) for cpu, memory"),
    ]


def test_a_condition_rule_may_hold_variants_only_for_an_adjuster(tmp_path, monkeypatch):
    from kubelint.engine.loader import RuleFileError, load_rule_file
    from kubelint.ruleapi import registry

    def rule_file(rule_id, variant):
        path = tmp_path / f"{rule_id}.yaml"
        path.write_text(f"id: {rule_id}\nseverity: warning\ncategory: resources\nsummary: s\n"
                        f"applies-to: containers\ncondition: {{path: resources, exists: true}}\n"
                        f"message: \"container '{{container}}'\"\nmessages:\n  noted: \"{variant}\"\n")
        return path

    monkeypatch.setattr(registry, "_ADJUSTERS", dict(registry._ADJUSTERS))
    registry.adjuster("test-notes", rules=("noted-rule",), fills=("note",))(lambda ctx, found: found)
    rule = load_rule_file(rule_file("noted-rule", "{container}: {note}"), builtin=False, validate=True)
    assert rule.messages == {"noted": "{container}: {note}"}
    with pytest.raises(RuleFileError, match=r"noted-rule.yaml:9:3: message placeholder '\{nope\}'"):
        load_rule_file(rule_file("noted-rule", "{nope}"), builtin=False, validate=True)
    with pytest.raises(RuleFileError, match=r"other-rule.yaml:8:1: 'messages' does nothing in a rule with a condition"):
        load_rule_file(rule_file("other-rule", "{container}"), builtin=False, validate=True)
