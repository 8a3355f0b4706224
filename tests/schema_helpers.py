"""Helpers for the schema tests: lint YAML text with the `schema` check only."""

from __future__ import annotations

from pathlib import Path

from kubelint.model.k8s import objects_from_document
from kubelint.parse.source import SourceFile
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.ruleapi.context import CheckContext
from kubelint.engine.loader import load_rule_file
from kubelint.scan import Options, Scan
from kubelint.checks.schema import RULES, run

REPO = Path(__file__).resolve().parents[1]
SCHEMA_RULES_DIR = REPO / "rules" / "schema"
FIXTURES = REPO / "tests" / "fixtures" / "schema"


def schema_rules(only=None) -> dict:
    rules = {}
    for rule_id in RULES:
        if only is None or rule_id in only:
            rules[rule_id] = load_rule_file(SCHEMA_RULES_DIR / f"{rule_id}.yaml", builtin=True, validate=True)
    return rules


def scan_of(files: dict[str, str], options: Options | None = None) -> Scan:
    scan = Scan(options=options or Options())
    for name, text in files.items():
        source = SourceFile(name, name, text, "yaml")
        scan.sources.append(source)
        for doc in parse_yaml(source).documents:
            scan.documents += 1
            scan.objects.extend(objects_from_document(doc))
    return scan


def lint(text: str, name: str = "test.yaml", only=None, **options):
    return lint_files({name: text}, only=only, **options)


def lint_files(files: dict[str, str], only=None, **options):
    scan = scan_of(files, Options(**options))
    findings = [f for f in run(CheckContext(scan, schema_rules(only))) if f is not None]
    return sorted(findings, key=lambda f: f.sort_key())


def show(findings) -> list[str]:
    return [f"{f.line}:{f.column} {f.rule} {f.message}" for f in findings]
