"""What the image checks share: the containers whose image the scan builds, with the link and
the image's run-time view, and `related` entries pointing at Dockerfile lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kubelint.findings import Related
from kubelint.index.images import Link, Runtime, image_links, image_runtime
from kubelint.model.dockerfile import Instruction, Stage
from kubelint.model.k8s import Container, KubeObject
from kubelint.ruleapi.context import CheckContext

# Values every image finding fills: the container, its image as written, and the Dockerfile
# (with the stage) that builds it.
LINK_VALUES = ("container", "image", "dockerfile")


@dataclass
class Linked:
    obj: KubeObject
    container: Container
    link: Link
    image: Runtime

    def values(self) -> dict[str, Any]:
        return {"container": self.container.name, "image": self.container.image or "",
                "dockerfile": built_from(self.link)}


def built_from(link: Link) -> str:
    """`app/Dockerfile`, with the stage when the Dockerfile has several: `app/Dockerfile (stage 'runtime')`."""
    if len(link.dockerfile.stages) > 1:
        stage = link.stage
        return f"{link.dockerfile.file} (stage {repr(stage.alias) if stage.alias else f'#{stage.index}'})"
    return link.dockerfile.file


def where(inst: Instruction) -> str:
    """file:line of a Dockerfile instruction, for messages."""
    stage = inst.stage
    file = stage.dockerfile.file if stage is not None and stage.dockerfile is not None else ""
    return f"{file}:{inst.line}"


def linked_containers(ctx: CheckContext, *rule_ids: str, groups: tuple[str, ...] = ("containers", "initContainers"),
                      ) -> Iterator[Linked]:
    """Containers (of `groups`) of the rules' kinds whose image a Dockerfile of the scan builds,
    kustomize patches included: what a patch sets is judged, and the checks mark the findings a
    field the patch leaves out decides (`absent=True`)."""
    if not any(ctx.enabled(r) for r in rule_ids):
        return
    links = image_links(ctx.scan)
    if links.empty:
        return
    for obj in ctx.objects(ctx.kinds(*rule_ids)):
        spec = obj.pod_spec
        if spec is None:
            continue
        for container in spec.containers:
            if container.group not in groups:
                continue
            link = links.link(container.image, obj.doc.source.path)
            if link is not None:
                yield Linked(obj, container, link, image_runtime(links, link))


def at_line(inst: Instruction, note: str) -> Related:
    """A related entry on a Dockerfile instruction."""
    stage = inst.stage
    file = stage.dockerfile.file if stage is not None and stage.dockerfile is not None else ""
    return Related(file, inst.line, note)


def at_from(stage: Stage, note: str) -> Related:
    file = stage.dockerfile.file if stage.dockerfile is not None else ""
    return Related(file, stage.from_instr.line if stage.from_instr is not None else 1, note)


def link_related(link: Link) -> list[Related]:
    """Where the link itself is declared, when it has a line (a build config)."""
    return [Related(link.file, link.line, f"the image is built here ({link.via})")] if link.line else []


def program(words: list[str]) -> str:
    """`/usr/bin/tini` → `tini`."""
    return words[0].rsplit("/", 1)[-1] if words else ""


def strings(value) -> list[str] | None:
    """A command/args list as strings; None when unset, empty or not a list."""
    if not isinstance(value, list) or not value:
        return None
    return [str(v) for v in value]
