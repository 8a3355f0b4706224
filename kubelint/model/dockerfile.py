"""A Dockerfile as rules see it: stages, instructions with positions, base images, variables.

Built by kubelint.parse.dockerfile; rules read it and never re-parse text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterator

from kubelint.findings import ObjectRef
from kubelint.model.numbers import small_int
from kubelint.model.source import SourceFile

INSTRUCTIONS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})
# Shells whose scripts we split into commands; anything else (powershell, cmd) stays opaque.
POSIX_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
DEFAULT_SHELL = ("/bin/sh", "-c")
WINDOWS_SHELL = ("cmd", "/S", "/C")


@dataclass
class Heredoc:
    """`<<EOF` ... `EOF`: its body lines as written (tabs stripped for `<<-`)."""

    name: str
    body: str
    first_line: int  # first body line (1-based); == end_line when the body is empty
    end_line: int  # the terminator's line (last line of the file when unterminated)
    strip_tabs: bool = False
    quoted: bool = False  # `<<"EOF"`: no variable expansion in the body
    terminated: bool = True
    stripped: list[int] = field(default_factory=list)  # tabs removed per body line (`<<-`), for columns


@dataclass
class ImageRef:
    """An image reference split the way Docker normalises it."""

    raw: str
    registry: str | None = None  # None = Docker Hub
    name: str = ""  # repository path without registry: "library/python" is "python"
    tag: str | None = None
    digest: str | None = None
    unresolved: bool = False  # still holds a $VARIABLE (a build arg without default)

    @classmethod
    def parse(cls, raw: str, unresolved: bool = False) -> "ImageRef":
        rest, digest = raw, None
        if "@" in rest:
            rest, digest = rest.split("@", 1)
        registry = None
        first, sep, remainder = rest.partition("/")
        if sep and ("." in first or ":" in first or first == "localhost"):
            registry, rest = first, remainder
        tag = None
        last_slash = rest.rfind("/")
        colon = rest.rfind(":")
        if colon > last_slash:
            rest, tag = rest[:colon], rest[colon + 1:]
        if rest.startswith("library/") and registry in (None, "docker.io", "index.docker.io"):
            rest = rest[len("library/"):]
        return cls(raw=raw, registry=registry, name=rest.lower(), tag=tag, digest=digest,
                   unresolved=unresolved)

    @property
    def is_scratch(self) -> bool:
        return self.name == "scratch" and self.registry is None

    @property
    def short_name(self) -> str:
        """Last path component: "python" for "docker.io/library/python"."""
        return self.name.rsplit("/", 1)[-1]

    @property
    def is_windows(self) -> bool:
        return any(w in self.name for w in ("windows", "nanoserver", "servercore"))


@dataclass
class Word:
    """One shell word: its text with quotes removed, and where it starts in the script."""

    text: str
    raw: str
    offset: int
    line: int = 0
    column: int = 0


@dataclass
class Command:
    """One simple command of a RUN script: `apt-get install -y curl`."""

    words: list[Word]  # program first; assignments and redirections removed
    operator: str | None = None  # the separator before it: && || ; | & newline; None for the first
    assignments: dict[str, str] = field(default_factory=dict)  # FOO=bar before the program
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (">", "/etc/hosts")
    line: int = 0
    column: int = 0
    subshell: bool = False  # came from `sh -c '...'` or `$(...)`
    wrapped_by: list[str] = field(default_factory=list)  # sudo / env / xargs ... stripped off
    # `$(...)` splitter (kubelint.parse.shell.substitution_commands), installed by the parse layer.
    split_substitutions: ClassVar[Callable[[str, Callable[[int], tuple[int, int]]], list[list[Command]]] | None] = None

    @property
    def program(self) -> str:
        """Program name without its directory: `/usr/bin/apt-get` → `apt-get`."""
        return self.words[0].text.rsplit("/", 1)[-1] if self.words else ""

    @property
    def args(self) -> list[str]:
        return [w.text for w in self.words[1:]]

    @property
    def flags(self) -> list[str]:
        """Arguments that look like options (-y, --no-cache, --opt=value)."""
        return [a for a in self.args if a.startswith("-") and a != "-"]

    def positional(self) -> list[str]:
        """Arguments that are not flags (the package list, the subcommand...)."""
        return [a for a in self.args if not a.startswith("-")]

    @property
    def subcommand(self) -> str | None:
        pos = self.positional()
        return pos[0] if pos else None

    def has_flag(self, *names: str) -> bool:
        """True when any of the flags is given: long ones exactly or as `--name=value`,
        one-letter ones also inside a cluster like `-qy`."""
        for arg in self.args:
            if arg == "--":
                break
            for name in names:
                if arg == name or (name.startswith("--") and arg.startswith(name + "=")):
                    return True
                if (len(name) == 2 and name[0] == "-" and name[1] != "-" and len(arg) > 2
                        and arg[0] == "-" and arg[1] != "-" and arg[1:].isalpha() and name[1] in arg[1:]):
                    return True
        return False

    def flag_value(self, *names: str) -> str | None:
        """The value of an option: `--output F`, `--output=F`, `-o F`, and a one-letter option at
        the end of a cluster (`-fsSLo F`) or with its value glued on (`-qO-`, `-oF`)."""
        args = self.args
        for i, arg in enumerate(args):
            for name in names:
                if arg.startswith(name + "="):
                    return arg[len(name) + 1:]
                if arg == name and i + 1 < len(args):
                    return args[i + 1]
                if len(name) == 2 and name[1] != "-" and arg.startswith("-") and not arg.startswith("--"):
                    at = arg.find(name[1], 1)
                    if at > 0 and arg[1:at].isalpha():
                        if at == len(arg) - 1:
                            return args[i + 1] if i + 1 < len(args) else None
                        return arg[at + 1:]
        return None

    def substitutions(self) -> list[list["Command"]]:
        """The commands of each `$(...)` in its words and assignments (positions: this command)."""
        split = Command.split_substitutions
        if split is None:
            raise RuntimeError("no shell splitter: Commands are built by kubelint.parse.shell")
        here = (self.line, self.column)
        texts = [*(w.text for w in self.words), *self.assignments.values()]
        return [cmds for text in texts if "$(" in text or "`" in text
                for cmds in split(text, lambda _o: here)]

    def word_at(self, text: str) -> Word | None:
        for w in self.words:
            if w.text == text:
                return w
        return None

    def __str__(self) -> str:
        return " ".join(w.raw for w in self.words)


@dataclass(eq=False)
class Instruction:
    """One instruction, with its flags and arguments, where it is, and the stage it belongs to."""

    name: str  # upper case: RUN
    keyword: str  # as written: run
    value: str  # the text after the keyword and the flags (continuations joined)
    line: int
    column: int
    end_line: int
    end_column: int
    index: int = 0  # position in Dockerfile.instructions
    flags: dict[str, str | bool] = field(default_factory=dict)
    flag_list: list[tuple[str, str | bool, int]] = field(default_factory=list)  # (name, value, offset)
    args: list[str] = field(default_factory=list)
    arg_offsets: list[int] = field(default_factory=list)  # where each arg starts in `value` (not exec form)
    # ENV/ARG/LABEL: (key, value or None, offset of the key in `value`)
    pairs: list[tuple[str, str | None, int]] = field(default_factory=list)
    form: str | None = None  # exec | shell for RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK, else None
    json_error: bool = False  # looked like exec form (`[...`) but is not a JSON string array
    heredocs: list[Heredoc] = field(default_factory=list)
    stage: "Stage | None" = None
    parent: "Instruction | None" = None  # the ONBUILD around this one
    inner: "Instruction | None" = None  # for ONBUILD: the instruction it wraps
    shell: tuple[str, ...] = DEFAULT_SHELL  # the SHELL in force (RUN/CMD/ENTRYPOINT shell form)
    vars: Mapping[str, str] = field(default_factory=dict)  # ARG/ENV values in force (before this one)
    _text: str = field(default="", repr=False)  # the logical line from the keyword on
    _value_offset: int = field(default=0, repr=False)
    _cmd_offset: int = field(default=0, repr=False)  # where the shell script starts in `value`
    _segments: list[tuple[int, int, int]] = field(default_factory=list, repr=False)  # (offset, line, col)
    _commands: list[Command] | None = field(default=None, repr=False)
    # The shell splitter (kubelint.parse.shell.split_commands), installed by the parser that builds
    # instructions: the model describes commands, parsing them is the parse layer's job.
    split_commands: ClassVar[Callable[[Instruction], list[Command]] | None] = None
    _seg_starts: list[int] | None = field(default=None, repr=False)  # built once by pos()

    # -- positions -------------------------------------------------------------------------
    def pos(self, offset: int) -> tuple[int, int]:
        """(line, column) of a character of the logical line (offset from the keyword)."""
        segs = self._segments
        if not segs:
            return self.line, self.column + offset
        if len(segs) == 1:
            i = 0
        else:
            # The segment starts once per instruction, not per call: a RUN of 10,000
            # continuation lines asks for thousands of positions.
            if self._seg_starts is None or len(self._seg_starts) != len(segs):
                self._seg_starts = [s[0] for s in segs]
            i = max(bisect_right(self._seg_starts, offset) - 1, 0)
        start, line, col = segs[i]
        return line, col + (offset - start)

    def value_pos(self, offset: int = 0) -> tuple[int, int]:
        """(line, column) of a character of `value`."""
        return self.pos(self._value_offset + offset)

    def find(self, text: str, start: int = 0) -> tuple[int, int]:
        """Position of `text` in the value (the instruction's own position when absent)."""
        i = self.value.find(text, start)
        return self.value_pos(i) if i >= 0 else (self.line, self.column)

    def arg_pos(self, index: int) -> tuple[int, int]:
        """Position of args[index] (the instruction's position for exec form)."""
        if 0 <= index < len(self.arg_offsets):
            return self.value_pos(self.arg_offsets[index])
        return self.line, self.column

    def flag_pos(self, name: str) -> tuple[int, int]:
        for fname, _, offset in self.flag_list:
            if fname == name:
                return self.pos(offset)
        return self.line, self.column

    # -- meaning ---------------------------------------------------------------------------
    @property
    def is_posix_shell(self) -> bool:
        return bool(self.shell) and self.shell[0].rsplit("/", 1)[-1].lower() in POSIX_SHELLS

    @property
    def commands(self) -> list[Command]:
        """RUN (and shell-form CMD/ENTRYPOINT/HEALTHCHECK) split into simple commands;
        empty for exec form, non-POSIX shells and other instructions."""
        if self._commands is None:
            self._commands = []
            if self.form == "shell" and self.is_posix_shell and self.name in (
                    "RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"):
                if Instruction.split_commands is None:
                    raise RuntimeError("no shell splitter: Instructions are built by kubelint.parse.dockerfile")
                self._commands = Instruction.split_commands(self)
        return self._commands

    @property
    def is_onbuild(self) -> bool:
        return self.parent is not None

    @property
    def data(self) -> dict[str, Any]:
        """A plain view for the rule engine's condition language (applies-to: instructions)."""
        stage = self.stage
        return {
            "instruction": self.name,
            "value": self.value,
            "form": self.form,
            "flags": dict(self.flags),
            "args": list(self.args),
            "pairs": {k: v for k, v, _ in self.pairs},
            "heredoc": bool(self.heredocs),
            "onbuild": self.is_onbuild,
            "stage": stage.name if stage else None,
            "stage_index": stage.index if stage else None,
            "final": bool(stage and stage.is_final),
            "line": self.line,
            "column": self.column,
        }

    def __repr__(self) -> str:
        return f"<{self.name} line {self.line}>"


@dataclass(eq=False)
class Stage:
    """One FROM and the instructions under it."""

    index: int
    from_instr: Instruction | None  # None for a fragment without FROM
    base: ImageRef | None = None
    alias: str | None = None  # AS name, lower-cased like BuildKit does
    platform: str | None = None
    base_stage: "Stage | None" = None  # FROM an earlier stage
    instructions: list[Instruction] = field(default_factory=list)  # FROM excluded
    dockerfile: "Dockerfile | None" = field(default=None, repr=False)
    vars: Mapping[str, str] = field(default_factory=dict)  # ARG/ENV values at the end of the stage

    @property
    def name(self) -> str:
        return self.alias or str(self.index)

    @property
    def label(self) -> str:
        """How messages name the stage: 'builder', or #0 (FROM python:2.7-slim) when unnamed."""
        if self.alias:
            return f"'{self.alias}'"
        base = f" (FROM {self.base.raw})" if self.base is not None else ""
        return f"#{self.index}{base}"

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef("", "Stage", None, self.name)

    @property
    def is_final(self) -> bool:
        return self.dockerfile is not None and self.dockerfile.final_stage is self

    @property
    def is_implicit(self) -> bool:
        return self.from_instr is None

    def lineage(self) -> list["Stage"]:
        """This stage and the stages it is built FROM, nearest first."""
        out: list[Stage] = []
        seen: set[int] = set()
        stage: Stage | None = self
        while stage is not None and id(stage) not in seen:
            out.append(stage)
            seen.add(id(stage))
            stage = stage.base_stage
        return out

    def root_image(self) -> ImageRef | None:
        """The external image at the bottom of the FROM chain."""
        return self.lineage()[-1].base

    def find(self, *names: str, inherited: bool = False) -> list[Instruction]:
        """This stage's instructions with one of the names (with the parents' first when inherited)."""
        stages = reversed(self.lineage()) if inherited else (self,)
        return [i for s in stages for i in s.instructions if i.name in names]

    def last(self, name: str, inherited: bool = True) -> Instruction | None:
        found = self.find(name, inherited=inherited)
        return found[-1] if found else None


@dataclass(eq=False)
class Dockerfile:
    source: SourceFile
    instructions: list[Instruction] = field(default_factory=list)  # top level, in file order
    stages: list[Stage] = field(default_factory=list)
    comments: dict[int, str] = field(default_factory=dict)  # line → text after '#'
    directives: dict[str, tuple[str, int]] = field(default_factory=dict)  # name → (value, line)
    escape: str = "\\"
    global_args: dict[str, str] = field(default_factory=dict)  # ARGs before the first FROM
    target: str | None = None  # --target: the stage built instead of the last one

    @property
    def file(self) -> str:
        return self.source.display

    @property
    def final_stage(self) -> Stage | None:
        if self.target:
            for stage in self.stages:
                if stage.alias == self.target.lower():
                    return stage
        return self.stages[-1] if self.stages else None

    def stage_named(self, name: str, before: int | None = None) -> Stage | None:
        """A stage by alias or index, declared before stage `before` when given."""
        limit = len(self.stages) if before is None else before
        for stage in self.stages[:limit]:
            if stage.alias == name.lower() or stage.index == small_int(name):
                return stage
        return None

    def copy_source(self, inst: Instruction) -> "Stage | ImageRef | None":
        """What COPY/ADD --from=X reads: an earlier stage, else an external image (as Docker
        would pull it); None without --from or when X holds an unknown build arg."""
        name = inst.flags.get("from") if inst.name in ("COPY", "ADD") else None
        if not isinstance(name, str):
            return None
        resolved, unknown = expand(name, ChainMap(dict(inst.vars), self.global_args))
        if unknown:
            return None
        before = inst.stage.index if inst.stage is not None else None
        stage = self.stage_named(resolved, before=before)
        return stage if stage is not None else ImageRef.parse(resolved)

    def built_stages(self) -> list[Stage]:
        """Stages the final stage needs (FROM chains and COPY --from), final included."""
        final = self.final_stage
        if final is None:
            return []
        needed: set[int] = set()
        todo = [final]
        while todo:
            stage = todo.pop()
            if stage.index in needed:
                continue
            needed.add(stage.index)
            if stage.base_stage is not None:
                todo.append(stage.base_stage)
            for inst in stage.instructions:
                src = inst.flags.get("from") if inst.name in ("COPY", "ADD") else None
                if isinstance(src, str):
                    ref = self.stage_named(src, before=stage.index)
                    if ref is not None:
                        todo.append(ref)
        return [s for s in self.stages if s.index in needed]

    def all_instructions(self) -> Iterator[Instruction]:
        """Every instruction, the ones wrapped in ONBUILD included (right after their ONBUILD)."""
        for inst in self.instructions:
            yield inst
            if inst.inner is not None:
                yield inst.inner


_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


# The longest expansion kept: `ENV A=$A$A` thirty times would need gigabytes. A longer result is
# treated as unknown (rules skip it) and the parser reports the variable (expansion-limit).
MAX_EXPANDED = 64 * 1024


class _TooLong(Exception):
    pass


class VarsHistory:
    """The ARG/ENV assignments of a stage in order. Each instruction sees the values in force at
    its place as a VarsView (a version number into this history), not as a copy of the dict:
    10,000 `ENV Vi=x` lines copied the variables 10,000 times (5.8 s, 1.3 GB)."""

    def __init__(self, base: Mapping[str, str]):
        self.base = base  # what the stage starts with (the stage it is built FROM)
        self.version = 0
        self.changes: dict[str, tuple[list[int], list[str | None]]] = {}  # key -> (versions, values)

    def assign(self, values: Mapping[str, str | None]) -> None:
        """One instruction's assignments; None makes the variable unknown from here on."""
        self.version += 1
        for key, value in values.items():
            versions, found = self.changes.setdefault(key, ([], []))
            versions.append(self.version)
            found.append(value)

    def view(self) -> "VarsView":
        return VarsView(self, self.version)


class VarsView(Mapping):
    """The variables of a VarsHistory as they were at one version (read-only)."""

    __slots__ = ("history", "version")

    def __init__(self, history: VarsHistory, version: int):
        self.history, self.version = history, version

    def __getitem__(self, key: str) -> str:
        change = self.history.changes.get(key)
        if change is not None:
            i = bisect_right(change[0], self.version)
            if i:
                value = change[1][i - 1]
                if value is None:
                    raise KeyError(key)
                return value
        return self.history.base[key]

    def __iter__(self) -> Iterator[str]:
        for key in {**dict.fromkeys(self.history.base), **dict.fromkeys(self.history.changes)}:
            if key in self:
                yield key

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"VarsView({dict(self)!r})"


def expand(text: str, values: Mapping[str, str]) -> tuple[str, bool]:
    """Substitute $VAR / ${VAR} / ${VAR:-default} / ${VAR:+alt} the way Docker does for FROM,
    COPY, ENV...; returns the text and whether some variable stayed unknown (also when the
    result would pass MAX_EXPANDED characters: the text is then returned unexpanded)."""
    result, unknown = expand_limited(text, values)
    return (text, True) if result is None else (result, unknown)


def expand_limited(text: str, values: Mapping[str, str | None], limit: int = MAX_EXPANDED) -> tuple[str | None, bool]:
    """Like expand, with None for a result longer than `limit`; it stops as soon as the
    length passes it, so the cost stays linear in the text and the limit."""
    if "$" not in text:
        return text, False
    unknown = False
    length = len(text)

    def sub(m: re.Match) -> str:
        nonlocal unknown, length
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3) or ""
        val = values.get(name)
        if op in (":-", "-"):
            out = val if val or (op == "-" and val is not None) else word
        elif op in (":+", "+"):
            out = word if val or (op == "+" and val is not None) else ""
        elif val is None:
            unknown = True
            out = m.group(0)
        else:
            out = val
        length += len(out) - (m.end() - m.start())
        if length > limit:
            raise _TooLong
        return out

    try:
        return _VAR.sub(sub, text), unknown
    except _TooLong:
        return None, unknown
