"""Findings made while reading and parsing files (syntax errors, duplicate keys, templates),
passed through the rule settings like any other rule's."""

from kubelint.rules.context import CheckContext


def run(ctx: CheckContext):
    for f in ctx.scan.parse_findings:
        rule = ctx.rules.get(f.rule)
        if rule is None:
            continue
        f.severity = rule.severity
        f.remediation = f.remediation or rule.remediation
        f.doc_url = rule.doc_url
        yield f
