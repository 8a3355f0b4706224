"""The container's `command`/`args` against the image's ENTRYPOINT and CMD: Kubernetes'
`command` replaces ENTRYPOINT (and drops CMD), `args` replaces CMD. Deliberately not reported:
a relative `command` path without `workingDir` (the image's WORKDIR applies, as intended)."""

from __future__ import annotations

from kubelint.checks.images.base import (
    LINK_VALUES,
    at_from,
    at_line,
    link_related,
    linked_containers,
    program,
    strings,
    where,
)
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

REPLACED, IGNORED, NO_COMMAND = "image-entrypoint-replaced", "image-args-ignored", "image-no-command"


@check("image-entrypoint", rules=(REPLACED, IGNORED, NO_COMMAND), fills=LINK_VALUES + ("entrypoint", "at"))
def run(ctx: CheckContext):
    for item in linked_containers(ctx, REPLACED, IGNORED, NO_COMMAND):
        c, image = item.container, item.image
        command, args = strings(c.data.get("command")), strings(c.data.get("args"))
        entry = image.entrypoint
        rel = link_related(item.link)
        if command is not None and entry is not None and entry.form == "exec" and entry.args:
            same = program(command) == program(entry.args)
            user_set = ctx.user_severity(REPLACED)
            yield ctx.finding(REPLACED, item.obj, c.path + ("command",), key=True,
                              variant="same-program" if same else None,
                              severity="info" if same and not user_set else None,
                              entrypoint=entry.value, at=where(entry),
                              related=[at_line(entry, "the ENTRYPOINT the command replaces"), *rel],
                              **item.values())
        if args is not None and command is None and entry is not None and entry.form == "shell":
            # decided by the command left out too (a patch's base may set one)
            yield ctx.finding(IGNORED, item.obj, c.path + ("args",), key=True, absent=True,
                              entrypoint=entry.value, at=where(entry),
                              related=[at_line(entry, "the shell-form ENTRYPOINT"), *rel], **item.values())
        if command is None and args is None and entry is None and image.cmd is None and image.complete:
            bottom = image.stages[-1]
            yield ctx.finding(NO_COMMAND, item.obj, c.path + ("image",), entrypoint="", at="", absent=True,
                              related=[at_from(bottom, "built FROM scratch, with no ENTRYPOINT or CMD"), *rel],
                              **item.values())
