"""Findings made while reading and parsing files (syntax errors, duplicate keys, templates),
passed through the rule settings like any other rule's.

The parsers say what they found as a variant and values (kubelint/parse, kubelint/runner.py);
the message is the rule's template in rules/core/*.yaml (dockerfile-syntax: rules/dockerfile/),
rendered here. `unused-suppression` findings are made after all checks, by the suppression pass
(kubelint/suppress.py), and `internal-error` ones by the engine: both fill the same templates."""

from __future__ import annotations

from typing import Iterator

from kubelint.findings import Finding
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check


@check("parse", rules=(
    "duplicate-key",
    "file-unreadable",
    "unrendered-template",
    "unused-suppression",
    "yaml-syntax",
    "yaml-too-complex",
    "dockerfile-syntax",
    "internal-error",
    "expansion-limit",
), fills=(
    "problem", "context", "started",  # yaml-syntax
    "key", "first_line",  # duplicate-key (and env-no-value's key)
    "reason",  # yaml-too-complex, file-unreadable
    "keyword", "escape", "name", "error",  # dockerfile-syntax
    "suppression", "id",  # unused-suppression
    "what", "file",  # internal-error (and "error")
    "variable", "limit",  # expansion-limit
))
def run(ctx: CheckContext) -> Iterator[Finding | None]:
    for f in ctx.scan.parse_findings:
        if f.rule not in ctx.rules:
            continue
        ctx.in_file(f.file)
        yield ctx.file_finding(f.rule, f.file, f.line, f.column, end_line=f.end_line, end_column=f.end_column,
                               obj=f.object, path=f.path, related=f.related, variant=f.variant,
                               **(f.values or {}))
