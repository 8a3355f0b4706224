"""A probe, lifecycle hook or command that starts a shell or a common tool in an image that has
none: built FROM scratch, or on a distroless image (its `debug` tags excepted), and the
Dockerfile copies no file of that name into it. Only well-known tools are judged: an image's own
programs come from COPY lines whose destinations cannot always be told."""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.checks.images.base import LINK_VALUES, at_from, link_related, linked_containers, program, strings
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "image-missing-tool"
TOOLS = frozenset({
    "sh", "bash", "ash", "dash", "zsh", "ksh", "busybox", "curl", "wget", "nc", "netcat", "cat", "ls",
    "grep", "ps", "pgrep", "kill", "test", "sleep", "echo", "env", "pidof", "stat", "touch", "rm",
})


def _places(c, image) -> Iterator[tuple[tuple, list[str], str]]:
    """(path of the words, the words, what runs them) for everything the kubelet execs."""
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        words = strings(c.get(probe, "exec", "command"))
        if words:
            yield (probe, "exec", "command"), words, probe
    for hook in ("postStart", "preStop"):
        words = strings(c.get("lifecycle", hook, "exec", "command"))
        if words:
            yield ("lifecycle", hook, "exec", "command"), words, f"lifecycle.{hook}"
    command, args = strings(c.data.get("command")), strings(c.data.get("args"))
    if command:
        yield ("command",), command, "command"
    elif args and image.entrypoint is None:  # no ENTRYPOINT: the first arg is the program
        yield ("args",), args, "args"


def _added(image, tool: str) -> bool:
    """The Dockerfile copies a file of that name (or a whole bin directory) into the image."""
    for inst in image.copies:
        for arg in inst.args:
            name = arg.rstrip("/").rsplit("/", 1)[-1]
            if name == tool or name in ("bin", "sbin") or "busybox" in arg:
                return True
        source = inst.flags.get("from")
        if isinstance(source, str) and "busybox" in source:
            return True
    return False


@check("image-tools", rules=(RULE,), fills=LINK_VALUES + ("tool", "where", "base"))
def run(ctx: CheckContext):
    for item in linked_containers(ctx, RULE):
        kind = item.image.lacks_tools()
        if kind is None:
            continue
        c = item.container
        for path, words, where in _places(c, item.image):
            tool = program(words)
            if tool not in TOOLS or _added(item.image, tool):
                continue
            bottom = item.image.stages[-1]
            yield ctx.finding(RULE, item.obj, c.path + path + (0,), variant=kind, tool=tool, where=where,
                              base=bottom.base.raw if bottom.base is not None else kind,
                              related=[at_from(bottom, f"FROM {kind}: no {tool} in the image"),
                                       *link_related(item.link)],
                              **item.values())
