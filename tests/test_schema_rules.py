"""The schema rule files: valid against the rule format, documented, and their examples behave:
their examples run in test_rule_examples.py."""

import pytest

from kubelint.ruleapi.registry import check_for_rule
from kubelint.checks.schema import RULES
from schema_helpers import lint, schema_rules



def test_rule_files_are_complete():
    rules = schema_rules()
    assert set(rules) == set(RULES)
    for rule in rules.values():
        assert rule.check == "schema" and rule.category == "schema"
        assert rule.description and rule.rationale and rule.remediation and rule.summary
        assert rule.examples.get("bad") and rule.examples.get("good")
    assert all(check_for_rule(r).run.__module__ == "kubelint.checks.schema" for r in RULES)
    assert rules["unknown-kind"].severity == "info"
    assert rules["deprecated-api"].severity == "warning"
    assert {rules[r].severity for r in ("unknown-field", "schema-invalid", "invalid-quantity", "removed-api")} == {"error"}


