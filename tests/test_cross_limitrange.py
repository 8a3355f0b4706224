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
