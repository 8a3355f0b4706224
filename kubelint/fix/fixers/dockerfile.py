"""Fixes of Dockerfile findings, by instruction and word spans: continuation lines, comments,
heredocs, the escape directive and indentation around an edit stay as they are."""

from __future__ import annotations

import ast
import json
import re

from kubelint.fix.context import FixContext
from kubelint.fix.edits import SAFE, UNSAFE, Edit
from kubelint.fix.registry import fixer
from kubelint.model.dockerfile import DEFAULT_SHELL, Command, Instruction, Word


def _word_end(ctx: FixContext, word: Word) -> int | None:
    """The offset just after a word, when it is written on one line as parsed."""
    start = ctx.offset(word.line, word.column)
    end = start + len(word.raw)
    return end if ctx.text[start:end] == word.raw else None


def _insert_after(ctx: FixContext, word: Word | None, text: str) -> list[Edit] | None:
    if word is None:
        return None
    end = _word_end(ctx, word)
    return None if end is None else [Edit(end, end, text)]


def _word(cmd: Command, text: str) -> Word | None:
    """The first word (after the program) reading `text`."""
    return next((w for w in cmd.words[1:] if w.text == text), None)


def _inst_span(ctx: FixContext, inst: Instruction) -> tuple[int, int]:
    return ctx.offset(inst.line, inst.column), ctx.offset(inst.end_line, inst.end_column)


def _keyword(inst: Instruction, name: str) -> str:
    """A keyword written the way the file writes this instruction's (`run` stays lower case)."""
    return name.lower() if inst.keyword.islower() else name


# --- safe ---------------------------------------------------------------------------------------


@fixer("maintainer-deprecated", applicability=SAFE)
def maintainer(ctx: FixContext):
    """MAINTAINER x -> LABEL org.opencontainers.image.authors="x" (what `docker inspect` shows
    as the author moves to the label the OCI spec defines for it)."""
    inst = ctx.instruction()
    if inst is None or inst.name != "MAINTAINER" or not inst.value.strip() or inst.end_line != inst.line:
        return None
    value = inst.value.strip()
    if ctx.dockerfile is None or ctx.dockerfile.escape != "\\":
        if re.search(r"[\"$`\\]", value):
            return None
        quoted = value
    else:
        quoted = re.sub(r'(["\\$])', r"\\\1", value)
    start, end = _inst_span(ctx, inst)
    return [Edit(start, end, f'{_keyword(inst, "LABEL")} org.opencontainers.image.authors="{quoted}"')]


@fixer("apt-get-no-y", applicability=SAFE)
def apt_get_yes(ctx: FixContext):
    found = ctx.command()
    return None if found is None else _insert_after(ctx, _word(found[1], "install"), " -y")


@fixer("yum-no-y", applicability=SAFE)
def yum_yes(ctx: FixContext):
    found = ctx.command()
    if found is None:
        return None
    cmd = found[1]
    if cmd.program == "zypper":  # a global option: before the subcommand
        return _insert_after(ctx, cmd.words[0], " --non-interactive")
    sub = cmd.subcommand
    return None if sub is None else _insert_after(ctx, _word(cmd, sub), " -y")


@fixer("apk-no-cache", applicability=SAFE)
def apk_no_cache(ctx: FixContext):
    found = ctx.command()
    return None if found is None else _insert_after(ctx, _word(found[1], "add"), " --no-cache")


_ARCHIVE = re.compile(r"\.(tar|tgz|tbz2?|txz|tzst|gz|bz2|xz|zst|lz4|lzma|zip)$", re.I)


@fixer("add-instead-of-copy", applicability=SAFE)
def add_to_copy(ctx: FixContext):
    """ADD -> COPY when every source is a local file that is not an archive (COPY does the same
    for those) and no flag COPY lacks is used."""
    inst = ctx.instruction()
    if inst is None or inst.name != "ADD" or any(name in ("checksum", "keep-git-dir", "unpack")
                                                 for name, _, _ in inst.flag_list):
        return None
    sources = inst.args[:-1] if not inst.heredocs else [a for a in inst.args[:-1] if not a.startswith("<<")]
    if any("://" in s or s.startswith("git@") or _ARCHIVE.search(s) or "$" in s for s in sources):
        return None
    start = ctx.offset(inst.line, inst.column)
    if ctx.text[start:start + len(inst.keyword)] != inst.keyword:
        return None
    return [Edit(start, start + len(inst.keyword), _keyword(inst, "COPY"))]


# --- unsafe -------------------------------------------------------------------------------------


@fixer("apt-get-recommends", applicability=UNSAFE)
def apt_no_recommends(ctx: FixContext):
    """A package that only came as a recommendation may be one the image needs."""
    found = ctx.command()
    return None if found is None else _insert_after(ctx, _word(found[1], "install"), " --no-install-recommends")


# Shell syntax that the exec form would pass to the program literally.
_SHELL_SYNTAX = re.compile(r"[\s$`'\"\\*?\[\]{}~;&|<>()#]")


@fixer("shell-form-cmd", applicability=UNSAFE)
def exec_form(ctx: FixContext):
    """`CMD python app.py` -> `CMD ["python", "app.py"]` when the command has no shell syntax
    (variables, quotes, globs, operators) the exec form would not interpret. Unsafe: the program
    runs without a shell (no PATH lookup differences, but no /bin/sh either) and becomes PID 1."""
    inst = ctx.instruction()
    if inst is None or inst.form != "shell" or inst.heredocs or len(inst.commands) != 1:
        return None
    cmd = inst.commands[0]
    if cmd.assignments or cmd.redirects or cmd.subshell or cmd.wrapped_by:
        return None
    if any(w.raw != w.text or _SHELL_SYNTAX.search(w.text) for w in cmd.words):
        return None
    if inst.value.split() != [w.text for w in cmd.words]:
        return None
    line, column = inst.value_pos(0)
    start = ctx.offset(line, column)
    _, end = _inst_span(ctx, inst)
    return [Edit(start, end, json.dumps([w.text for w in cmd.words]))]


@fixer("exec-form-invalid-json", applicability=UNSAFE)
def exec_json(ctx: FixContext):
    """`CMD ['a', 'b']` -> `CMD ["a", "b"]`: when the text reads as a list of strings with
    other quotes, that list is what was meant. Unsafe: Docker ran it through /bin/sh until now."""
    inst = ctx.instruction()
    if inst is None or not inst.json_error or inst.heredocs:
        return None
    value = inst.value.strip()
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(parsed, list) or not parsed or not all(isinstance(a, str) for a in parsed):
        return None
    line, column = inst.value_pos(inst.value.index(value[0]))
    start = ctx.offset(line, column)
    _, end = _inst_span(ctx, inst)
    if ctx.text[start:end].rstrip() != value:  # a continuation line inside: leave it
        return None
    return [Edit(start, start + len(value), json.dumps(parsed))]


_CLEANUP = {
    "apt-lists": "rm -rf /var/lib/apt/lists/*",
    "zypper": "zypper clean --all",
    "yarn": "yarn cache clean",
    "npm": "npm cache clean --force",
}


@fixer("cache-not-cleaned", applicability=UNSAFE)
def clean_cache(ctx: FixContext):
    """The cleanup at the end of the same RUN (pip: --no-cache-dir). Unsafe: a later RUN that
    counts on the cache (apt-get install without its own update) would fail."""
    found = ctx.command()
    if found is None:
        return None
    inst, cmd = found
    if ctx.variant == "pip":
        return _insert_after(ctx, _word(cmd, "install"), " --no-cache-dir")
    cleanup = _CLEANUP.get(ctx.variant or "")
    if ctx.variant is None:
        program = ctx.values.get("program")
        if program not in ("yum", "dnf", "microdnf", "tdnf"):
            return None
        cleanup = f"{program} clean all"
    if cleanup is None or inst.form != "shell" or inst.heredocs or inst.parent is not None:
        return None
    if ctx.variant == "apt-lists" and (_later_apt_install(inst) or _earlier_apt_update(inst)
                                       or "dist-clean" in inst.value):
        return None
    script = inst.value.rstrip()
    if not script or script[-1] in "&|\\" or script.endswith(("then", "do", "{", "(")):
        return None
    joiner = " " if script.endswith(";") else " && "
    _, end = _inst_span(ctx, inst)
    if ctx.text[:end].rstrip() != ctx.text[:end] or not ctx.text[:end].endswith(script[-1]):
        return None
    return [Edit(end, end, joiner + cleanup)]


def _earlier_apt_update(inst: Instruction) -> bool:
    """An earlier RUN (of this stage or those it is built on) fetched the lists: removing them
    here would delete another layer's files, which does not shrink the image (layer-delete)."""
    if inst.stage is None:
        return True
    for stage in inst.stage.lineage():
        for earlier in stage.instructions:
            if earlier.name == "RUN" and (stage is not inst.stage or earlier.index < inst.index) and any(
                    c.program in ("apt-get", "apt") and c.subcommand == "update" for c in earlier.commands):
                return True
    return False


def _later_apt_install(inst: Instruction) -> bool:
    """A later RUN of the stage installs with apt without updating first: it needs the lists."""
    stage = inst.stage
    if stage is None:
        return True
    for later in stage.instructions:
        if later.index <= inst.index or later.name != "RUN":
            continue
        updated = False
        for cmd in later.commands:
            if cmd.program in ("apt-get", "apt") and cmd.subcommand == "update":
                updated = True
            if cmd.program in ("apt-get", "apt") and cmd.subcommand == "install" and not updated:
                return True
    return False


# Base images known to ship bash (their Alpine, BusyBox and distroless variants do not).
_BASH_IMAGES = frozenset({"debian", "ubuntu", "python", "node", "golang", "ruby", "php", "perl", "openjdk",
                          "eclipse-temurin", "amazoncorretto", "maven", "gradle", "rust", "centos", "fedora",
                          "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "buildpack-deps", "gcc",
                          "elixir", "erlang", "haskell", "julia", "r-base", "swift", "bash"})


@fixer("pipefail", applicability=UNSAFE)
def pipefail(ctx: FixContext):
    """`SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the stage's first RUN with a pipe,
    when the stage's base image is known to ship bash. Unsafe: every later RUN (and shell-form
    CMD) of the stage runs under bash and fails on a failing pipe."""
    inst = ctx.instruction()
    if inst is None or inst.stage is None or inst.parent is not None:
        return None
    base = inst.stage.root_image()
    if base is None or base.unresolved or base.short_name not in _BASH_IMAGES or base.registry not in (
            None, "docker.io", "index.docker.io") or any(t in (base.tag or "") for t in ("alpine", "busybox")):
        return None
    first = next((i for i in inst.stage.instructions if i.name == "RUN" and i.parent is None
                  and any(c.operator == "|" for c in i.commands)), None)
    if first is None or first.shell != DEFAULT_SHELL:
        return None
    start = ctx.offset(first.line, first.column)
    line_start = ctx.index.line_start(start)
    indent = ctx.text[line_start:start]
    if indent.strip():
        return None
    return [Edit(line_start, line_start, f'{indent}{_keyword(first, "SHELL")} ["/bin/bash", "-o", "pipefail", "-c"]'
                 + ctx.newline)]


@fixer("env-legacy-form", applicability=SAFE)
def env_key_value(ctx: FixContext):
    """`ENV NAME World` -> `ENV NAME=World`, `ENV A b c` -> `ENV A="b c"`: the legacy form's value
    is the rest of the line as written, which the new form reads the same when it holds no
    quotes, escapes or line continuations."""
    inst = ctx.instruction()
    if inst is None or inst.name != "ENV" or inst.end_line != inst.line:
        return None
    key, _, value = inst.value.partition(" ")
    value = value.strip(" \t")
    if not key or "=" in key or not value or re.search(r"[\"'\\`\t]", value):
        return None
    start = ctx.offset(*inst.value_pos(0))
    _, end = _inst_span(ctx, inst)
    written = ctx.text[start:end]
    if not written.startswith(key) or written.rstrip() != inst.value.rstrip():
        return None
    quoted = f'"{value}"' if " " in value else value
    return [Edit(start, start + len(written.rstrip()), f"{key}={quoted}")]
