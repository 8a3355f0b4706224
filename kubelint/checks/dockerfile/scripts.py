"""What RUN scripts do: piping downloads into shells, pipelines that hide failures, and commands
that make no sense (or are unsafe) at build time."""

from __future__ import annotations

import re

from kubelint.checks.dockerfile.base import STAGE_VALUES, at, at_word, dockerfiles, runs
from kubelint.model.dockerfile import POSIX_SHELLS, Instruction, Word
from kubelint.model.numbers import small_int
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

_INTERPRETERS = POSIX_SHELLS | {"python", "python3", "python2", "perl", "ruby", "node", "php"}
_DOWNLOADERS = ("curl", "wget")
_POINTLESS = {"ssh", "vim", "vi", "nano", "shutdown", "reboot", "service", "systemctl", "ps", "free",
              "top", "htop", "kill", "mount", "ifconfig", "ping"}
_SYMBOLIC = re.compile(r"([ugoa]*)([+=])([rwxXst]*)")
_TLS_ENV = {
    "PYTHONHTTPSVERIFY": ("0",), "NODE_TLS_REJECT_UNAUTHORIZED": ("0",),
    "GIT_SSL_NO_VERIFY": (),  # git skips verification when it is set to anything
    "NPM_CONFIG_STRICT_SSL": ("false", "0"),
    "GOINSECURE": (),  # module path patterns fetched without TLS checks
}
_SSLVERIFY_OFF = re.compile(r"sslverify\s*=\s*['\"]?(0|false|no)\b", re.I)


@check("dockerfile-scripts", rules=(
    "cd-in-run",
    "chmod-777",
    "consecutive-run",
    "curl-pipe-shell",
    "pipefail",
    "run-pointless-command",
    "shell-symlink",
    "sudo-in-run",
    "tls-verification-disabled",
    "useradd-no-l",
    "wget-and-curl",
), fills=(*STAGE_VALUES, "previous_line", "other", "other_line", "program", "downloader", "target", "flag",
          "key", "value", "mode", "setting"))
def run(ctx: CheckContext):
    for df in dockerfiles(ctx):
        for stage in df.stages:
            yield from _tls_env(ctx, stage)
            first_tool: dict[str, tuple] = {}
            previous: Instruction | None = None
            for inst in stage.instructions:
                # RUNs that already chain commands are usually split on purpose (layer caching).
                if inst.name == "RUN" and previous is not None and previous.name == "RUN" \
                        and inst.form == previous.form == "shell" and not inst.heredocs \
                        and not previous.heredocs and inst.flags == previous.flags \
                        and len(inst.commands) <= 1 and len(previous.commands) <= 1:
                    yield at(ctx, "consecutive-run", inst, previous_line=previous.line)
                previous = inst
            for inst in runs(stage):
                yield from _pipefail(ctx, inst)
                for cmd in inst.commands:
                    prog = cmd.program
                    if "sudo" in cmd.wrapped_by or prog == "sudo":
                        yield at_word(ctx, "sudo-in-run", inst, cmd.words[0] if prog == "sudo" else
                                      _wrapper_word(inst, cmd, "sudo"))
                    if prog == "cd":
                        yield at_word(ctx, "cd-in-run", inst, cmd.words[0])
                    if prog in _DOWNLOADERS:
                        first_use = prog not in first_tool
                        first_tool.setdefault(prog, (inst, cmd))
                        other = "wget" if prog == "curl" else "curl"
                        if first_use and other in first_tool:
                            yield at_word(ctx, "wget-and-curl", inst, cmd.words[0],
                                          other=other, other_line=first_tool[other][0].line, program=prog)
                        yield from _insecure_download(ctx, inst, cmd)
                    if cmd.operator == "|" and prog in _INTERPRETERS:
                        src = _pipe_source(inst, cmd)
                        if src is not None:
                            yield at_word(ctx, "curl-pipe-shell", inst, cmd.words[0],
                                          downloader=src.program, program=prog)
                    if prog in POSIX_SHELLS and any(re.search(r"[$<]\(\s*(curl|wget)\b", w.raw) for w in cmd.words[1:]):
                        yield at_word(ctx, "curl-pipe-shell", inst, cmd.words[0], variant="substitution", program=prog)
                    uid = cmd.flag_value("-u", "--uid") if prog == "useradd" else None
                    uid_number = small_int(uid) if uid else None
                    if uid_number is not None and uid_number >= int(ctx.param("useradd-no-l", "min-uid", 100000)) \
                            and not cmd.has_flag("-l", "--no-log-init"):
                        yield at_word(ctx, "useradd-no-l", inst, cmd.words[0])
                    if prog == "chmod":
                        yield from _chmod(ctx, inst, cmd)
                    if prog == "ln" and cmd.has_flag("-s", "--symbolic"):
                        pos = cmd.positional()
                        if len(pos) >= 2 and pos[-1] == "/bin/sh":
                            yield at_word(ctx, "shell-symlink", inst, cmd.words[0], target=pos[-2])
                    # `kill` of a job the same RUN started in the background (`app & ... kill $!`) is
                    # how a build warms a program up.
                    background = prog == "kill" and any(c.operator == "&" for c in inst.commands)
                    if prog in _POINTLESS and not cmd.subshell and not background:
                        yield at_word(ctx, "run-pointless-command", inst, cmd.words[0], program=prog)
                    if prog == "git":
                        yield from _git_tls(ctx, inst, cmd)
                    yield from _repo_sslverify(ctx, inst, cmd)
                    if prog == "npm" and cmd.args[:3] == ["config", "set", "strict-ssl"] and \
                            len(cmd.args) > 3 and cmd.args[3] == "false":
                        yield at_word(ctx, "tls-verification-disabled", inst, cmd.words[0], variant="npm-strict-ssl")


def _wrapper_word(inst, cmd, wrapper):
    # The wrapper was stripped from cmd.words; the command's own position is where it started.
    return Word(text=wrapper, raw=wrapper, offset=0, line=cmd.line, column=cmd.column)


def _pipe_source(inst, cmd):
    """The curl/wget feeding this command through `|`, if any."""
    cmds = inst.commands
    i = next((k for k, c in enumerate(cmds) if c is cmd), -1)
    while i > 0 and cmds[i].operator == "|":
        i -= 1
        if cmds[i].program in _DOWNLOADERS:
            return cmds[i]
    return None


def _substitution_pipe(cmds) -> str | None:
    """The first program piped inside a command substitution: `x="$(a | b)"` hides a's failure
    as much as a pipe of its own."""
    for cmd in cmds:
        for inner in cmd.substitutions():
            piped = next((c for c in inner if c.operator == "|"), None)
            if piped is not None:
                return piped.program
    return None


def _pipefail(ctx, inst: Instruction):
    cmds = inst.commands
    if not inst.is_posix_shell:
        return
    hidden = None if any(c.operator == "|" for c in cmds) else _substitution_pipe(cmds)
    if hidden is None and not any(c.operator == "|" for c in cmds):
        return
    shell = " ".join(inst.shell)
    if "pipefail" in shell or inst.shell[0].rsplit("/", 1)[-1] in ("ash", "dash", "busybox"):
        return
    for cmd in cmds:
        if cmd.operator == "|":
            break
        if cmd.program == "set" and "pipefail" in cmd.args:
            return
    first_pipe = next((c.program for c in cmds if c.operator == "|"), hidden)
    yield at(ctx, "pipefail", inst, program=first_pipe)


def _chmod(ctx, inst, cmd):
    """The mode is the first argument that is not an option. A path the same RUN removes again
    (a temporary directory) never reaches the image."""
    cmds = inst.commands
    later = cmds[next((k for k, c in enumerate(cmds) if c is cmd), len(cmds)) + 1:]
    removed = {w.text for c in later if c.program == "rm" for w in c.words[1:]}
    targets = [w.text for w in cmd.words[2:] if not w.text.startswith("-")]
    if targets and all(t in removed for t in targets):
        return
    for w in cmd.words[1:]:
        mode = w.text
        if mode.startswith("-") and not re.fullmatch(r"-[rwxXst]+", mode):
            continue
        numeric = re.fullmatch(r"0?([0-7]?)[0-7]{2}([0-7])", mode)
        if numeric:
            special = int(numeric.group(1) or 0)
            world = int(numeric.group(2)) & 2 and not special & 1  # sticky dirs (1777) are fine
        else:
            world = any(m and ("o" in m.group(1) or "a" in m.group(1)) and "w" in m.group(3)
                        for m in (_SYMBOLIC.fullmatch(part) for part in mode.split(",")))
        if world:
            yield at_word(ctx, "chmod-777", inst, w, mode=mode)
        return


def _insecure_download(ctx, inst, cmd):
    flags = ("-k", "--insecure") if cmd.program == "curl" else ("--no-check-certificate",)
    for w in cmd.words[1:]:
        if w.text in flags or (cmd.program == "curl" and re.fullmatch(r"-[a-zA-Z]*k[a-zA-Z]*", w.text)):
            yield at_word(ctx, "tls-verification-disabled", inst, w, program=cmd.program, flag=w.text)
            return


def _repo_sslverify(ctx, inst, cmd):
    """sslverify=0 for yum/dnf repositories: `config-manager --setopt=*.sslverify=0`, `--setopt`
    on an install, or written into a .repo or dnf.conf file (sed -i, echo >>)."""
    for w in cmd.words[1:]:
        if _SSLVERIFY_OFF.search(w.text):
            yield at_word(ctx, "tls-verification-disabled", inst, w, variant="sslverify", setting=w.text)
            return


def _git_tls(ctx, inst, cmd):
    for i, w in enumerate(cmd.words[1:], 1):
        low = w.text.lower()
        if low in ("http.sslverify=false", "http.sslverify=0") or (
                low == "http.sslverify" and i + 1 < len(cmd.words) and cmd.words[i + 1].text.lower() in ("false", "0")):
            yield at_word(ctx, "tls-verification-disabled", inst, w, variant="git-sslverify")
            return


def _tls_env(ctx, stage):
    for inst in stage.instructions:
        if inst.name != "ENV":
            continue
        for key, value, off in inst.pairs:
            bad = _TLS_ENV.get(key)
            if bad is not None and value and (not bad or value.lower() in bad):
                yield at(ctx, "tls-verification-disabled", inst, inst.value_pos(off), len(key),
                         variant="env", key=key, value=value)
