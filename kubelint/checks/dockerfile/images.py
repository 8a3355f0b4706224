"""Base images: tags, digests, registries and end-of-life versions, per FROM."""

from __future__ import annotations

import re
from datetime import date

from kubelint.checks.dockerfile.base import STAGE_VALUES, at, dockerfiles, with_triggers
from kubelint.checks.dockerfile.eol import eol_reason
from kubelint.model.dockerfile import ImageRef
from kubelint.ruleapi.context import CheckContext
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
), fills=(*STAGE_VALUES, "image", "registry", "allowed", "product", "eol_date"))
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
                    yield at(ctx, "base-image-untagged", inst, where, width, image=shown)
                elif base.tag == "latest":
                    yield at(ctx, "base-image-untagged", inst, where, width, variant="latest", image=shown)
                yield at(ctx, "base-image-digest", inst, where, width, image=shown)
            registry = (base.registry or "docker.io").lower()
            if allowed and not _registry_allowed(registry, allowed):
                yield at(ctx, "untrusted-registry", inst, where, width,
                         image=shown, registry=registry, allowed=allowed)
            if today is not None and (base.registry is None or base.registry in DOCKER_HUB):
                found = eol_reason(base.name, base.tag, today)
                if found:
                    product, when = found
                    yield at(ctx, "base-image-eol", inst, where, width, image=shown, product=product, eol_date=when)
        yield from _copy_from_images(ctx, df)


def _copy_from_images(ctx: CheckContext, df):
    """COPY --from=<image> pulls that image like FROM does: the same tag rules apply."""
    for stage in df.stages:
        for inst in with_triggers(stage):
            source = df.copy_source(inst)
            if not isinstance(source, ImageRef) or source.digest is not None or source.is_scratch \
                    or not re.search(r"[:/@.]", source.raw):
                continue  # a bare name is more likely a mistyped stage: copy-from-unknown-stage says so
            name = str(inst.flags.get("from"))
            where, width = inst.flag_pos("from"), len("--from=" + name)
            if source.tag is None:
                yield at(ctx, "base-image-untagged", inst, where, width, variant="copy-from", image=source.raw)
            elif source.tag == "latest":
                yield at(ctx, "base-image-untagged", inst, where, width, variant="copy-from-latest",
                         image=source.raw)


def _registry_allowed(registry: str, allowed: list[str]) -> bool:
    if registry in DOCKER_HUB:
        registry = "docker.io"
    for pattern in allowed:
        pattern = "docker.io" if pattern in DOCKER_HUB else pattern
        if registry == pattern or (pattern.startswith("*.") and registry.endswith(pattern[1:])):
            return True
    return False
