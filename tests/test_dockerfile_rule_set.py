"""The Dockerfile rule set is complete and documented (the examples themselves run in
test_rule_examples.py)."""

from __future__ import annotations

from dockerfile_helpers import dockerfile_rules

RULES = dockerfile_rules()


def test_at_least_45_dockerfile_rules_with_examples():
    assert len(RULES) >= 45
    for rid, rule in RULES.items():
        assert rule.examples.get("bad") and rule.examples.get("good"), rid
        assert rule.description and rule.rationale and rule.remediation, rid
