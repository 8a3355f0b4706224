"""What the parser adds on top of dockerfile-parse, where its line rules differ from BuildKit's."""

from __future__ import annotations

import os

from kubelint.parse.dockerfile import parse_dockerfile, pragmas
from kubelint.engine.loader import describe_parse_finding as rendered  # the rule's template, filled
from kubelint.parse.source import SourceFile


def parse(text: str):
    return parse_dockerfile(SourceFile("Dockerfile", "Dockerfile", text, "dockerfile"))


def test_escape_directive_after_a_check_directive():
    # dockerfile-parse stops reading directives at `# check=` and would keep `\` as the escape.
    df, findings = parse("# check=skip=all\n# escape=`\nFROM alpine:3.22\nRUN echo a `\n  b\n")
    assert findings == [] and df.escape == "`"
    run = df.instructions[1]
    assert (run.value, run.line, run.end_line) == ("echo a   b", 4, 5)


def test_a_second_escape_directive_is_a_comment():
    df, findings = parse("# escape=`\n# escape=\\\nFROM alpine:3.22\nRUN echo a `\n b\n")
    assert findings == [] and df.escape == "`"
    assert df.comments[2] == " escape=\\"
    assert df.instructions[1].value == "echo a  b"


def test_escape_directive_behind_a_bom():
    df, findings = parse("\ufeff# escape=`\nFROM alpine:3.22\nRUN echo a `\n b\n")
    assert findings == [] and df.escape == "`"
    assert [(i.name, i.line, i.column) for i in df.instructions] == [("FROM", 2, 1), ("RUN", 3, 1)]


def test_blank_lines_inside_a_continuation_do_not_end_it():
    df, findings = parse("FROM alpine:3.22\nRUN echo a \\\n\n   \n# note\n  b\nUSER app\n")
    assert findings == []
    run, user = df.instructions[1:]
    assert (run.value, run.line, run.end_line) == ("echo a   b", 2, 6)
    assert [(c.program, c.line, c.column) for c in run.commands] == [("echo", 2, 5)]
    assert run.commands[0].words[2].line == 6 and df.comments[5] == " note"
    assert user.line == 7


def test_continuation_open_at_the_end_of_the_file():
    df, findings = parse("FROM alpine:3.22\nRUN echo hi \\\n# trailing\n")
    assert findings == []
    run = df.instructions[1]
    assert (run.value, run.line, run.end_line) == ("echo hi", 2, 2)
    assert df.comments[3] == " trailing"


def test_lone_keyword_on_the_last_line_without_newline():
    _, findings = parse("FROM alpine:3.22\nRUN")
    assert [(rendered(f), f.line, f.column) for f in findings] == [("RUN requires at least one argument", 2, 1)]


def test_keyword_glued_to_the_escape_character():
    df, findings = parse("FROM alpine:3.22\nRUN\\\n  echo hi\n")
    assert findings == []
    run = df.instructions[1]
    assert (run.keyword, run.value, run.end_line) == ("RUN", "echo hi", 3)
    assert [(c.program, c.line, c.column) for c in run.commands] == [("echo", 3, 3)]


def test_no_break_space_after_the_escape_character_ends_the_instruction():
    # BuildKit continues a line only when the escape character is followed by spaces and tabs.
    df, findings = parse("FROM alpine:3.22\nRUN echo a \\\u00a0\necho b\n")
    assert [(rendered(f), f.line, f.column) for f in findings] == [("unknown instruction 'echo'", 3, 1)]
    run = df.instructions[1]
    assert (run.value, run.end_line) == ("echo a \\", 2)


def test_heredoc_body_lines_are_not_instructions_or_pragmas():
    df, findings = parse("FROM alpine:3.22\nRUN <<EOF\n# hadolint ignore=DL3008\nset -eux\napt-get install -y curl\n"
                         "EOF\nUSER app\n")
    assert findings == []
    assert [i.name for i in df.instructions] == ["FROM", "RUN", "USER"]
    assert 3 not in df.comments and pragmas(df) == []
    assert df.instructions[1].heredocs[0].body == "# hadolint ignore=DL3008\nset -eux\napt-get install -y curl\n"


def test_heredoc_terminator_after_a_body_line_ending_in_the_escape_character():
    # dockerfile-parse joins `EOF` to the body line before it; the heredoc still ends there.
    df, findings = parse("FROM alpine:3.22\nRUN <<EOF\necho hi \\\nEOF\nCOPY a /b\n")
    assert findings == []
    run, copy = df.instructions[1:]
    assert (run.heredocs[0].body, run.heredocs[0].end_line, run.end_line) == ("echo hi \\\n", 4, 4)
    assert (copy.name, copy.line) == ("COPY", 5)


def test_never_reads_or_writes_files(tmp_path, monkeypatch):
    (tmp_path / "Dockerfile").write_text("FROM other:1\n")
    monkeypatch.chdir(tmp_path)
    df, findings = parse("FROM alpine:3.22\nRUN echo hi\n")
    assert findings == [] and df.stages[0].base.name == "alpine"
    assert os.listdir(tmp_path) == ["Dockerfile"] and (tmp_path / "Dockerfile").read_text() == "FROM other:1\n"
