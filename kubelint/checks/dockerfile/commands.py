"""Recognising package managers and friends among a RUN's commands (shared by several checks)."""

from __future__ import annotations

import re

from kubelint.model.dockerfile import Command, Instruction

_PYTHON = re.compile(r"python[0-9.]*$")
_PIP = re.compile(r"pip[0-9.]*$")


def pip_args(cmd: Command) -> list[str] | None:
    """Arguments after `pip` for `pip ...`, `pip3 ...`, `python -m pip ...`; None otherwise."""
    if _PIP.match(cmd.program):
        return cmd.args
    if _PYTHON.match(cmd.program):
        args = cmd.args
        for i, a in enumerate(args[:-1]):
            if a == "-m" and _PIP.match(args[i + 1]):
                return args[i + 2:]
            if not a.startswith("-"):
                return None
    return None


def is_pip_install(cmd: Command) -> bool:
    args = pip_args(cmd)
    if not args:
        return False
    return next((a for a in args if not a.startswith("-")), None) == "install"


def apt_subcommand(cmd: Command) -> str | None:
    """`install` for `apt-get -y install x`, for apt-get and apt."""
    if cmd.program not in ("apt-get", "apt"):
        return None
    args = cmd.args
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-o", "-c", "-t", "--option", "--config-file", "--target-release"):
            i += 2
            continue
        if not a.startswith("-"):
            return a
        i += 1
    return None


def apt_packages(cmd: Command) -> list[tuple[int, str]]:
    """(word index, package) after `install`, options and their values skipped."""
    out, seen_sub, words = [], False, cmd.words
    i = 1
    while i < len(words):
        a = words[i].text
        if a in ("-o", "-c", "-t", "--option", "--config-file", "--target-release"):
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        if not seen_sub:
            seen_sub = True
        else:
            out.append((i, a))
        i += 1
    return out


def yum_like(cmd: Command) -> str | None:
    return cmd.program if cmd.program in ("yum", "dnf", "microdnf", "tdnf") else None


def apk_add(cmd: Command) -> bool:
    return cmd.program == "apk" and cmd.subcommand == "add"


def positional_after(cmd: Command, sub: str, value_flags: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(word index, arg) of positional args after the subcommand `sub`, skipping flag values."""
    out, seen, words = [], False, cmd.words
    i = 1
    while i < len(words):
        a = words[i].text
        if a.startswith("-"):
            i += 2 if a in value_flags else 1
            continue
        if not seen:
            seen = a == sub
        else:
            out.append((i, a))
        i += 1
    return out


def mount_targets(inst: Instruction) -> list[str]:
    """Where the RUN's cache and tmpfs mounts (`--mount=type=cache,target=/root/.cache/pip`) put
    a directory that does not end up in the layer."""
    out = []
    for name, value, _ in inst.flag_list:
        if name != "mount" or not isinstance(value, str):
            continue
        fields = {k: v for k, _, v in (f.partition("=") for f in value.split(","))}
        if fields.get("type") in ("cache", "tmpfs"):
            target = fields.get("target") or fields.get("dst") or fields.get("destination") or ""
            out.append(target.strip("\"'").rstrip("/") or "/")
    return out


def mounted(inst: Instruction, *dirs: str) -> bool:
    """A cache or tmpfs mount covers one of the directories (or a parent of it); `~/` in a
    directory stands for any home (/root, /home/NAME)."""
    for target in mount_targets(inst):
        home = re.match(r"^(~|/root|/home/[^/]+)(/.*)?$", target)
        short = "~" + (home.group(2) or "") if home else target
        for d in dirs:
            for t in (target, short):
                if t == d or d.startswith(t + "/"):
                    return True
    return False


def later_text(inst: Instruction, cmd: Command) -> str:
    """The commands that run after `cmd` in the same RUN, as written: a cleanup counts only
    after what it cleans up. The RUN's commands are joined once and each call slices that text:
    joining the rest anew for each command was quadratic (10,000 `&&` commands: 34 s)."""
    cached = inst.__dict__.get("_later_text")
    cmds = inst.commands
    if cached is None or cached[0] is not cmds:
        texts = [" ".join(w.raw for w in c.words) for c in cmds]
        starts, offset = {}, 0
        for c, text in zip(cmds, texts, strict=True):
            offset += len(text) + 1
            starts[id(c)] = offset  # where the commands after c begin
        cached = inst.__dict__["_later_text"] = (cmds, "\n".join(texts), starts)
    _, joined, starts = cached
    return joined[starts.get(id(cmd), len(joined)):]


# Builtins after which `NAME=value cmd` assignments stay set in the shell (POSIX special builtins).
_KEEPS_ASSIGNMENTS = frozenset({"", "set", "export", "readonly", ":", "true", "eval"})


def shell_variables(inst: Instruction, before: Command) -> dict[str, str]:
    """Variables the RUN's script sets before `before`: `DEPS='a b'`, `export DEPS=...`, and
    assignments in front of a special builtin (`buildDeps='...' set -x`)."""
    out: dict[str, str] = {}
    for cmd in inst.commands:
        if cmd is before:
            break
        if cmd.program in _KEEPS_ASSIGNMENTS or not cmd.words:
            out.update(cmd.assignments)
        if cmd.program in ("export", "readonly"):
            for arg in cmd.args:
                key, eq, value = arg.partition("=")
                if eq:
                    out[key] = value
    return out


def expand_word(text: str, variables: dict[str, str]) -> list[str] | None:
    """The words `$NAME` / `${NAME}` stands for when the script set NAME; None otherwise."""
    m = re.fullmatch(r"\$(?:\{(\w+)\}|(\w+))", text)
    if not m or (m.group(1) or m.group(2)) not in variables:
        return None
    return variables[m.group(1) or m.group(2)].split()
