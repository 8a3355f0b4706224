"""Findings made while reading and parsing files (syntax errors, duplicate keys, templates),
passed through the rule settings like any other rule's."""

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
), fills=("variable", "limit"))
def run(ctx: CheckContext):
    for f in ctx.scan.parse_findings:
        rule = ctx.rules.get(f.rule)
        if rule is None:
            continue
        f.severity = rule.severity
        f.remediation = f.remediation or rule.remediation
        f.doc_url = rule.doc_url
        yield f
