"""What the Dockerfile checks share: the scan's Dockerfiles, the stages that reach the image, and
findings placed on an instruction or a word inside it.

Every finding made here carries the values its rule's message template may use besides the ones
the check passes: `instruction` (the instruction's name, which the engine also matches against
the rule's `instructions:`), `stage` (the stage's name: its alias, or its index) and `stage_label`
(how messages name the stage: 'builder', or #0 (FROM python:3.12) when unnamed). A check lists
`stage_label` in its `fills` through STAGE_VALUES.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.findings import Finding
from kubelint.model.dockerfile import Dockerfile, Instruction, Stage, Word
from kubelint.ruleapi.context import CheckContext

# Filled by `at` for every check of the family (`instruction` and `stage` are common values).
STAGE_VALUES = ("stage_label",)


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


def instructions(ctx: CheckContext, rule: str) -> set[str]:
    """The instructions a rule reports on, from its `instructions:` (empty when it is off), so a
    check does not repeat the list its rule file holds."""
    found = ctx.rules.get(rule)
    return set(found.instructions or ()) if found is not None else set()


def at(ctx: CheckContext, rule: str, inst: Instruction, where: tuple[int, int] | None = None,
       width: int = 0, *, variant: str | None = None, **values: Any) -> Finding | None:
    """A finding on an instruction (or a place inside it), tagged with the instruction's stage;
    its message is the rule's template (`variant` of it) filled with `values`."""
    line, column = where or (inst.line, inst.column)
    stage = inst.stage
    common = {"instruction": inst.name, "stage": stage.name if stage else None,
              "stage_label": stage.label if stage else None}
    return ctx.file_finding(
        rule, stage.dockerfile.file if stage and stage.dockerfile else _file(ctx, inst), line, column,
        end_line=line if width else None, end_column=column + width if width else None,
        obj=stage.ref if stage else None, path=stage.name if stage else None,
        variant=variant, **{**common, **values})


def at_word(ctx: CheckContext, rule: str, inst: Instruction, word: Word, *,
            variant: str | None = None, **values: Any) -> Finding | None:
    return at(ctx, rule, inst, (word.line, word.column), len(word.raw), variant=variant, **values)


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


def with_triggers(stage: Stage) -> Iterator[Instruction]:
    """A stage's instructions with each ONBUILD trigger right after its ONBUILD: a trigger is
    checked like the instruction it wraps, in the stage that declares it."""
    for inst in stage.instructions:
        yield inst
        if inst.inner is not None:
            yield inst.inner
