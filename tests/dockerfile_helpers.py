"""Linting Dockerfile text with only the Dockerfile rules, through the real rule engine."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

from kubelint.findings import Finding
from kubelint.parse.dockerfile import parse_dockerfile
from kubelint.parse.source import SourceFile
from kubelint.engine.engine import Engine
from kubelint.engine.loader import load_rule_file
from kubelint.scan import Options, Scan

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules" / "dockerfile"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dockerfile"


@lru_cache(maxsize=1)
def dockerfile_rules() -> dict:
    rules = (load_rule_file(p, builtin=True, validate=True) for p in sorted(RULES_DIR.glob("*.yaml")))
    return {r.id: r for r in rules}


def lint(text: str, path: str = "Dockerfile", target: str | None = None, only=None,
         params: dict[str, dict] | None = None) -> list[Finding]:
    source = SourceFile(path, path, text, "dockerfile")
    df, parse_findings = parse_dockerfile(source)
    scan = Scan(options=Options(target=target))
    scan.sources.append(source)
    scan.dockerfiles.append(df)
    scan.parse_findings.extend(parse_findings)
    rules = dockerfile_rules()
    if only:
        only = {only} if isinstance(only, str) else set(only)
        rules = {k: v for k, v in rules.items() if k in only}
    if params:
        rules = {k: dataclasses.replace(v, params={**v.params, **params[k]}) if k in params else v
                 for k, v in rules.items()}
    return sorted(Engine(rules).run(scan), key=Finding.sort_key)


def lint_file(name: str, **kw) -> list[Finding]:
    path = FIXTURES / name
    return lint(path.read_bytes().decode("utf-8-sig"), path=str(path), **kw)


def brief(findings, rule: str | None = None) -> list[tuple]:
    """(rule, line, column) per finding, optionally of one rule."""
    return [(f.rule, f.line, f.column) for f in findings if rule is None or f.rule == rule]
