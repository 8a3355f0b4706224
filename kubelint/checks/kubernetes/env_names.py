"""`duplicate-env-var`: every repeated name in a container's `env` list, not only the first
(the condition language's `duplicates` stops at the first repeat)."""

from __future__ import annotations

from typing import Iterable

from kubelint.findings import Finding
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "duplicate-env-var"


@check("k8s-env-names", rules=(RULE,), fills=("container", "value"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    for c in ctx.containers(ctx.kinds(RULE)):
        env = c.data.get("env")
        seen: set[str] = set()
        for i, var in enumerate(env if isinstance(env, list) else ()):
            name = var.get("name") if isinstance(var, dict) else None
            if not isinstance(name, str):
                continue
            if name in seen:  # each repeat: the first entry is the one that looks real
                yield ctx.finding(RULE, c.obj, c.path + ("env", i, "name"), container=c.name, value=name)
            seen.add(name)
