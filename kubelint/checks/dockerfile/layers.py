"""Image layers: what a RUN leaves behind, what it cannot really delete, and what must not be
baked in at all. Only stages that end up in the image (the final one and its FROM chain) count
for size; secrets count everywhere because build stages are cached and pushed too."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from kubelint.checks.dockerfile.base import STAGE_VALUES, at, at_word, dockerfiles, runtime_stages, with_triggers
from kubelint.checks.dockerfile.commands import (
    apk_add,
    apt_subcommand,
    is_pip_install,
    later_text,
    mounted,
    pip_args,
    yum_like,
)
from kubelint.model.dockerfile import Instruction, expand
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RUNTIME_FILES = ("/etc/hosts", "/etc/resolv.conf", "/etc/hostname")
_WRITERS = {"tee", "cp", "mv", "ln", "sed", "install", "truncate", "rm", "chattr"}
_SECRET_NAME = re.compile(r"(passw(or)?d|passwd|secret|token|api_?key|private_?key|access_?key|"
                          r"credential|auth_?key|client_?secret)", re.I)
_NOT_SECRET_SUFFIX = re.compile(r"_(file|path|dir|url|name|user|length|version|id)$", re.I)
_SECRET_FILES = re.compile(
    r"(^|/)(id_(rsa|dsa|ecdsa|ed25519)|\.env(\.[\w.-]+)?|\.npmrc|\.pypirc|\.netrc|\.git-credentials|"
    r"credentials(\.json)?|[\w.-]*\.(pem|key|p12|pfx|jks|keystore)|kubeconfig|\.dockercfg|"
    r"\.aws/credentials|\.docker/config\.json|service[-_]account[\w.-]*\.json)$", re.I)


@check("dockerfile-layers", rules=(
    "cache-not-cleaned",
    "layer-delete",
    "runtime-managed-file",
    "secret-in-layer",
), fills=(*STAGE_VALUES, "program", "subcommand", "target", "added_by", "added_line", "key", "source"))
def run(ctx: CheckContext):
    for df in dockerfiles(ctx):
        runtime = runtime_stages(df)
        for stage in df.stages:
            yield from _secrets(ctx, stage)
            for inst in with_triggers(stage):
                yield from _runtime_managed(ctx, inst)
        seen_added: list[tuple[str, Instruction]] = []
        for stage in reversed(runtime):  # base first: layers accumulate down the FROM chain
            workdir = "/"
            for inst in stage.instructions:
                if inst.name == "WORKDIR" and inst.value:
                    workdir = posixpath.join(workdir, expand(inst.value, inst.vars)[0])
                elif inst.name in ("COPY", "ADD") and len(inst.args) >= 2:
                    dest = posixpath.normpath(posixpath.join(workdir, expand(inst.args[-1], inst.vars)[0]))
                    for src in inst.args[:-1] or ["."]:
                        seen_added.append((_landing(src, dest, inst.args[-1], len(inst.args) > 2), inst))
                elif inst.name == "RUN":
                    yield from _deletes(ctx, inst, workdir, seen_added)
                    seen_added.extend((p, inst) for p in _created(inst, workdir))
                    yield from _caches(ctx, inst)
                elif inst.inner is not None and inst.inner.name == "RUN":
                    # An ONBUILD trigger runs in the images built FROM this one: judged like a RUN,
                    # in the stage that declares it (its files are not this image's layers).
                    yield from _caches(ctx, inst.inner)


# -- cache-not-cleaned -----------------------------------------------------------------------
def _caches(ctx: CheckContext, inst: Instruction):
    """One finding per package manager and RUN (the first command that leaves a cache)."""
    seen = set()
    for tool, f in _cache_findings(ctx, inst):
        if tool not in seen:
            seen.add(tool)
            yield f


def _cache_findings(ctx: CheckContext, inst: Instruction):
    """A cleanup counts only when it runs after the command that fills the cache, in the same RUN;
    a cache or tmpfs mount counts only when it covers that package manager's cache directory."""
    env = inst.vars
    exported = False
    for cmd in inst.commands:
        if cmd.program == "export" and any(a.split("=", 1)[0] == "PIP_NO_CACHE_DIR" for a in cmd.args):
            exported = True
        after = later_text(inst, cmd)
        sub = apt_subcommand(cmd)
        # `update` is what downloads the lists, so the cleanup belongs in its RUN.
        if sub == "update" and not mounted(inst, "/var/lib/apt/lists") \
                and not re.search(r"/var/lib/apt/lists|apt(-get)? dist-clean", after):
            yield cmd.program, at_word(ctx, "cache-not-cleaned", inst, cmd.words[0], variant="apt-lists",
                                       program=cmd.program)
        tool = yum_like(cmd)
        cache_dir = f"/var/cache/{'dnf' if tool == 'microdnf' else tool}"
        if tool and cmd.subcommand in ("install", "in", "update", "upgrade", "groupinstall", "reinstall") \
                and not mounted(inst, cache_dir) \
                and not re.search(rf"{tool} clean all|/var/cache/(yum|dnf)", after):
            yield cmd.program, at_word(ctx, "cache-not-cleaned", inst, cmd.words[0],
                                       program=tool, subcommand=cmd.subcommand)
        if cmd.program == "zypper" and cmd.subcommand in ("install", "in") and not mounted(inst, "/var/cache/zypp") \
                and not re.search(r"zypper (clean|cc)|/var/cache/zypp", after):
            yield cmd.program, at_word(ctx, "cache-not-cleaned", inst, cmd.words[0], variant="zypper")
        if is_pip_install(cmd) and not exported and "--no-cache-dir" not in (pip_args(cmd) or []) \
                and not cmd.has_flag("--no-cache-dir") and not _env_true(env, "PIP_NO_CACHE_DIR") \
                and "PIP_NO_CACHE_DIR" not in cmd.assignments and not mounted(inst, "~/.cache/pip"):
            yield cmd.program, at_word(ctx, "cache-not-cleaned", inst, cmd.words[0], variant="pip")
        if cmd.program == "yarn" and cmd.subcommand in (None, "install", "add") \
                and not cmd.has_flag("--version", "-v", "--help", "-h") \
                and not mounted(inst, "~/.cache/yarn", "/usr/local/share/.cache/yarn") \
                and not re.search(r"yarn cache clean|\.cache/yarn", after):
            yield cmd.program, at_word(ctx, "cache-not-cleaned", inst, cmd.words[0], variant="yarn")
        if cmd.program == "npm" and cmd.subcommand in ("install", "i", "ci") and not mounted(inst, "~/.npm") \
                and not re.search(r"npm cache clean|/\.npm\b", after) and "NPM_CONFIG_CACHE" not in env:
            yield cmd.program, at_word(ctx, "cache-not-cleaned", inst, cmd.words[0], variant="npm",
                                       subcommand=cmd.subcommand)


def _env_true(env: Mapping[str, str], name: str) -> bool:
    # pip reads any value of PIP_NO_CACHE_DIR as "do not cache" (even the confusing "off").
    return name in env


# -- layer-delete ----------------------------------------------------------------------------
def _landing(src: str, dest: str, raw_dest: str, many: bool) -> str:
    """Where COPY src dest puts src (a directory prefix when src is a directory or a glob)."""
    if raw_dest.endswith("/") or many:
        base = posixpath.basename(src.rstrip("/"))
        if base in ("", ".", "..") or any(c in base for c in "*?["):
            return dest
        return posixpath.join(dest, base)
    return dest


def _created(inst: Instruction, workdir: str) -> list[str]:
    """Paths a RUN certainly creates: downloads, clones, package caches."""
    out = []
    for cmd in inst.commands:
        if cmd.program == "curl":
            target = cmd.flag_value("-o", "--output")
            if target:
                out.append(_abs(target, workdir))
        elif cmd.program == "wget":
            target = cmd.flag_value("-O", "--output-document")
            if target and target != "-":
                out.append(_abs(target, workdir))
        elif cmd.program == "git" and cmd.subcommand == "clone":
            pos = cmd.positional()
            if len(pos) >= 3:
                out.append(_abs(pos[2], workdir))
        elif apt_subcommand(cmd) in ("update", "install"):
            out.append("/var/lib/apt/lists")
            out.append("/var/cache/apt")
        elif apk_add(cmd) and not cmd.has_flag("--no-cache"):
            out.append("/var/cache/apk")
        elif yum_like(cmd):
            out.append(f"/var/cache/{cmd.program if cmd.program != 'microdnf' else 'dnf'}")
        elif is_pip_install(cmd):
            out.append("/root/.cache/pip")
    # What the RUN removes again itself never reaches its layer.
    removed = [p for p, _ in _removed(inst, workdir)]
    return [p for p in out if not any(_covers(r, p) for r in removed)]


def _removed(inst: Instruction, workdir: str):
    """(path prefix, word) per path an `rm` of the RUN deletes (globs cut at the first *)."""
    for cmd in inst.commands:
        if cmd.program != "rm":
            continue
        for word in cmd.words[1:]:
            if word.text.startswith("-") or "$" in word.text:
                continue
            target = _abs(word.text, workdir)
            yield target.split("*", 1)[0].rstrip("/") or "/", word


def _covers(removed: str, path: str) -> bool:
    return path == removed or path.startswith(removed + "/")


def _abs(path: str, workdir: str) -> str:
    return posixpath.normpath(posixpath.join(workdir, path))


def _deletes(ctx: CheckContext, inst: Instruction, workdir: str, added: list[tuple[str, Instruction]]):
    for prefix, word in _removed(inst, workdir):
        if prefix in ("/", "/tmp", "/var/tmp") and "*" in word.text:
            continue
        for path, src in added:
            if path == prefix or path.startswith(prefix + "/") or prefix.startswith(path + "/"):
                yield at_word(ctx, "layer-delete", inst, word,
                              target=word.text, added_by=src.name, added_line=src.line)
                break


# -- secret-in-layer -------------------------------------------------------------------------
def _secrets(ctx: CheckContext, stage):
    for inst in with_triggers(stage):
        if inst.name in ("COPY", "ADD") and len(inst.args) >= 2 and "from" not in inst.flags:
            for i, src in enumerate(inst.args[:-1]):
                # A URL is a download of something published (a signing key, a certificate).
                if _SECRET_FILES.search(src.rstrip("/")) and "://" not in src:
                    yield at(ctx, "secret-in-layer", inst, inst.arg_pos(i), len(src), variant="file", source=src)
        elif inst.name in ("ARG", "ENV"):
            for key, value, offset in inst.pairs:
                if not _SECRET_NAME.search(key) or _NOT_SECRET_SUFFIX.search(key):
                    continue
                if value:
                    yield at(ctx, "secret-in-layer", inst, inst.value_pos(offset), len(key),
                             variant="arg-default" if inst.name == "ARG" else None, key=key)
                elif inst.name == "ARG":
                    # Its value comes from --build-arg and is recorded in the history of every RUN.
                    yield at(ctx, "secret-in-layer", inst, inst.value_pos(offset), len(key),
                             variant="arg", key=key)


# -- runtime-managed-file --------------------------------------------------------------------
def _runtime_managed(ctx: CheckContext, inst: Instruction):
    if inst.name in ("COPY", "ADD") and inst.args and inst.args[-1].rstrip("/") in RUNTIME_FILES:
        dest = inst.args[-1]
        yield at(ctx, "runtime-managed-file", inst, inst.arg_pos(len(inst.args) - 1), len(dest),
                 variant="copy", target=dest)
        return
    if inst.name != "RUN":
        return
    for cmd in inst.commands:
        for op, target in cmd.redirects:
            if op in (">", ">>", ">|", "&>", "&>>") and target in RUNTIME_FILES:
                yield at(ctx, "runtime-managed-file", inst, (cmd.line, cmd.column), target=target)
        if cmd.program in _WRITERS:
            for word in cmd.words[1:]:
                if word.text in RUNTIME_FILES and not (cmd.program in ("cp", "ln") and word is cmd.words[1]):
                    yield at_word(ctx, "runtime-managed-file", inst, word, target=word.text)

