"""Every Dockerfile rule's examples: each bad one produces the rule, no good one does."""

from __future__ import annotations

import pytest

from dockerfile_helpers import dockerfile_rules, lint

RULES = dockerfile_rules()
CASES = [(rid, kind, i, text) for rid, rule in sorted(RULES.items())
         for kind in ("bad", "good") for i, text in enumerate(rule.examples.get(kind) or [])]


def test_at_least_45_dockerfile_rules_with_examples():
    assert len(RULES) >= 45
    for rid, rule in RULES.items():
        assert rule.examples.get("bad") and rule.examples.get("good"), rid
        assert rule.description and rule.rationale and rule.remediation, rid


@pytest.mark.parametrize("rule_id,kind,index,text", CASES, ids=[f"{c[0]}-{c[1]}{c[2]}" for c in CASES])
def test_example(rule_id, kind, index, text, tmp_path):
    # A real file in an empty directory: no .dockerignore beside it.
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    params = RULES[rule_id].examples.get("params")
    found = [f for f in lint(text, path=str(path), params={rule_id: params} if params else None)
             if f.rule == rule_id]
    if kind == "bad":
        assert found, f"{rule_id}: bad example {index} produced no finding"
    else:
        assert not found, f"{rule_id}: good example {index} produced {[(f.line, f.message) for f in found]}"
