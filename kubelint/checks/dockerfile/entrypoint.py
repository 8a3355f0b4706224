"""CMD and ENTRYPOINT semantics: Docker runs shell-form ones as `/bin/sh -c "..."`, only the last
of each counts, and ENTRYPOINT decides what happens to CMD."""

from __future__ import annotations

from kubelint.checks.dockerfile.base import STAGE_VALUES, at, dockerfiles, instructions, runtime_stages
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

_ONLY_LAST = ("multiple-cmd", "multiple-entrypoint", "multiple-healthcheck")


def _starts_with_exec(inst) -> bool:
    cmds = inst.commands
    return bool(cmds) and (cmds[0].wrapped_by[:1] == ["exec"] or cmds[0].program == "exec")


@check("dockerfile-entrypoint", rules=(
    "cmd-ignored",
    "cmd-in-build-stage",
    "entrypoint-cmd-mismatch",
    "multiple-cmd",
    "multiple-entrypoint",
    "multiple-healthcheck",
    "shell-form-cmd",
), fills=(*STAGE_VALUES, "ignored_line", "last_line", "final", "cmd_line", "entrypoint_line", "command"))
def run(ctx: CheckContext):
    # Which instructions each rule is about comes from the rule files' `instructions:`.
    only_last = [(name, rule) for rule in _ONLY_LAST for name in sorted(instructions(ctx, rule))]
    no_effect_in_build = instructions(ctx, "cmd-in-build-stage")
    shell_form = instructions(ctx, "shell-form-cmd")
    for df in dockerfiles(ctx):
        final = df.final_stage
        if final is None:
            continue
        runtime = runtime_stages(df)
        runtime_ids = {id(s) for s in runtime}
        for stage in df.stages:
            for name, rule in only_last:
                found = stage.find(name)
                for inst in found[:-1]:
                    yield at(ctx, rule, inst, ignored_line=inst.line, last_line=found[-1].line)
            if id(stage) not in runtime_ids and not stage.is_implicit and len(df.stages) > 1:
                for inst in stage.instructions:
                    if inst.name in no_effect_in_build:
                        yield at(ctx, "cmd-in-build-stage", inst, final=final.label)
        for stage in runtime:
            for inst in stage.instructions:
                if inst.name in shell_form and inst.form == "shell" and inst.is_posix_shell \
                        and inst.value and not _starts_with_exec(inst):
                    yield at(ctx, "shell-form-cmd", inst)
        entrypoint = final.last("ENTRYPOINT")
        cmd = final.last("CMD")
        if cmd is not None and entrypoint is not None and cmd.index < entrypoint.index \
                and cmd.stage is not entrypoint.stage:
            cmd = None  # an ENTRYPOINT in a later stage resets the inherited CMD
        if entrypoint is not None and entrypoint.form == "shell" and entrypoint.value:
            if cmd is not None:
                yield at(ctx, "cmd-ignored", entrypoint, variant="with-cmd", cmd_line=cmd.line)
            else:
                yield at(ctx, "cmd-ignored", entrypoint)
        if entrypoint is not None and entrypoint.form == "exec" and cmd is not None and cmd.form == "shell":
            yield at(ctx, "entrypoint-cmd-mismatch", cmd, entrypoint_line=entrypoint.line, command=cmd.value)
