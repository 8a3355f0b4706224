"""Where COPY and ADD take files from: the build context, URLs, other stages."""

from __future__ import annotations

import os
import re
from collections import ChainMap

from kubelint import probes
from kubelint.checks.dockerfile.base import STAGE_VALUES, at, dockerfiles, with_triggers
from kubelint.model.dockerfile import expand
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_GIT = re.compile(r"(^git@|\.git(#.*)?$|^git://)", re.I)
_ARCHIVE = re.compile(r"\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz|tzst)$", re.I)
_WHOLE_CONTEXT = (".", "./", "*", "./*")


@check("dockerfile-sources", rules=(
    "add-instead-of-copy",
    "add-remote-url",
    "copy-all-no-dockerignore",
    "copy-dest-not-dir",
    "copy-from-self",
    "copy-from-unknown-stage",
), fills=(*STAGE_VALUES, "count", "dest", "source", "sources", "source_stage", "image", "known", "later",
          "later_line", "checked"))
def run(ctx: CheckContext):
    for df in dockerfiles(ctx):
        ignore_checked = False
        for stage in df.stages:
            for inst in with_triggers(stage):
                if inst.name not in ("COPY", "ADD"):
                    continue
                sources = inst.args[:-1]
                dest = inst.args[-1] if inst.args else ""
                if inst.name == "ADD":
                    yield from _add(ctx, inst, sources)
                if len(sources) > 1 and not _is_directory(dest) and not inst.heredocs and "$" not in dest:
                    yield at(ctx, "copy-dest-not-dir", inst, inst.arg_pos(len(inst.args) - 1), len(dest),
                             count=len(sources), dest=dest)
                src_stage = inst.flags.get("from")
                if isinstance(src_stage, str):
                    yield from _copy_from(ctx, df, stage, inst, src_stage)
                elif any(s in _WHOLE_CONTEXT for s in sources) and not ignore_checked:
                    ignore_checked = True
                    checked = _dockerignore_missing(df)
                    if checked:
                        i, src = next((i, s) for i, s in enumerate(sources) if s in _WHOLE_CONTEXT)
                        yield at(ctx, "copy-all-no-dockerignore", inst, inst.arg_pos(i), len(src), source=src,
                                 checked=checked)


def _is_directory(dest: str) -> bool:
    """A destination that names a directory: a trailing / (or \\ on Windows), or . and .."""
    return dest.endswith(("/", "\\")) or dest in (".", "..")


def _add(ctx: CheckContext, inst, sources):
    local = []
    for i, src in enumerate(sources):
        if _URL.match(src) or _GIT.search(src):
            if not _GIT.search(src) and "checksum" not in inst.flags:
                yield at(ctx, "add-remote-url", inst, inst.arg_pos(i), len(src), source=src)
        elif not _ARCHIVE.search(src):
            local.append(src)
    if local:
        yield at(ctx, "add-instead-of-copy", inst, sources=local)
    elif inst.heredocs:
        yield at(ctx, "add-instead-of-copy", inst, variant="heredoc")


def _copy_from(ctx: CheckContext, df, stage, inst, name: str):
    resolved, unknown = expand(name, ChainMap(inst.vars, df.global_args))
    if unknown:
        return
    where, width = inst.flag_pos("from"), len("--from=" + name)
    if df.stage_named(resolved, before=stage.index) is not None:
        return
    later = df.stage_named(resolved)
    if later is stage:  # by its name or by its index
        yield at(ctx, "copy-from-self", inst, where, width, source_stage=name)
    elif later is not None:
        yield at(ctx, "copy-from-unknown-stage", inst, where, width, variant="declared-later", source_stage=name,
                 later=later.label, later_line=later.from_instr.line if later.from_instr else "?")
    elif resolved.isdigit() or not re.search(r"[:/@.]", resolved):
        known = [s.name for s in df.stages[:stage.index]]
        yield at(ctx, "copy-from-unknown-stage", inst, where, width, variant=None if known else "no-earlier-stage",
                 source_stage=name, image=resolved, known=known)


def _dockerignore_missing(df) -> list[str]:
    """The build contexts searched for a .dockerignore when none has one (empty when one has,
    or for standard input). The context is usually the Dockerfile's directory, but builds often
    run from a parent (`docker build -f app/Dockerfile .`): every directory up to the
    repository root (the one holding .git) counts; without a repository, only the Dockerfile's."""
    path = df.source.path
    if not path or path == "-":
        return []
    folder = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(path)
    # BuildKit also reads <Dockerfile>.dockerignore next to the Dockerfile.
    if probes.exists(os.path.join(folder, name + ".dockerignore")):
        return []
    candidates = [folder]
    parent = folder
    while not probes.exists(os.path.join(parent, ".git")):
        up = os.path.dirname(parent)
        if up == parent:
            candidates = [folder]  # no repository around it: its own directory only
            break
        parent = up
        candidates.append(parent)
    if any(probes.exists(os.path.join(c, ".dockerignore")) for c in candidates):
        return []
    return [_shown(c) for c in candidates]


def _shown(folder: str) -> str:
    rel = os.path.relpath(folder)
    return folder if rel.startswith("..") else rel
