"""A forgiving POSIX-sh splitter for RUN scripts: simple commands and the operators between them.

bashlex (measured on real RUN lines) rejects `[[ ]]`, `$(( ))`, `case`, `time` and unterminated
quotes and costs ~1.2 ms per line; rules only need programs, arguments, flags, redirections and
`&& || ; |`, so we tokenize ourselves. Never raises; unknown syntax degrades to plain words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable

from kubelint.model.dockerfile import POSIX_SHELLS, Command, Instruction, Word

# A run of characters that cannot start quoting, expansion, an operator or a comment.
_PLAIN = re.compile(r"[^\s|&;()<>'\"\\$`]+")
_BLANK = re.compile(r"[ \t\r]+")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_CONTROL = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")")
_REDIRECTS = ("&>>", "<<<", "<<-", ">>", "<<", ">&", "<&", "&>", ">|", "<>", ">", "<")
_SKIP_WORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "fi",
                         "done", "esac", "}", "in"})
# Programs that run another command given as their arguments; stripped so rules see the real one.
_WRAPPERS = {
    "sudo": {"-u", "-g", "-C", "-h", "-p", "-r", "-t", "-U", "-D"},
    "env": {"-u", "-C", "-S"},
    "nohup": set(), "time": {"-f", "-o"}, "exec": {"-a"}, "command": set(), "nice": {"-n"},
    "stdbuf": {"-i", "-o", "-e"}, "timeout": {"-s", "-k"}, "xargs": {"-I", "-n", "-P", "-d", "-a", "-L", "-s", "-E"},
    "chroot": set(), "su-exec": set(), "gosu": set(), "tini": set(), "eatmydata": set(), "retry": {"-t", "--times"},
}
_WRAPPER_POSITIONALS = {"timeout": 1, "chroot": 1, "su-exec": 1, "gosu": 1}

Pos = Callable[[int], tuple[int, int]]


def split_commands(inst: Instruction) -> list[Command]:
    """The commands of a RUN (or shell-form CMD/ENTRYPOINT/HEALTHCHECK), heredoc bodies included."""
    script = inst.value[inst._cmd_offset:] if inst.name != "HEALTHCHECK" else inst.value[inst._cmd_offset:].strip()
    base = inst._value_offset + inst._cmd_offset

    def pos(offset: int) -> tuple[int, int]:
        return inst.pos(base + offset)

    stripped = script.strip()
    docs = inst.heredocs
    # `RUN <<EOF` alone: the body is the script (unless a shebang names another interpreter).
    if docs and re.fullmatch(r"\d*<<-?['\"]?" + re.escape(docs[0].name) + r"['\"]?", stripped):
        body = docs[0].body
        first = body.split("\n", 1)[0]
        if first.startswith("#!") and not _is_posix(first[2:].split()[-1:] or [""]):
            return []
        return split_script(body, _body_pos(docs[0]))
    commands = split_script(script, pos)
    # `RUN bash <<EOF` / `sh <<EOF`: a shell reading the heredoc runs it as a script.
    for cmd in list(commands):
        for op, target in cmd.redirects:
            if op in ("<<", "<<-") and cmd.program in POSIX_SHELLS:
                doc = next((d for d in docs if d.name == target.strip("'\"")), None)
                if doc is not None:
                    commands.extend(split_script(doc.body, _body_pos(doc), subshell=True))
    return commands


def _is_posix(words: list[str]) -> bool:
    return bool(words) and words[0].rsplit("/", 1)[-1] in POSIX_SHELLS


def _body_pos(doc) -> Pos:
    # Line starts of the body, found once; each position is then a binary search (it was a
    # scan of the body per position: a 140 KB heredoc took 39 s).
    starts = [0] + [m.end() for m in re.finditer("\n", doc.body)]

    def pos(offset: int) -> tuple[int, int]:
        line_idx = bisect_right(starts, offset) - 1
        tabs = doc.stripped[line_idx] if line_idx < len(doc.stripped) else 0
        return doc.first_line + line_idx, offset - starts[line_idx] + 1 + tabs

    return pos


def split_script(script: str, pos: Pos, subshell: bool = False) -> list[Command]:
    tokens = _tokenize(script)
    commands: list[Command] = []
    words: list[Word] = []
    assignments: dict[str, str] = {}
    redirects: list[tuple[str, str]] = []
    before: str | None = None
    pending_redirect: str | None = None
    heredoc_ends: list[str] = []
    start_offset = 0

    def flush(next_op: str | None) -> None:
        nonlocal words, assignments, redirects, before
        if words or assignments or redirects:
            line, col = pos(start_offset)
            for w in words:
                w.line, w.column = pos(w.offset)
            cmd = Command(words=words, operator=before, assignments=assignments, redirects=redirects,
                          line=line, column=col, subshell=subshell)
            _unwrap(cmd)
            commands.append(cmd)
            commands.extend(_nested_shell(cmd, pos))
            before = next_op
        elif next_op is not None:
            before = next_op
        words, assignments, redirects = [], {}, []

    for kind, text, raw, offset in tokens:
        if kind == "word":
            if pending_redirect:
                redirects.append((pending_redirect, text))
                if pending_redirect in ("<<", "<<-"):
                    heredoc_ends.append(text)
                pending_redirect = None
                continue
            if not words:
                if not assignments and not redirects:
                    start_offset = offset
                if _ASSIGNMENT.match(raw):
                    key, _, val = text.partition("=")
                    assignments[key.rstrip("+")] = val
                    continue
                if raw in _SKIP_WORDS and not assignments:
                    continue
            words.append(Word(text=text, raw=raw, offset=offset))
        elif kind == "redirect":
            if not words and not assignments and not redirects:
                start_offset = offset
            pending_redirect = text
        else:  # control operator or newline
            op = "\n" if text == "\n" else text
            if op in ("(", ")"):
                flush(None)
                continue
            flush(op)
    flush(None)
    return commands


def _nested_shell(cmd: Command, pos: Pos) -> list[Command]:
    """`sh -c 'apt-get install ...'`: split the inner script too (positions: the script word)."""
    if cmd.program not in POSIX_SHELLS:
        return []
    args = cmd.words[1:]
    for i, w in enumerate(args):
        if w.text.startswith("-") and not w.text.startswith("--") and "c" in w.text[1:] and i + 1 < len(args):
            inner = args[i + 1]
            here = (inner.line, inner.column)
            return split_script(inner.text, _fixed(here), subshell=True)
    return []


def _unwrap(cmd: Command) -> None:
    """Strip sudo/env/xargs/... so the command's program is the one that really runs."""
    while len(cmd.words) > 1 and cmd.program in _WRAPPERS:
        wrapper = cmd.program
        takes_value = _WRAPPERS[wrapper]
        i = 1
        words = cmd.words
        while i < len(words):
            t = words[i].text
            if t == "--":
                i += 1
                break
            if t.startswith("-") and len(t) > 1:
                i += 2 if t in takes_value else 1
            elif wrapper == "env" and "=" in t:
                key, _, val = t.partition("=")
                cmd.assignments[key] = val
                i += 1
            else:
                break
        i += _WRAPPER_POSITIONALS.get(wrapper, 0)
        if i >= len(words):
            return
        cmd.wrapped_by.append(wrapper)
        cmd.words = words[i:]


def _tokenize(s: str) -> list[tuple[str, str, str, int]]:
    """(kind, text, raw, offset) tokens: kind is word, redirect or op."""
    out: list[tuple[str, str, str, int]] = []
    i, n = 0, len(s)
    pending_heredocs: list[tuple[str, bool]] = []
    expect_heredoc_word = None
    while i < n:
        m = _BLANK.match(s, i)
        if m:
            i = m.end()
            continue
        c = s[i]
        if c == "\\" and i + 1 < n and s[i + 1] == "\n":
            i += 2
            continue
        if c == "\n":
            out.append(("op", "\n", "\n", i))
            i += 1
            # Skip the bodies of `cmd <<EOF` heredocs inside the script.
            for delim, strip_tabs in pending_heredocs:
                while i < n:
                    end = s.find("\n", i)
                    line = s[i:] if end < 0 else s[i:end]
                    i = n if end < 0 else end + 1
                    if (line.lstrip("\t") if strip_tabs else line) == delim:
                        break
            pending_heredocs = []
            continue
        if c == "#":
            end = s.find("\n", i)
            i = n if end < 0 else end
            continue
        op = _match_op(s, i)
        if op:
            if op in _REDIRECTS:
                out.append(("redirect", op, op, i))
                if op in ("<<", "<<-"):
                    expect_heredoc_word = op
            else:
                out.append(("op", op, op, i))
            i += len(op)
            continue
        text, end = _read_word(s, i)
        # `2>/dev/null`: a number glued to a redirection is a file descriptor, not a word.
        if end < n and s[end] in "<>" and text.isdigit():
            i = end
            continue
        out.append(("word", text, s[i:end], i))
        if expect_heredoc_word:
            pending_heredocs.append((text, expect_heredoc_word == "<<-"))
            expect_heredoc_word = None
        i = end
    return out


def _match_op(s: str, i: int) -> str | None:
    c = s[i]
    if c not in "|&;()<>":
        return None
    for op in _REDIRECTS + _CONTROL:
        if s.startswith(op, i):
            return op
    return None


def _read_word(s: str, i: int) -> tuple[str, int]:
    """One word from i: quotes removed, expansions kept as written."""
    buf: list[str] = []
    n = len(s)
    while i < n:
        m = _PLAIN.match(s, i)
        if m:
            buf.append(m.group(0))
            i = m.end()
            continue
        c = s[i]
        if c in " \t\r\n|&;()<>":
            break
        if c == "'":
            end = s.find("'", i + 1)
            end = n if end < 0 else end
            buf.append(s[i + 1:end])
            i = end + 1
        elif c == '"':
            j = i + 1
            while j < n and s[j] != '"':
                if s[j] == "\\" and j + 1 < n:
                    if s[j + 1] in '"\\$`':
                        buf.append(s[j + 1])
                    elif s[j + 1] != "\n":
                        buf.append(s[j:j + 2])
                    j += 2
                    continue
                if s[j] == "$" and j + 1 < n and s[j + 1] == "(":
                    k = _matching(s, j + 1, "(", ")")
                    buf.append(s[j:k])
                    j = k
                    continue
                buf.append(s[j])
                j += 1
            i = j + 1
        elif c == "\\":
            if i + 1 < n:
                buf.append(s[i + 1])
            i += 2
        elif c == "$":
            if i + 1 < n and s[i + 1] == "(":
                k = _matching(s, i + 1, "(", ")")
            elif i + 1 < n and s[i + 1] == "{":
                k = _matching(s, i + 1, "{", "}")
            elif i + 1 < n and s[i + 1] == "'":
                end = s.find("'", i + 2)
                k = n if end < 0 else end + 1
            else:
                k = i + 1
            buf.append(s[i:k])
            i = k
        elif c == "`":
            end = s.find("`", i + 1)
            k = n if end < 0 else end + 1
            buf.append(s[i:k])
            i = k
        else:
            buf.append(c)
            i += 1
    return "".join(buf), min(i, n)


def _matching(s: str, i: int, open_: str, close: str) -> int:
    """Index after the bracket matching s[i], skipping quoted text; len(s) when unbalanced."""
    depth, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i + 1
        elif c == "'" and open_ == "(":
            end = s.find("'", i + 1)
            i = n if end < 0 else end
        elif c == "\\":
            i += 1
        i += 1
    return n


def _fixed(here: tuple[int, int]) -> Pos:
    """A position function that puts every word at `here` (a script inside `sh -c '...'`)."""
    def pos(_offset: int) -> tuple[int, int]:
        return here
    return pos
