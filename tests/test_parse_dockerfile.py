"""The Dockerfile parser and model: positions, continuations, heredocs, directives, stages."""

from __future__ import annotations

import random

import pytest

from dockerfile_helpers import FIXTURES
from kubelint.model.dockerfile import ImageRef
from kubelint.parse.dockerfile import parse_dockerfile, pragma_suppressions, pragmas
from kubelint.engine.loader import describe_parse_finding as rendered  # the rule's template, filled
from kubelint.parse.source import SourceFile


def parse(text: str, target: str | None = None):
    return parse_dockerfile(SourceFile("Dockerfile", "Dockerfile", text, "dockerfile"), target=target)


def fixture(name: str):
    text = (FIXTURES / name).read_bytes().decode("utf-8-sig")
    return parse_dockerfile(SourceFile(str(FIXTURES / name), name, text, "dockerfile"))


def test_positions_and_continuation_with_comments_and_blank_lines():
    df, findings = fixture("continuation.Dockerfile")
    assert findings == []
    run = df.instructions[1]
    assert (run.name, run.line, run.column, run.end_line) == ("RUN", 2, 1, 9)
    # Comment lines inside the continuation are kept for suppressions, not part of the command.
    assert df.comments[3] == " tools for the build" and df.comments[8] == " no cleanup on purpose"
    assert "#" not in run.value
    programs = [(c.program, c.operator, c.line, c.column) for c in run.commands]
    assert programs == [("apt-get", None, 2, 5), ("apt-get", "&&", 4, 8), ("curl", "&&", 9, 8), ("bash", "|", 9, 50)]
    assert run.commands[1].args == ["install", "-y", "curl", "git"]
    curl_word = run.commands[1].words[3]
    assert (curl_word.text, curl_word.line, curl_word.column) == ("curl", 5, 9)


def test_heredocs_with_body_lines():
    df, findings = fixture("heredoc.Dockerfile")
    assert findings == []
    assert df.directives["syntax"] == ("docker/dockerfile:1.4", 1)
    run = df.instructions[1]
    assert (run.line, run.end_line) == (3, 8)
    doc = run.heredocs[0]
    assert (doc.name, doc.first_line, doc.end_line) == ("EOF", 4, 8)
    assert doc.body.splitlines()[1] == "apt-get update"
    assert [(c.program, c.line, c.column) for c in run.commands] == [
        ("set", 4, 1), ("apt-get", 5, 1), ("apt-get", 6, 1), ("rm", 7, 1)]
    copy = df.instructions[2]
    assert copy.name == "COPY" and copy.heredocs[0].strip_tabs
    assert copy.heredocs[0].body == "server { listen 8080; }\n"
    assert copy.args == ["<<-CONF", "/etc/nginx/conf.d/app.conf"]
    python = df.instructions[3]
    assert python.heredocs[0].quoted and python.heredocs[0].name == "PY"
    # python reads the heredoc: its body is not shell, so only `python3` is a command.
    assert [c.program for c in python.commands] == ["python3"]
    cat = df.instructions[4]
    assert [c.program for c in cat.commands] == ["cat", "chmod"]
    assert cat.commands[0].redirects == [("<<", "EOF"), (">", "/etc/motd")]
    assert [i.name for i in df.instructions[5:]] == ["USER", "CMD"]


def test_unterminated_heredoc_is_a_finding_not_a_crash():
    df, findings = parse("FROM alpine:3.22\nRUN <<EOF\necho hi\n")
    assert [(f.rule, f.line, f.column) for f in findings] == [("dockerfile-syntax", 2, 5)]
    assert rendered(findings[0]) == "heredoc <<EOF is never terminated: no line 'EOF' follows"
    assert df.instructions[1].heredocs[0].body == "echo hi\n"


def test_crlf_and_bom_keep_columns():
    df, findings = fixture("crlf.Dockerfile")
    assert findings == []
    run = df.instructions[1]
    assert [(c.program, c.line, c.column) for c in run.commands] == [("apk", 2, 5), ("cd", 3, 8)]
    assert df.instructions[2].value == "app"
    df, _ = fixture("bom.Dockerfile")
    assert (df.instructions[0].name, df.instructions[0].column) == ("FROM", 1)


def test_escape_directive_and_powershell_shell():
    df, findings = fixture("powershell.Dockerfile")
    assert findings == []
    assert df.escape == "`"
    run = df.instructions[2]
    assert run.shell == ("powershell", "-Command", "$ErrorActionPreference = 'Stop';")
    assert run.end_line == 5 and "cd C:\\ ;" in run.value
    assert run.commands == []  # PowerShell is not parsed as POSIX sh
    assert df.instructions[3].value == "C:\\tool"
    assert df.stages[0].base.is_windows


def test_onbuild_wraps_an_instruction_with_its_own_position():
    df, _ = fixture("onbuild.Dockerfile")
    onbuild = df.instructions[3]
    inner = onbuild.inner
    assert (inner.name, inner.line, inner.column, inner.parent) == ("RUN", 4, 9, onbuild)
    assert inner.commands[0].program == "pip" and inner.commands[0].wrapped_by == ["sudo"]
    assert inner in list(df.all_instructions())


def test_arg_before_from_and_env_tracking():
    df, _ = fixture("argfrom.Dockerfile")
    assert df.global_args == {"PY": "3.8", "VARIANT": "slim"}
    first, second = df.stages
    assert (first.base.name, first.base.tag) == ("python", "3.8-slim")
    assert first.vars["PYTHON_VERSION"] == "3.8"  # ARG PY re-declared in the stage takes the global default
    assert second.base.unresolved and second.base.raw == "python:${UNDEFINED_ARG}"
    env = first.instructions[1]
    assert env.pairs == [("PYTHON_VERSION", "$PY", 0), ("TOKEN_SECRET", "abc123", 19)]


def test_stages_final_target_and_copy_from():
    df, _ = fixture("multistage.Dockerfile")
    assert [s.name for s in df.stages] == ["build", "test", "final"]
    build, test, final = df.stages
    assert build.platform == "$BUILDPLATFORM"
    assert (build.base.name, build.base.tag) == ("golang", "1.26-bookworm")
    assert test.base_stage is build and test.base is None
    assert (final.base.registry, final.base.name, final.base.tag) == ("gcr.io", "distroless/static-debian12", "nonroot")
    assert df.final_stage is final and final.is_final
    assert [s.name for s in df.built_stages()] == ["build", "final"]
    assert df.stage_named("build", before=final.index) is build
    assert df.stage_named("builder") is None
    df.target = "TEST"
    assert df.final_stage is test and [s.name for s in df.built_stages()] == ["build", "test"]
    run = build.instructions[2]
    assert run.flags == {"mount": "type=cache,target=/root/go/pkg/mod"}
    assert run.flag_pos("mount") == (8, 5)
    assert run.value == "go mod download"


@pytest.mark.parametrize("raw,expected", [
    ("python", (None, "python", None, None)),
    ("docker.io/library/python:3.12", ("docker.io", "python", "3.12", None)),
    ("localhost:5000/team/app:1.0", ("localhost:5000", "team/app", "1.0", None)),
    ("ghcr.io/org/img@sha256:abc", ("ghcr.io", "org/img", None, "sha256:abc")),
    ("org/img:2@sha256:abc", (None, "org/img", "2", "sha256:abc")),
])
def test_image_reference(raw, expected):
    ref = ImageRef.parse(raw)
    assert (ref.registry, ref.name, ref.tag, ref.digest) == expected


def test_forms_flags_and_data_view():
    df, findings = parse('FROM alpine:3.22\nCMD ["a", "b"]\nENTRYPOINT run.sh --x\n'
                         "COPY --chown=1:1 --from=x a b /c/\nRUN ['bad']\nENV LEGACY some value\n")
    assert findings == []
    cmd, entry, copy, run, env = df.instructions[1:]
    assert (cmd.form, cmd.args) == ("exec", ["a", "b"])
    assert (entry.form, entry.args) == ("shell", ["run.sh", "--x"])
    assert copy.flags == {"chown": "1:1", "from": "x"} and copy.args == ["a", "b", "/c/"]
    assert run.json_error and run.form == "shell"
    assert env.pairs == [("LEGACY", "some value", 0)]
    assert copy.data == {
        "instruction": "COPY", "value": "a b /c/", "form": None, "flags": {"chown": "1:1", "from": "x"},
        "args": ["a", "b", "/c/"], "pairs": {}, "heredoc": False, "onbuild": False, "stage": "0",
        "stage_index": 0, "final": True, "line": 4, "column": 1}


@pytest.mark.parametrize("text,message,line,column", [
    ("", "the Dockerfile has no instructions", 1, 1),
    ("# only a comment\n\n", "the Dockerfile has no instructions", 1, 1),
    ("FROM alpine:3.22\nECHO hi\n", "unknown instruction 'ECHO'", 2, 1),
    ("FROM alpine:3.22\n  RUN\n", "RUN requires at least one argument", 2, 3),
    ("FROM alpine:3.22\nENV ONLYKEY\n", "ENV ONLYKEY has no value: write ENV ONLYKEY=value", 2, 5),
    ("FROM alpine:3.22\nSHELL /bin/bash\n", 'SHELL requires the exec form: SHELL ["executable", "parameters"]', 2, 1),
    ("FROM alpine:3.22\nONBUILD FROM x\n", "FROM is not allowed inside ONBUILD", 2, 9),
    ("# escape=x\nFROM alpine\n", "invalid escape character 'x': use \\ or `", 1, 1),
])
def test_syntax_findings(text, message, line, column):
    _, findings = parse(text)
    assert [(f.rule, rendered(f), f.line, f.column) for f in findings] == [("dockerfile-syntax", message, line, column)]


def test_fragment_without_from_is_linted_in_an_implicit_stage():
    df, findings = parse("RUN apt-get install curl\nUSER root\n")
    assert findings == []
    assert len(df.stages) == 1 and df.stages[0].is_implicit
    assert [i.name for i in df.stages[0].instructions] == ["RUN", "USER"]


def test_garbage_never_raises():
    rng = random.Random(7)
    alphabet = "FROM RUN COPY <<EOF \\ ` # [ ] \" ' $ { } ( ) | & ; \n \r \t abc = -- ONBUILD"
    words = alphabet.split(" ") + ["\n", " "]
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(0, 60)))
        df, findings = parse(text)
        for inst in df.all_instructions():
            inst.commands  # the shell splitter must not raise either
            inst.data
    df, findings = parse("\x01\x02\x7f\ufffd\n\x00RUN x\n")
    assert all(f.rule == "dockerfile-syntax" for f in findings)


def test_hadolint_pragmas_map_through_aliases():
    df, _ = fixture("pragmas.Dockerfile")
    found = pragmas(df)
    assert [(p.line, p.codes, p.scope, p.start_line, p.end_line) for p in found] == [
        (1, ("DL3059",), "file", 1, 7), (3, ("DL3008", "DL3015"), "next", 4, 5)]
    aliases = {"apt-get-unpinned": ["hadolint:DL3008"], "apt-get-recommends": ["hadolint:DL3015"],
               "consecutive-run": ["hadolint:DL3059"], "root-user": ["hadolint:DL3002"]}
    assert pragma_suppressions(df, aliases) == [
        (1, 7, frozenset({"consecutive-run"})), (4, 5, frozenset({"apt-get-unpinned", "apt-get-recommends"}))]


def test_copy_from_resolves_to_a_stage_or_an_image():
    df, _ = parse("ARG SRC=build\nFROM golang:1.26 AS build\nFROM alpine:3.22\nCOPY --from=${SRC} /a /a\n"
                  "COPY --from=nginx:1.27 /b /b\nCOPY --from=0 /c /c\nCOPY /d /d\nCOPY --from=$NOPE /e /e\n")
    first, image, index, plain, unknown = df.stages[1].instructions
    assert df.copy_source(first) is df.stages[0]
    assert (df.copy_source(image).name, df.copy_source(image).tag) == ("nginx", "1.27")
    assert df.copy_source(index) is df.stages[0]
    assert df.copy_source(plain) is None and df.copy_source(unknown) is None


def test_heredoc_variants():
    df, findings = parse("FROM alpine:3.22\nRUN --mount=type=secret,id=tok <<EOF\napk add --no-cache curl\nEOF\n"
                         "COPY <<one <<two /etc/\nfirst\none\nsecond\ntwo\nRUN <<-EOS\n\t\tcd /tmp\n\tEOS\n"
                         "RUN <<EOF bash\necho hi\nEOF\nRUN echo done\n")
    assert findings == []
    run1, copy, run2, run3, last = df.instructions[1:]
    assert run1.flags == {"mount": "type=secret,id=tok"}
    assert [(c.program, c.line, c.column) for c in run1.commands] == [("apk", 3, 1)]
    assert [(h.name, h.first_line, h.end_line, h.body) for h in copy.heredocs] == [
        ("one", 6, 7, "first\n"), ("two", 8, 9, "second\n")]
    assert [(c.program, c.line, c.column) for c in run2.commands] == [("cd", 11, 3)]  # after two tabs
    assert [(c.program, c.line) for c in run3.commands] == [("bash", 13), ("echo", 14)]
    assert (last.line, last.value) == (16, "echo done")
