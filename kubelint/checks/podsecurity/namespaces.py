"""`pss-namespace-labels`: a Namespace's `pod-security.kubernetes.io/` labels must be ones the Pod
Security Admission controller reads. It refuses a Namespace with a level or version it cannot
parse; a key it does not know is ignored, so a typo silently turns enforcement off."""

from __future__ import annotations

from typing import Iterator

from kubelint.checks.podsecurity.policy import LABEL_PREFIX, MODES, parse_level, parse_version
from kubelint.findings import Finding
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "pss-namespace-labels"


@check("pod-security-labels", rules=(RULE,), fills=("label", "value"))
def run(ctx: CheckContext) -> Iterator[Finding | None]:
    if not ctx.enabled(RULE):
        return
    for ns in ctx.objects(ctx.kinds(RULE)):
        for key, value in ns.labels.items():
            key = str(key)
            if not key.startswith(LABEL_PREFIX):
                continue
            suffix = key[len(LABEL_PREFIX):]
            path = ("metadata", "labels", key)
            if suffix in MODES:
                if parse_level(value) is None:
                    yield ctx.finding(RULE, ns, path, variant="level", label=key, value=str(value))
            elif suffix.endswith("-version") and suffix[:-len("-version")] in MODES:
                if not parse_version(value)[1]:
                    yield ctx.finding(RULE, ns, path, variant="version", label=key, value=str(value))
            else:
                yield ctx.finding(RULE, ns, path, key=True, variant="unknown", severity="warning",
                                  label=key, value=str(value))
