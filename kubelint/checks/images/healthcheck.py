"""An image HEALTHCHECK and no liveness or readiness probe: Kubernetes ignores HEALTHCHECK, so the
check the image's author wrote never runs. The message gives the equivalent probe."""

from __future__ import annotations

import json
import re

from kubelint.checks.images.base import LINK_VALUES, at_line, link_related, linked_containers, where
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "image-healthcheck-ignored"
_UNIT = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6, "ns": 1e-9}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)")


def seconds(text: str) -> int | None:
    """A Go duration (`30s`, `1m30s`) in whole seconds (at least 1); None when unreadable."""
    parts = _PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return max(1, round(sum(float(n) * _UNIT[u] for n, u in parts)))


def probe(inst) -> str | None:
    """The HEALTHCHECK as a livenessProbe, in YAML flow style; None when it cannot be told."""
    if inst.form == "exec":
        command = list(inst.args)
    elif inst.form == "shell":
        script = re.sub(r"^\s*CMD\s+", "", inst.value, flags=re.I)
        command = [*inst.shell, script]
    else:
        return None
    if not command:
        return None
    fields = [f"exec: {{command: {json.dumps(command)}}}"]
    for flag, key, default in (("interval", "periodSeconds", 30), ("timeout", "timeoutSeconds", 30),
                               ("start-period", "initialDelaySeconds", None)):
        value = inst.flags.get(flag)
        number = seconds(value) if isinstance(value, str) else default
        if number is not None:
            fields.append(f"{key}: {number}")
    retries = inst.flags.get("retries")
    fields.append(f"failureThreshold: {retries if isinstance(retries, str) and retries.isdigit() else 3}")
    return "livenessProbe: {" + ", ".join(fields) + "}"


@check("image-healthcheck", rules=(RULE,), fills=LINK_VALUES + ("at", "probe"))
def run(ctx: CheckContext):
    for item in linked_containers(ctx, RULE, groups=("containers",)):
        c, inst = item.container, item.image.healthcheck
        if inst is None or c.data.get("livenessProbe") is not None or c.data.get("readinessProbe") is not None:
            continue
        shown = probe(inst)
        if shown is None:
            continue
        yield ctx.finding(RULE, item.obj, c.path + ("livenessProbe",), key=True, at=where(inst), probe=shown, absent=True,
                          related=[at_line(inst, "the HEALTHCHECK Kubernetes ignores"), *link_related(item.link)],
                          **item.values())
