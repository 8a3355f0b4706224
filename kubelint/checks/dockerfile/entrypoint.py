"""CMD and ENTRYPOINT semantics: Docker runs shell-form ones as `/bin/sh -c "..."`, only the last
of each counts, and ENTRYPOINT decides what happens to CMD."""

from __future__ import annotations

from kubelint.ruleapi.context import CheckContext
from kubelint.checks.dockerfile.base import at, dockerfiles, runtime_stages
from kubelint.ruleapi.registry import check

_NO_EFFECT_IN_BUILD = ("CMD", "ENTRYPOINT", "EXPOSE", "HEALTHCHECK")


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
))
def run(ctx: CheckContext):
    for df in dockerfiles(ctx):
        runtime = runtime_stages(df)
        runtime_ids = {id(s) for s in runtime}
        for stage in df.stages:
            for name, rule in (("CMD", "multiple-cmd"), ("ENTRYPOINT", "multiple-entrypoint"),
                               ("HEALTHCHECK", "multiple-healthcheck")):
                found = stage.find(name)
                last = found[-1] if found else None
                for inst in found[:-1]:
                    yield at(ctx, rule, inst, f"{name} on line {inst.line} has no effect: "
                             f"only the last {name} of a stage counts (line {last.line})")
            if id(stage) not in runtime_ids and not stage.is_implicit and len(df.stages) > 1:
                for inst in stage.instructions:
                    if inst.name in _NO_EFFECT_IN_BUILD:
                        yield at(ctx, "cmd-in-build-stage", inst,
                                 f"{inst.name} in build stage {stage.label} has no effect: "
                                 f"the image is built from stage {df.final_stage.label}")
        final = df.final_stage
        if final is None:
            continue
        for stage in runtime:
            for inst in stage.instructions:
                if inst.name in ("CMD", "ENTRYPOINT") and inst.form == "shell" and inst.is_posix_shell \
                        and inst.value and not _starts_with_exec(inst):
                    yield at(ctx, "shell-form-cmd", inst,
                             f"shell-form {inst.name} runs under '/bin/sh -c', so the shell is PID 1 and "
                             f"SIGTERM never reaches the program: use the exec form "
                             f"{inst.name} [\"executable\", \"arg\", ...]")
        entrypoint = final.last("ENTRYPOINT")
        cmd = final.last("CMD")
        if cmd is not None and entrypoint is not None and cmd.index < entrypoint.index \
                and cmd.stage is not entrypoint.stage:
            cmd = None  # an ENTRYPOINT in a later stage resets the inherited CMD
        if entrypoint is not None and entrypoint.form == "shell" and entrypoint.value:
            what = f"CMD (line {cmd.line}) and `docker run` arguments" if cmd else "`docker run` arguments"
            yield at(ctx, "cmd-ignored", entrypoint,
                     f"shell-form ENTRYPOINT ignores {what}: use the exec form ENTRYPOINT [\"...\"]")
        if entrypoint is not None and entrypoint.form == "exec" and cmd is not None and cmd.form == "shell":
            yield at(ctx, "entrypoint-cmd-mismatch", cmd,
                     f"exec-form ENTRYPOINT (line {entrypoint.line}) receives this shell-form CMD as "
                     f"the arguments '/bin/sh' '-c' '{cmd.value}': write CMD as a JSON array")
