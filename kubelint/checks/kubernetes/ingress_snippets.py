"""`ingress-nginx-snippet`: an Ingress annotation that pastes raw nginx configuration into the
controller (ingress-nginx's `*-snippet`, NGINX Inc.'s `nginx.org/*-snippets`). One finding per
such annotation, at its key; a snippet whose text reads files or runs Lua (the CVE-2021-25742
exploit shapes) is told apart, so the worst ones read as such."""

from __future__ import annotations

import re
from typing import Iterable

from kubelint.findings import Finding
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.regex import compile_user
from kubelint.ruleapi.registry import check

RULE = "ingress-nginx-snippet"

# What a snippet holds that goes beyond adding a header: each pattern with how the message names
# it. Lua directives run code in the controller; `alias`/`root` serve files of the controller's
# file system; a service-account path is the token the CVE's exploit read.
_DANGEROUS = (
    (re.compile(r"\b\w*_by_lua\w*|\blua_\w+"), "Lua code"),
    (re.compile(r"(?:^|[;{}\s])(?:alias|root)\s+\S"), "an alias or root directive (serves files of the controller)"),
    (re.compile(r"/var/run/secrets|kubernetes\.io/serviceaccount"), "a path to service account credentials"),
)


def dangerous(text: str) -> str | None:
    """How to name what the snippet does beyond plain configuration, or None."""
    for pattern, what in _DANGEROUS:
        if pattern.search(text):
            return what
    return None


@check("k8s-ingress-snippets", rules=(RULE,), fills=("annotation", "content"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    keys = compile_user(str(ctx.param(RULE, "annotations")))
    for obj in ctx.objects(ctx.kinds(RULE)):
        for key, value in obj.annotations.items():
            if not isinstance(key, str) or not keys.search(key):
                continue
            path = ("metadata", "annotations", key)
            what = dangerous(value) if isinstance(value, str) else None
            if what:
                yield ctx.finding(RULE, obj, path, key=True, variant="dangerous", annotation=key, content=what)
            else:
                yield ctx.finding(RULE, obj, path, key=True, annotation=key)
