"""Dockerfile text → kubelint.model.dockerfile.Dockerfile with exact line:column positions.

dockerfile-parse (DockerfileParser.structure) splits the file into instructions: their line
spans, continuation lines joined with the escape character of the `# escape=` directive, and
comment lines, also those inside a continuation. We wrap its output in our own model and add
what it does not do:

- columns: its `value` drops where each piece starts, so an instruction's text is re-read from
  the raw lines of the span it reports, keeping (offset, line, column) per line;
- heredocs (`<<EOF`, `<<-EOF`, quoted markers in RUN/COPY/ADD): it reads the body lines as
  instructions of their own; we fold those back into the heredoc, up to its terminator, and
  take the body text from the raw lines;
- BuildKit's line rules where it differs: parser directives (it knows only `syntax` and
  `escape`, and reports none), blank lines inside a continuation (it ends the instruction
  there), a continuation still open at the end of the file or a last line holding only a
  keyword (it drops them), a keyword glued to the escape character (`RUN\\`), an escape
  character followed by a no-break space (it continues the line, BuildKit does not), a BOM;
- checks: unknown instructions, missing arguments, misplaced FROM/SHELL forms, unterminated
  heredocs and fragments without FROM, which it accepts silently.

parse_dockerfile() never raises: what cannot be understood becomes a `dockerfile-syntax`
finding and the rest is still linted. It never touches the disk: the parser reads an in-memory
file object.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from dockerfile_parse import DockerfileParser
from dockerfile_parse.constants import COMMENT_INSTRUCTION

from kubelint.findings import Finding
from kubelint.model.dockerfile import (
    DEFAULT_SHELL,
    INSTRUCTIONS,
    MAX_EXPANDED,
    WINDOWS_SHELL,
    Dockerfile,
    Heredoc,
    ImageRef,
    Instruction,
    Stage,
    VarsHistory,
    expand,
    expand_limited,
)
from kubelint.parse.shell import split_commands
from kubelint.parse.source import SourceFile

Instruction.split_commands = split_commands  # see Instruction.commands

SYNTAX_RULE = "dockerfile-syntax"
EXPANSION_RULE = "expansion-limit"
_DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$")
_HEREDOC_WORD = re.compile(r"(\d*)<<(-?)(['\"]?)([A-Za-z0-9_.\-]+)\3")
_WORD = re.compile(r"\S+")
_FLAG = re.compile(r"--([a-zA-Z][a-zA-Z0-9-]*)(?:=(.*))?$", re.S)
_FLAG_INSTRUCTIONS = frozenset({"FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"})
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_EXEC_CAPABLE = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})
_NEEDS_ARGS = frozenset({"FROM", "RUN", "COPY", "ADD", "WORKDIR", "USER", "EXPOSE", "ARG", "ENV",
                         "LABEL", "SHELL", "STOPSIGNAL", "ONBUILD", "MAINTAINER", "VOLUME"})
_NOT_A_BREAK = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_NOT_IN_ONBUILD = frozenset({"ONBUILD", "FROM", "MAINTAINER"})


@dataclass
class _Logical:
    """A logical line: an instruction with its continuation lines joined."""

    text: str
    segments: list[tuple[int, int, int]]  # (offset in text, line, column)
    end_line: int
    end_column: int
    heredocs: list[Heredoc]


def parse_dockerfile(source: SourceFile, target: str | None = None) -> tuple[Dockerfile, list[Finding]]:
    """Parse a Dockerfile. Findings are `dockerfile-syntax` errors; an exception is a bug of
    ours, which the caller reports as an internal error (kubelint.runner.add_source)."""
    df = Dockerfile(source=source, target=target)
    findings: list[Finding] = []
    _Parser(df, findings).run()
    return df, findings


def _syntax(source: SourceFile, line: int, column: int, variant: str | None, **values: str) -> Finding:
    """The message is the rule's template for `variant`, filled in by the `parse` check."""
    return Finding(rule=SYNTAX_RULE, severity="error", message="", file=source.display,
                   line=line, column=column, variant=variant, values=values)


class _Parser:
    def __init__(self, df: Dockerfile, findings: list[Finding]):
        self.df = df
        self.findings = findings
        lines = list(df.source.lines)
        # dockerfile-parse would read a BOM as part of the first keyword (or hide a directive).
        if lines and lines[0].startswith("\ufeff"):
            lines[0] = lines[0][1:]
        self.lines = lines

    def error(self, line: int, column: int, variant: str | None, **values: str) -> None:
        self.findings.append(_syntax(self.df.source, line, column, variant, **values))

    # -- lines -----------------------------------------------------------------------------
    def directives(self) -> int:
        """Read parser directives at the top; return the first line index after them.

        dockerfile-parse reports no directives (it only uses `escape` itself), so we read them."""
        i = 0
        while i < len(self.lines):
            m = _DIRECTIVE.match(self.lines[i].strip())
            if not m or not self.lines[i].lstrip().startswith("#"):
                break
            name = m.group(1).lower()
            if name not in ("syntax", "escape", "check") or name in self.df.directives:
                break
            self.df.directives[name] = (m.group(2), i + 1)
            self.df.comments[i + 1] = self.lines[i].lstrip()[1:]
            if name == "escape":
                if m.group(2) in ("\\", "`"):
                    self.df.escape = m.group(2)
                else:
                    self.error(i + 1, 1, "invalid-escape", escape=repr(m.group(2)))
            i += 1
        return i

    def structure(self, start: int) -> list[dict]:
        """dockerfile-parse's instructions and comments (0-based start/end lines), read from memory."""
        lines = self.lines
        feed = lines
        if start:
            # It stops reading directives at one it does not know (`# check=`) and lets a second
            # `# escape=` win; BuildKit reads `start` directive lines and takes the first escape.
            # Show it one escape line per directive line (comments for it either way).
            feed = [f"# escape={self.df.escape}"] * start + lines[start:]
            if start < len(lines) and _is_directive(lines[start], "escape"):
                feed[start] = "#"
        # Every line ends with a newline and one blank line follows: it drops a last line
        # holding only a keyword without newline, and an instruction still continued at the end.
        text = "".join(line + "\n" for line in feed) + "\n"
        # It re-splits with str.splitlines, which also breaks at form feeds, NEL, U+2028...:
        # BuildKit does not, and only the line structure is read from it.
        text = _NOT_A_BREAK.sub(" ", text)
        parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8", "replace")),
                                  cache_content=True, env_replace=False)
        return parser.structure  # a property that re-parses: read it once

    def logical_lines(self, start: int):
        lines, n, comments = self.lines, len(self.lines), self.df.comments
        entries = self.structure(start)
        j, count = 0, len(entries)
        body_end = start  # entries above this line are directives or heredoc bodies
        while j < count:
            entry = entries[j]
            j += 1
            first = entry["startline"]
            if first < body_end:
                continue  # a heredoc body line it took for an instruction or a comment
            if entry["instruction"] == COMMENT_INSTRUCTION:
                comments[first + 1] = _comment_text(lines[first])
                continue
            last = entry["endline"]
            # It ends a continuation at a blank line; BuildKit skips blank lines like comment
            # lines and goes on with the next instruction line, which it reported on its own.
            while last >= n or not lines[last].strip():
                while j < count and entries[j]["instruction"] == COMMENT_INSTRUCTION:
                    comments[entries[j]["startline"] + 1] = _comment_text(lines[entries[j]["startline"]])
                    j += 1
                if j == count:
                    last = n  # still continued at the end: the lines skipped are used up
                    break
                last = entries[j]["endline"]
                j += 1
            for start, end in self.cut_at_blanks(first, last):
                if start >= body_end:
                    logical = self.logical(start, end)
                    body_end = self.read_heredocs(logical, min(end + 1, n))
                    yield logical

    def cut_at_blanks(self, first: int, last: int) -> list[tuple[int, int]]:
        """It continues a line whose escape character is followed by any blanks (regex \\s), and
        a line ending in an escaped escape character (`C:\\\\app\\\\`); BuildKit only by spaces and
        tabs, and not after an escaped escape: there the instruction ends, and the next line
        starts another."""
        if first == last:  # most instructions: one line, nothing to cut
            return [(first, last)]
        lines, esc, comments = self.lines, self.df.escape, self.df.comments
        spans: list[tuple[int, int]] = []
        start: int | None = first
        for k in range(first, min(last, len(lines) - 1) + 1):
            raw = lines[k]
            if not raw.strip() or k + 1 in comments:
                continue
            if start is None:
                start = k
            if raw.rstrip().endswith(esc) and not _continues(raw, esc):
                spans.append((start, k))
                start = None
        if start is not None:
            spans.append((start, last))
        return spans

    def logical(self, first: int, last: int) -> _Logical:
        """The instruction on lines first..last (0-based) re-read from the raw lines for columns:
        comment and blank lines left out, the escape character ending each line removed."""
        lines, n, esc, comments = self.lines, len(self.lines), self.df.escape, self.df.comments
        if first == last:  # one line: no comment or blank line to leave out
            raw = lines[first]
            lead = len(raw) - len(raw.lstrip())
            body = raw[lead:].rstrip(" \t")
            if _continues(body, esc):
                body = body[:-1]
            return _Logical(body, [(0, first + 1, lead + 1)], first + 1, len(raw) + 1, [])
        parts: list[str] = []
        segments: list[tuple[int, int, int]] = []
        length, end = 0, first
        for k in range(first, min(last, n - 1) + 1):
            raw = lines[k]
            if not raw.strip() or k + 1 in comments:
                continue
            lead = len(raw) - len(raw.lstrip()) if not parts else 0  # continuation lines: column 1
            body = raw[lead:].rstrip(" \t")
            if _continues(body, esc):
                body = body[:-1]
            segments.append((length, k + 1, lead + 1))
            parts.append(body)
            length += len(body)
            end = k
        return _Logical("".join(parts), segments, end + 1, len(lines[end]) + 1, [])

    def read_heredocs(self, logical: _Logical, i: int) -> int:
        """Read the bodies of the heredocs the instruction opens, from line index i on, from the
        raw lines; return the line index after the last terminator."""
        keyword, _, rest = logical.text.partition(" ")
        kw = keyword.upper()
        if kw == "ONBUILD":
            kw = rest.lstrip().partition(" ")[0].upper()
        if kw not in _HEREDOC_INSTRUCTIONS or "<<" not in logical.text:
            return i
        for _, raw, offset in split_words(logical.text):
            m = _HEREDOC_WORD.match(raw) if "<<" in raw else None
            if not m:
                continue
            strip_tabs, name = m.group(2) == "-", m.group(4)
            body_lines, stripped, first = [], [], i + 1
            terminated = False
            while i < len(self.lines):
                line = self.lines[i]
                check = line.lstrip("\t") if strip_tabs else line
                i += 1
                if check == name:
                    terminated = True
                    break
                body_lines.append(check)
                stripped.append(len(line) - len(check))
            end_line = i if terminated else max(len(self.lines), 1)
            if not terminated:
                at_line, at_col = self.logical_pos(logical, offset)
                self.error(at_line, at_col, "heredoc-unterminated", name=name)
            logical.heredocs.append(Heredoc(
                name=name, body="".join(b + "\n" for b in body_lines), first_line=first,
                end_line=end_line, strip_tabs=strip_tabs, quoted=bool(m.group(3)), terminated=terminated,
                stripped=stripped))
            if terminated:
                logical.end_line, logical.end_column = end_line, len(self.lines[end_line - 1]) + 1
            else:
                logical.end_line = end_line
        return i

    @staticmethod
    def logical_pos(logical: _Logical, offset: int) -> tuple[int, int]:
        line, col = logical.segments[0][1], logical.segments[0][2]
        for start, seg_line, seg_col in logical.segments:
            if start > offset:
                break
            line, col = seg_line, seg_col + (offset - start)
        return line, col

    # -- instructions ----------------------------------------------------------------------
    def make(self, logical: _Logical, kw_offset: int = 0, parent: Instruction | None = None) -> Instruction | None:
        text = logical.text
        m = _WORD.search(text, kw_offset)
        if not m:
            return None
        keyword = m.group(0)
        name = keyword.upper()
        inst = Instruction(name=name, keyword=keyword, value="", line=0, column=0,
                           end_line=logical.end_line, end_column=logical.end_column,
                           _text=text, _segments=logical.segments)
        line, column = inst.pos(m.start())  # the keyword's place (needs the segments set above)
        inst.line, inst.column = line, column
        if name not in INSTRUCTIONS:
            self.error(line, column, None, keyword=keyword)  # the rule's main message
            return None
        offset = m.end()
        # Leading --flags (only the instructions that take them).
        if name in _FLAG_INSTRUCTIONS:
            for word, raw, woff in split_words(text, offset):
                fm = _FLAG.match(word) if word.startswith("--") else None
                if not fm:
                    break
                value = fm.group(2) if fm.group(2) is not None else True
                inst.flags[fm.group(1).lower()] = value
                inst.flag_list.append((fm.group(1).lower(), value, woff))
                offset = woff + len(raw)
        while offset < len(text) and text[offset] in " \t":
            offset += 1
        inst._value_offset = offset
        inst.value = text[offset:].rstrip()
        inst.heredocs = logical.heredocs if parent is None or name in _HEREDOC_INSTRUCTIONS else []
        inst.parent = parent
        self.fill_arguments(inst)
        if name == "ONBUILD":
            inner = self.make(logical, offset, parent=inst) if inst.value else None
            if inner is not None and inner.name in _NOT_IN_ONBUILD:
                self.error(inner.line, inner.column, "not-in-onbuild", instruction=inner.name)
            inst.inner = inner
        return inst

    def fill_arguments(self, inst: Instruction) -> None:
        name, value = inst.name, inst.value
        if name == "HEALTHCHECK":
            head, _, rest = value.partition(" ")
            if head.upper() == "CMD":
                rest_off = value.find(rest) if rest else len(value)
                self.fill_command(inst, rest.strip(), rest_off)
            else:
                inst.args = [w for w, _, _ in split_words(value)]
            return
        if name in ("RUN", "CMD", "ENTRYPOINT", "SHELL"):
            self.fill_command(inst, value, 0)
            if name == "SHELL" and inst.form != "exec":
                self.error(inst.line, inst.column, "shell-exec-form")
            return
        if name in _EXEC_CAPABLE and value.startswith("["):
            parsed = _json_strings(value)
            if parsed is not None:
                inst.args, inst.form = parsed, "exec"
                return
        words = split_words(value)
        inst.args = [w for w, _, _ in words]
        inst.arg_offsets = [off for _, _, off in words]
        if name in ("ENV", "ARG", "LABEL"):
            inst.pairs = _pairs(name, value, words)

    def fill_command(self, inst: Instruction, text: str, rel_offset: int) -> None:
        if text.startswith("["):
            parsed = _json_strings(text)
            if parsed is not None:
                inst.args, inst.form = parsed, "exec"
                return
            inst.json_error = not _is_shell_test(text)
        inst.form = "shell"
        inst.args = [w for w, _, _ in split_words(text)] if inst.name != "RUN" else [text]
        inst._cmd_offset = rel_offset  # where the script starts inside `value`

    def check_arguments(self, inst: Instruction) -> None:
        name = inst.name
        if name in _NEEDS_ARGS and not inst.value and not inst.heredocs:
            self.error(inst.line, inst.column, "no-arguments", instruction=name)
        elif name in ("COPY", "ADD") and len(inst.args) < 2 and not inst.heredocs:
            self.error(inst.line, inst.column, "no-destination", instruction=name)
        elif name == "ENV":
            for key, val, off in inst.pairs:
                if val is None:
                    line, col = inst.value_pos(off)
                    self.error(line, col, "env-no-value", key=key)

    # -- stages ----------------------------------------------------------------------------
    def run(self) -> None:
        df = self.df
        start = self.directives()
        insts: list[Instruction] = []
        for logical in self.logical_lines(start):
            inst = self.make(logical)
            if inst is None:
                continue
            inst.index = len(insts)
            insts.append(inst)
            self.check_arguments(inst)
            if inst.inner is not None:
                self.check_arguments(inst.inner)
        df.instructions = insts
        if not insts:
            self.error(1, 1, "no-instructions")
            return
        self.build_stages(insts)

    def build_stages(self, insts: list[Instruction]) -> None:
        df = self.df
        has_from = any(i.name == "FROM" for i in insts)
        stage: Stage | None = None
        # Each instruction gets a view of the variables at its place, never a copy (linear in
        # the number of ARG/ENV lines; see VarsHistory).
        history = VarsHistory({})
        global_history = VarsHistory({})
        shell: tuple[str, ...] = DEFAULT_SHELL
        for inst in insts:
            if inst.name == "FROM":
                stage = self.new_stage(inst)
                history = VarsHistory(stage.base_stage.vars if stage.base_stage else {})
                if stage.base_stage is not None:
                    shell = stage.base_stage.instructions[-1].shell if stage.base_stage.instructions else DEFAULT_SHELL
                else:
                    shell = WINDOWS_SHELL if stage.base and stage.base.is_windows else DEFAULT_SHELL
                inst.vars, inst.shell = history.view(), shell
                stage.vars = inst.vars
                continue
            if stage is None:
                if inst.name == "ARG" or has_from:
                    inst.vars = global_history.view()
                    if inst.name == "ARG":
                        for key, val, _ in inst.pairs:
                            if val is not None:
                                self.set_var(df.global_args, inst, key, val, df.global_args)
                        global_history.assign({key: df.global_args.get(key) for key, val, _ in inst.pairs
                                               if val is not None})
                    continue
                # A fragment without FROM: lint it in an implicit stage.
                stage = Stage(index=0, from_instr=None, dockerfile=df)
                df.stages.append(stage)
            values = history.view()
            inst.stage, inst.vars, inst.shell = stage, values, shell
            stage.instructions.append(inst)
            if inst.inner is not None:
                inst.inner.stage, inst.inner.vars, inst.inner.shell = stage, values, shell
            if inst.name in ("ARG", "ENV"):
                new: dict[str, str | None] = {}
                for key, val, _ in inst.pairs:
                    if val is None:
                        if inst.name == "ARG" and key in df.global_args:
                            new[key] = df.global_args[key]
                        continue
                    # All substitutions in one ENV/ARG see the values from before it; past the
                    # limit a variable is None: unknown from here on.
                    self.set_var(new, inst, key, val, values)
                history.assign(new)
            elif inst.name == "SHELL" and inst.form == "exec" and inst.args:
                shell = tuple(inst.args)
            stage.vars = history.view()

    def set_var(self, target: dict, inst: Instruction, key: str, val: str, values: Mapping[str, str | None]) -> None:
        """target[key] = val expanded with `values`; past MAX_EXPANDED characters the variable
        is reported and left unknown (None here, removed by the caller) instead of built."""
        expanded, _ = expand_limited(val, values)
        if expanded is not None:
            target[key] = expanded
            return
        target[key] = None
        if target is values:  # global ARGs: expanded in place
            del target[key]
        self.findings.append(Finding(
            rule=EXPANSION_RULE, severity="warning", file=self.df.source.display, line=inst.line,
            column=inst.column, end_line=inst.end_line, end_column=inst.end_column,
            message=f"{inst.name} {key}: its value would expand to more than {MAX_EXPANDED // 1024} KB; "
                    "kubelint treats the variable as unknown from here on",
            values={"instruction": inst.name, "variable": key, "limit": f"{MAX_EXPANDED // 1024} KB"}))

    def new_stage(self, inst: Instruction) -> Stage:
        df = self.df
        stage = Stage(index=len(df.stages), from_instr=inst, dockerfile=df)
        words = inst.args
        inst.stage = stage
        if words:
            image, unknown = expand(words[0], df.global_args)
            if len(words) >= 3 and words[1].lower() == "as":
                stage.alias = words[2].lower()
            elif len(words) > 1:
                self.error(inst.line, inst.column, "from-syntax")
            base = df.stage_named(image) if image and not unknown else None
            if base is not None and not image.isdigit():
                stage.base_stage = base
            else:
                stage.base = ImageRef.parse(image, unresolved=unknown)
        platform = inst.flags.get("platform")
        if isinstance(platform, str):
            stage.platform = platform
        df.stages.append(stage)
        return stage


def _continues(line: str, esc: str) -> bool:
    """BuildKit's continuation rule: the escape character ends the line (only spaces and tabs
    after it) and is not itself escaped (`\\\\` at the end is a literal backslash)."""
    body = line.rstrip(" \t")
    return body.endswith(esc) and (len(body) == 1 or body[-2] != esc)


def _is_directive(line: str, name: str) -> bool:
    m = _DIRECTIVE.match(line.strip())
    return m is not None and line.lstrip().startswith("#") and m.group(1).lower() == name


def _comment_text(line: str) -> str:
    """The text after the '#' of a line dockerfile-parse reports as a comment (it strips more)."""
    return line[line.index("#") + 1:]


def split_words(text: str, start: int = 0) -> list[tuple[str, str, int]]:
    """Split on blanks, honouring quotes and backslashes: (unquoted, raw, offset) per word."""
    out = []
    i, n = start, len(text)
    while i < n:
        while i < n and text[i] in " \t\n":
            i += 1
        if i >= n:
            break
        begin, buf, quote = i, [], None
        while i < n:
            c = text[i]
            if quote:
                if c == quote:
                    quote = None
                elif c == "\\" and quote == '"' and i + 1 < n and text[i + 1] in '"\\$':
                    i += 1
                    buf.append(text[i])
                else:
                    buf.append(c)
            elif c in "'\"":
                quote = c
            elif c == "\\" and i + 1 < n:
                i += 1
                buf.append(text[i])
            elif c in " \t\n":
                break
            else:
                buf.append(c)
            i += 1
        out.append(("".join(buf), text[begin:i], begin))
    return out


_TEST_OPERATORS = frozenset({"=", "==", "!=", "!", "<", ">", "-a", "-o"})


def _is_shell_test(text: str) -> bool:
    """`RUN [ -z "$X" ] || ...`: the shell's test command, not a broken exec form. It starts with
    the word [ or [[ and holds a test operator (-z, -f, =, !=, ...)."""
    words = text.split()
    return words[0] in ("[", "[[") and any(
        w in _TEST_OPERATORS or re.fullmatch(r"-[a-zA-Z]{1,2}", w) for w in words[1:])


def _json_strings(text: str) -> list[str] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _pairs(name: str, value: str, words) -> list[tuple[str, str | None, int]]:
    """ENV/ARG/LABEL key=value pairs; the legacy `ENV KEY value with spaces` and `LABEL key value`
    too (BuildKit parses LABEL like ENV: a first word without `=` makes the rest its value)."""
    if not words:
        return []
    first = words[0][0]
    if name in ("ENV", "LABEL") and "=" not in first:
        rest = value[len(words[0][1]):].strip()
        return [(first, " ".join(w for w, _, _ in words[1:]) if rest else None, words[0][2])]
    out = []
    for word, _raw, off in words:
        key, eq, val = word.partition("=")
        out.append((key, val if eq else None, off))
    return out


# -- pragmas ---------------------------------------------------------------------------------
_PRAGMA = re.compile(r"^\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+?)\s*$")


@dataclass(frozen=True)
class Pragma:
    """A `# hadolint ignore=DL3006,DL3008` comment: the codes it silences and where."""

    line: int  # the comment's line
    codes: tuple[str, ...]
    scope: str  # "next" (the next instruction) or "file" (`# hadolint global ignore=...`)
    start_line: int  # the lines it covers
    end_line: int


def pragmas(dockerfile: Dockerfile) -> list[Pragma]:
    """hadolint ignore pragmas, for the shared suppression module to map through rule aliases."""
    out = []
    starts = sorted((i.line, i.end_line) for i in dockerfile.instructions)
    last_line = max(len(dockerfile.source.lines), 1)
    for line, text in sorted(dockerfile.comments.items()):
        m = _PRAGMA.match(text)
        if not m:
            continue
        codes = tuple(c.strip().upper() for c in m.group(2).split(",") if c.strip())
        if m.group(1):
            out.append(Pragma(line, codes, "file", 1, last_line))
            continue
        nxt = next(((s, e) for s, e in starts if s > line), None)
        if nxt is not None:
            out.append(Pragma(line, codes, "next", nxt[0], nxt[1]))
    return out


def pragma_suppressions(dockerfile: Dockerfile, aliases: dict[str, list[str]]) -> list[tuple[int, int, frozenset[str]]]:
    """(start_line, end_line, kubelint rule ids) that hadolint pragmas silence.

    `aliases` maps a kubelint rule id to its aliases (the rule files' `aliases`);
    a pragma code matches an alias written as `DL3006` or `hadolint:DL3006`.
    """
    by_code: dict[str, set[str]] = {}
    for rule_id, names in aliases.items():
        for alias in names:
            code = alias.split(":", 1)[1] if alias.lower().startswith("hadolint:") else alias
            by_code.setdefault(code.upper(), set()).add(rule_id)
    out = []
    for p in pragmas(dockerfile):
        ids = frozenset(r for c in p.codes for r in by_code.get(c, ()))
        if ids:
            out.append((p.start_line, p.end_line, ids))
    return out
