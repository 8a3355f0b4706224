"""What a linked image carries at run time: USER, ENTRYPOINT, CMD, EXPOSE, VOLUME, HEALTHCHECK
and WORKDIR of the stage built, of the stages it is FROM, and of the images of the scan those are
FROM (through their own link), with the instruction that set each, for `related` entries.

Docker's rules apply: a later value replaces an earlier one; EXPOSE and VOLUME add up; an
ENTRYPOINT set in a stage clears a CMD inherited from below (not one set in the same stage);
`HEALTHCHECK NONE` clears it. What an external image at the bottom sets is not known, so
`complete` says whether the chain ends in `scratch` (everything is known) or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubelint.index.images.links import ImageLinks, Link
from kubelint.model.dockerfile import ImageRef, Instruction, Stage

# Images whose default user is known to be root when their Dockerfile sets no USER: Docker
# Hub's official images (no namespace) and distroless images without a `nonroot` tag.
_DISTROLESS = ("gcr.io/distroless/", "distroless/")


@dataclass
class Runtime:
    link: Link
    stages: list[Stage] = field(default_factory=list)  # built stage first, down to the bottom
    base: ImageRef | None = None  # the external image at the bottom (scratch included)
    user: Instruction | None = None
    entrypoint: Instruction | None = None
    cmd: Instruction | None = None
    healthcheck: Instruction | None = None
    workdir: Instruction | None = None
    expose: list[Instruction] = field(default_factory=list)
    volumes: list[Instruction] = field(default_factory=list)
    copies: list[Instruction] = field(default_factory=list)  # COPY/ADD into the image

    @property
    def complete(self) -> bool:
        """The chain ends in scratch: no base image can add what this view lacks."""
        return self.base is not None and self.base.is_scratch

    @property
    def unknown_base(self) -> bool:
        """The bottom image holds a build arg without a value: its name is not known."""
        return self.base is None or self.base.unresolved

    def base_runs_as_root(self) -> bool:
        """The bottom image is known to run as root when nothing above it sets USER."""
        base = self.base
        if base is None or base.unresolved:
            return False
        if base.is_scratch:
            return True
        spelled = f"{base.registry}/{base.name}" if base.registry else base.name
        if spelled.startswith(_DISTROLESS):
            return "nonroot" not in (base.tag or "")
        return base.registry is None and "/" not in base.name and not base.is_windows

    def lacks_tools(self) -> str | None:
        """'scratch' or 'distroless' when the image has no shell or common tools, else None."""
        base = self.base
        if base is None or base.unresolved:
            return None
        if base.is_scratch:
            return "scratch"
        spelled = f"{base.registry}/{base.name}" if base.registry else base.name
        if spelled.startswith(_DISTROLESS) and "debug" not in (base.tag or ""):
            return "distroless"
        return None


def runtime(links: ImageLinks, link: Link) -> Runtime:
    out = Runtime(link)
    stage: Stage | None = link.stage
    seen: set[int] = set()
    while stage is not None and id(stage) not in seen:
        for s in stage.lineage():
            if id(s) in seen:
                break
            seen.add(id(s))
            out.stages.append(s)
        bottom = out.stages[-1]
        below = links.base_link(bottom)
        out.base = bottom.base
        stage = below.stage if below is not None else None
    for s in reversed(out.stages):
        cmd_here = False
        for inst in s.instructions:
            name = inst.name
            if name == "USER":
                out.user = inst
            elif name == "ENTRYPOINT":
                out.entrypoint = inst
                if not cmd_here:
                    out.cmd = None
            elif name == "CMD":
                out.cmd, cmd_here = inst, True
            elif name == "HEALTHCHECK":
                none = inst.value.strip().upper() == "NONE"
                out.healthcheck = None if none else inst
            elif name == "WORKDIR":
                out.workdir = inst
            elif name == "EXPOSE":
                out.expose.append(inst)
            elif name == "VOLUME":
                out.volumes.append(inst)
            elif name in ("COPY", "ADD"):
                out.copies.append(inst)
    return out


def image_runtime(links: ImageLinks, link: Link) -> Runtime:
    """runtime(), once per link and scan."""
    cache = links.scan.cached("image-runtimes", lambda scan: {})
    if link not in cache:
        cache[link] = runtime(links, link)
    return cache[link]
