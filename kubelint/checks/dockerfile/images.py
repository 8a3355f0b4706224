"""Base images: tags, digests, registries and end-of-life versions, per FROM."""

from __future__ import annotations

from datetime import date

from kubelint.ruleapi.context import CheckContext
from kubelint.checks.dockerfile.base import at, dockerfiles
from kubelint.checks.dockerfile.eol import eol_reason
from kubelint.ruleapi.registry import check

DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io")


def _today(ctx: CheckContext) -> date:
    as_of = ctx.param("base-image-eol", "as-of")
    if as_of:
        return date.fromisoformat(str(as_of))
    return date.today()


@check("dockerfile-images", rules=(
    "base-image-digest",
    "base-image-eol",
    "base-image-untagged",
    "untrusted-registry",
))
def run(ctx: CheckContext):
    allowed = [str(r).lower() for r in (ctx.param("untrusted-registry", "allowed") or [])]
    today = _today(ctx) if ctx.enabled("base-image-eol") else None
    for df in dockerfiles(ctx):
        for stage in df.stages:
            inst, base = stage.from_instr, stage.base
            if inst is None or base is None or base.unresolved or base.is_scratch or not base.raw:
                continue
            where = inst.arg_pos(0)
            width = len(inst.args[0]) if inst.args else 0
            shown = base.raw
            if base.digest is None:
                if base.tag is None:
                    yield at(ctx, "base-image-untagged", inst,
                             f"base image '{shown}' has no tag, so it means 'latest' and changes under you: "
                             f"pin a version tag", where, width)
                elif base.tag == "latest":
                    yield at(ctx, "base-image-untagged", inst,
                             f"base image '{shown}' uses the mutable 'latest' tag: pin a version tag", where, width)
                yield at(ctx, "base-image-digest", inst,
                         f"base image '{shown}' is not pinned by digest: add @sha256:... for reproducible builds",
                         where, width)
            registry = (base.registry or "docker.io").lower()
            if allowed and not _registry_allowed(registry, allowed):
                yield at(ctx, "untrusted-registry", inst,
                         f"base image '{shown}' comes from registry '{registry}', which is not in the "
                         f"allowed list ({', '.join(allowed)})", where, width)
            if today is not None and (base.registry is None or base.registry in DOCKER_HUB):
                found = eol_reason(base.name, base.tag, today)
                if found:
                    label, when = found
                    yield at(ctx, "base-image-eol", inst,
                             f"base image '{shown}' is end-of-life: {label} (end of support {when}); "
                             f"move to a supported version", where, width)


def _registry_allowed(registry: str, allowed: list[str]) -> bool:
    if registry in DOCKER_HUB:
        registry = "docker.io"
    for pattern in allowed:
        pattern = "docker.io" if pattern in DOCKER_HUB else pattern
        if registry == pattern or (pattern.startswith("*.") and registry.endswith(pattern[1:])):
            return True
    return False
