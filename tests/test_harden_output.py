"""Issue 11, output that attackers control: control characters in manifest text and file names
are escaped in every text format; JSON, SARIF and JUnit stay valid."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

import pytest

from kubelint.cli import main
from kubelint.report import Report
from kubelint.escape import escape_name, escape_text
from kubelint.report.plain import footer_lines

EVIL_POD = (
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n'
    '    - name: "c\\r\\n::error file=evil.yaml,line=1::x\\e]0;T\\a\\x9b"\n'
    '      image: "nginx:latest\\e[31m"\n')
# Anything a terminal or a CI runner would act on: C0 but tab and newline, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def evil(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "evil.yaml").write_text(EVIL_POD)
    return tmp_path


def test_escape_text_spells_out_control_characters():
    assert escape_text("a\r\nb\x1b]0;t\x07\x9b\u2028\tc") == "a\\r\\nb\\x1b]0;t\\x07\\x9b\\u2028\tc"
    assert escape_text("bad\udcff.yaml") == "bad\\xff.yaml"
    assert escape_name("bad\udcff\n.yaml") == "bad\\xff\n.yaml"  # names: only undecodable bytes


@pytest.mark.parametrize("fmt", ["plain", "gnu", "rich", "github"])
def test_text_formats_escape_manifest_values(evil, capsys, fmt):
    code, out, _ = run(capsys, "check", "evil.yaml", "--format", fmt, "--select", "latest-tag")
    assert code == 1
    assert not RAW_CONTROL.search(out)
    lines = out.splitlines()
    # Exactly one line can start a workflow command, the real finding (github format only).
    assert [line for line in lines if line.startswith("::")] == (
        [lines[0]] if fmt == "github" else [])
    assert "c\\r\\n::error file=evil.yaml,line=1::x\\x1b]0;T\\x07\\x9b" in out
    if fmt in ("plain", "gnu"):
        assert lines[0] == ("evil.yaml:8:14: warning [latest-tag] container "
                            "'c\\r\\n::error file=evil.yaml,line=1::x\\x1b]0;T\\x07\\x9b' uses image "
                            "'nginx:latest\\x1b[31m' with no tag or the 'latest' tag")


def test_statistics_escape_too(evil, capsys):
    code, out, _ = run(capsys, "check", "evil.yaml", "--statistics", "--select", "latest-tag")
    assert code == 1
    assert out.splitlines()[0].split()[:2] == ["1", "latest-tag"]
    assert not RAW_CONTROL.search(out)


def test_file_name_with_newline_and_escape(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    name = "x\n::error file=a,line=1::pwned\x1b[2J.yaml"
    (tmp_path / name).write_text(EVIL_POD)
    for fmt in ("plain", "github", "rich"):
        code, out, _ = run(capsys, "check", ".", "--format", fmt, "--select", "latest-tag")
        assert code == 1
        assert not RAW_CONTROL.search(out)
        assert not any(line.startswith("::error") for line in out.splitlines())
        assert "x\\n::error file=a" in out or "x\\n%3A%3Aerror file=a" in out


def test_skipped_paths_and_notes_are_escaped():
    report = Report(findings=[], files=0, documents=0, objects=0,
                    skipped_files=[("pipe\x1b[31m.yaml", "not a regular file")],
                    notes=["config: /tmp/\r\n::error::x/.kubelint.yaml"])
    assert footer_lines(report) == ["skipped: pipe\\x1b[31m.yaml: not a regular file",
                                    "note: config: /tmp/\\r\\n::error::x/.kubelint.yaml"]


def test_machine_formats_stay_valid(evil, capsys):
    code, out, _ = run(capsys, "check", "evil.yaml", "--format", "json", "--select", "latest-tag")
    doc = json.loads(out)
    assert doc["findings"][0]["message"].startswith("container 'c\r\n::error")  # the real value
    code, out, _ = run(capsys, "check", "evil.yaml", "--format", "sarif", "--select", "latest-tag")
    assert json.loads(out)["runs"][0]["results"][0]["ruleId"] == "latest-tag"
    code, out, _ = run(capsys, "check", "evil.yaml", "--format", "junit", "--select", "latest-tag")
    root = ET.fromstring(out.encode())
    assert root.get("failures") == "1"


def test_error_messages_on_stderr_are_escaped(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", "missing\x1b]0;x\x07.yaml")
    assert code == 2
    assert err == "kubelint: error: no such file or directory: missing\\x1b]0;x\\x07.yaml\n"


def test_rich_quotes_source_lines_escaped_with_the_caret_in_place(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text('FROM ubuntu:22.04\nRUN echo "\x1b[2J\x1b]0;pwn\x07" && apt-get install curl\n')
    code, out, _ = run(capsys, "check", "Dockerfile", "--format", "rich", "--select", "apt-get-no-y")
    assert code == 1
    assert not RAW_CONTROL.search(out)
    lines = out.splitlines()
    assert lines[0] == "Dockerfile:2:28  stage 0"
    quoted, caret = lines[2], lines[3]
    assert quoted == '  2 | RUN echo "\\x1b[2J\\x1b]0;pwn\\x07" && apt-get install curl'
    assert caret.index("^") == quoted.index("apt-get")
    assert caret.rstrip().endswith("^" * len("apt-get")) and caret.count("^") == len("apt-get")
    assert lines[4].startswith("  warning[apt-get-no-y] [*]: 'apt-get install' without -y")


def test_github_help_text_is_unwrapped_not_escaped(evil, capsys):
    # The remediation is wrapped in the rule's YAML; escaping the wraps printed a literal `\n`.
    code, out, _ = run(capsys, "check", "evil.yaml", "--format", "github", "--select", "missing-limits")
    assert code == 1
    line = out.splitlines()[0]
    assert "%0ASet `resources.limits.memory` (commonly equal to the memory request, which makes the " \
           "container's memory guaranteed)." in line
    assert "\\n" not in line.split("%0A", 1)[1]
