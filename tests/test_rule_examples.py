"""Every rule's `bad` examples produce that rule and its `good` examples do not; every rule file
matches the rule schema. New rules are picked up automatically. This is the one place examples
run: Dockerfile examples as a real file in an empty directory (no .dockerignore beside it),
`files:` examples (rules across files) as a small repository in an empty directory, and a
schema rule's bad example triggers exactly that rule among the schema rules."""

import json

import jsonschema
import pytest

from kubelint.api import lint_paths, lint_text
from kubelint.ruleapi.rule import example_files
from kubelint.data import schemas_dir
from kubelint.engine.loader import load_rule_file, load_rules, rule_files
from kubelint.data import rules_dir

RULES = load_rules()
CASES = [(rule.id, kind, i, text) for rule in RULES.values()
         for kind in ("bad", "good") for i, text in enumerate(rule.examples.get(kind, []))]


@pytest.mark.parametrize("rule_id,kind,index,text", CASES,
                         ids=[f"{c[0]}-{c[1]}{c[2]}" for c in CASES])
def test_example(rule_id, kind, index, text, tmp_path):
    rule = RULES[rule_id]
    name = None
    params = {rule_id: rule.examples["params"]} if rule.examples.get("params") else None
    if isinstance(text, dict):
        # A small repository (`files:`) for a rule across files: written out, linted as a directory.
        for path, body in example_files(text):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(body)
        every = lint_paths([str(tmp_path)], select=["all"], params=params)
    else:
        if rule.example_type == "dockerfile":
            name = str(tmp_path / "Dockerfile")
            (tmp_path / "Dockerfile").write_text(text)
        every = lint_text(text, rule.example_type, name=name, select=["all"], params=params)
    found = [f for f in every if f.rule == rule_id]
    if rule.check == "schema":
        schema_rules = {r.id for r in RULES.values() if r.check == "schema"}
        fired = {f.rule for f in every if f.rule in schema_rules}
        assert fired == ({rule_id} if kind == "bad" else set()), fired
    if kind == "bad":
        assert found, f"bad example {index} of {rule_id} produced no {rule_id} finding"
    else:
        assert not found, f"good example {index} of {rule_id} produced: " + "; ".join(
            f"{f.line}:{f.column} {f.message}" for f in found)


def test_every_rule_has_good_and_bad_examples():
    # file-unreadable and internal-error cannot be shown as text: they have their own tests
    # (test_engine.py for internal-error).
    missing = [r.id for r in RULES.values() if r.id not in ("file-unreadable", "internal-error")
               and not (r.examples.get("bad") and r.examples.get("good"))]
    assert missing == []


@pytest.mark.parametrize("path", rule_files(rules_dir()), ids=lambda p: p.stem)
def test_rule_file_matches_schema(path):
    load_rule_file(path, builtin=True, validate=True)
    assert path.stem == load_rule_file(path, builtin=True, validate=False).id
