"""`configmap-credentials`: a ConfigMap entry that holds a credential, judged as env-secret-literal
judges an environment variable: a key named like a secret with a one-line literal value, or a
value (a whole config file too) that holds a well-known credential shape."""

from __future__ import annotations

from typing import Iterable

from kubelint.checks.kubernetes.env_secrets import credential_shape, looks_literal, secret_name
from kubelint.findings import Finding
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "configmap-credentials"


@check("k8s-configmap-secrets", rules=(RULE,), fills=("entry", "shape"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    for obj in ctx.objects(ctx.kinds(RULE)):
        data = obj.get("data")
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            if not isinstance(key, str) or not isinstance(value, str):
                continue
            path = ("data", key)
            shape = credential_shape(value)
            if shape:
                yield ctx.finding(RULE, obj, path, shape=shape, entry=key)
            # A one-line value only: a file named like a secret (`token.conf`) is a file.
            elif secret_name(key) and "\n" not in value.strip() and looks_literal(value):
                yield ctx.finding(RULE, obj, path, variant="secret-name", entry=key)
