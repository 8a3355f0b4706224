"""docs/architecture.md: its three "adding a rule" recipes work exactly as written. Each recipe's
YAML goes into a --rules-dir, its Python is executed (registering the check), and the rule's own
examples must behave: bad ones produce the rule, good ones do not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from yaml_helpers import load_one

import kubelint.checks
from kubelint.api import lint_text
from kubelint.ruleapi import registry

# Every built-in check registered before a test copies the registry.
kubelint.checks.load_all()

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
BLOCK = re.compile(r"<!-- recipe: ([\w-]+) -->\n```(\w+)\n(.*?)```", re.S)


def recipes() -> dict[str, str]:
    return {name: body for name, _lang, body in BLOCK.findall(DOC.read_text())}


@pytest.fixture
def isolated_registry(monkeypatch):
    monkeypatch.setattr(registry, "_CHECKS", dict(registry._CHECKS))
    monkeypatch.setattr(registry, "_BY_RULE", dict(registry._BY_RULE))


def test_the_document_holds_every_recipe():
    assert set(recipes()) == {"declarative", "python-object", "python-object-yaml", "python-scan",
                              "python-scan-yaml"}


@pytest.mark.parametrize("rule_yaml, code", [
    ("declarative", None),
    ("python-object-yaml", "python-object"),
    ("python-scan-yaml", "python-scan"),
])
def test_recipe_builds_a_working_rule(tmp_path, isolated_registry, rule_yaml, code):
    found = recipes()
    if code is not None:
        exec(compile(found[code], f"{DOC}:{code}", "exec"), {})
    (tmp_path / "rule.yaml").write_text(found[rule_yaml])
    rule = load_one(found[rule_yaml])
    for kind in ("bad", "good"):
        for text in rule["examples"][kind]:
            hits = [f for f in lint_text(text, rules_dirs=[str(tmp_path)]) if f.rule == rule["id"]]
            assert bool(hits) == (kind == "bad"), (kind, text, hits)
            for f in hits:
                assert "{" not in f.message and f.line >= 1
