"""Malformed build configs (skaffold.yaml, compose files, `docker build` lines), found while
kubelint.index.images reads them: each problem at its position, with its message variant."""

from __future__ import annotations

from kubelint.index.images import image_links
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "build-config-invalid"


@check("build-config", rules=(RULE,), fills=("field", "command", "dockerfile", "target"))
def run(ctx: CheckContext):
    if not ctx.enabled(RULE) or not (ctx.scan.build_documents or ctx.scan.build_files):
        return
    for problem in image_links(ctx.scan).problems:
        ctx.in_file(problem.file)
        yield ctx.file_finding(RULE, problem.file, problem.line, problem.column,
                               variant=problem.variant, **problem.values)
