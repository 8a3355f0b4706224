"""What the Dockerfile checks share: the scan's Dockerfiles, the stages that reach the image, and
findings placed on an instruction or a word inside it."""

from __future__ import annotations

from typing import Iterator

from kubelint.findings import Finding
from kubelint.model.dockerfile import Dockerfile, Instruction, Stage, Word
from kubelint.ruleapi.context import CheckContext


def dockerfiles(ctx: CheckContext) -> Iterator[Dockerfile]:
    """The scan's Dockerfiles, with --target applied (the parser may not have known it)."""
    target = ctx.scan.options.target
    for df in ctx.scan.dockerfiles:
        ctx.in_file(df.source.display)
        if target and not df.target:
            df.target = target
        yield df


def runtime_stages(df: Dockerfile) -> list[Stage]:
    """The final stage and the stages it is built FROM: what ends up in the image."""
    final = df.final_stage
    return final.lineage() if final is not None else []


def at(ctx: CheckContext, rule: str, inst: Instruction, message: str,
       where: tuple[int, int] | None = None, width: int = 0) -> Finding | None:
    """A finding on an instruction (or a place inside it), tagged with the instruction's stage."""
    line, column = where or (inst.line, inst.column)
    stage = inst.stage
    return ctx.file_finding(
        rule, inst.stage.dockerfile.file if stage and stage.dockerfile else _file(ctx, inst), line, column,
        message, end_line=line if width else None, end_column=column + width if width else None,
        obj=stage.ref if stage else None, path=stage.name if stage else None)


def at_word(ctx: CheckContext, rule: str, inst: Instruction, word: Word, message: str) -> Finding | None:
    return at(ctx, rule, inst, message, (word.line, word.column), len(word.raw))


def _file(ctx: CheckContext, inst: Instruction) -> str:
    for df in ctx.scan.dockerfiles:
        if any(i is inst or i.inner is inst for i in df.instructions):
            return df.file
    return ""


def runs(stage: Stage, onbuild: bool = True) -> Iterator[Instruction]:
    """RUN instructions of a stage (those inside ONBUILD too when asked)."""
    for inst in stage.instructions:
        if inst.name == "RUN":
            yield inst
        elif onbuild and inst.inner is not None and inst.inner.name == "RUN":
            yield inst.inner
